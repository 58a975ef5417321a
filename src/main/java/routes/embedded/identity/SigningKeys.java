package routes.embedded.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The provider's signing key: an RSA key (2048 bits, RS256) made once and kept as a JWK set in
 * {@code {data-dir}/secrets/identity-jwk.json} (owner-only), so tokens signed before a restart still verify after it.
 */
final class SigningKeys {

    private SigningKeys() {
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("secrets").resolve("identity-jwk.json");
    }

    /** The key set in the file, made first when there is none. */
    static JWKSet loadOrCreate(Path dataDir) throws IOException {
        Path file = file(dataDir);
        if (!Files.exists(file)) {
            SecretFiles.write(file, create().toString(false));
        }
        try {
            JWKSet keys = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (keys.getKeys().isEmpty() || !keys.getKeys().get(0).isPrivate()) {
                throw new IOException(file + " holds no private key");
            }
            return keys;
        } catch (ParseException e) {
            throw new IOException(file + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    private static JWKSet create() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
            return new JWKSet(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make an RSA key", e);
        }
    }
}
