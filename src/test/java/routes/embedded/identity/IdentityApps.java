package routes.embedded.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import routes.support.ChildApp;
import routes.support.Http;

/**
 * The app as its own process for the identity provider's tests (the embedded stack on free ports, a folder of its own
 * with the data in {@code data/}), and what a relying party does with its tokens: read the discovery document, fetch
 * the JWKS it names and verify a token's signature with Nimbus JOSE + JWT, a library of its own (not the provider's
 * code).
 */
final class IdentityApps {

    private IdentityApps() {
    }

    /** A new folder under target/test-data for one app; its data folder is {@code data/} inside it. */
    static Path newFolder(String prefix) {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(base, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the app in {@code folder} (data in {@code folder/data}) with these settings besides. */
    static ChildApp start(Path folder, String... settings) {
        List<String> args = new ArrayList<>(List.of("--caravan.data-dir=" + folder.resolve("data")));
        for (String service : List.of("s3", "sqs", "sns", "dynamodb", "stt")) {
            args.add("--caravan.embedded." + service + "-port=0");
        }
        args.addAll(List.of(settings));
        return ChildApp.start(folder, Duration.ofMinutes(2), args);
    }

    /** The app's root URL, by address. */
    static URI base(ChildApp app) {
        return app.uri("");
    }

    /** The JWKS the discovery document of the app names. */
    static JWKSet jwks(Http http) {
        HttpResponse<String> discovery = http.get("/.well-known/openid-configuration");
        assertThat(discovery.statusCode()).as(discovery.body()).isEqualTo(200);
        HttpResponse<String> jwks = http.get(Http.json(discovery).get("jwks_uri").asText());
        assertThat(jwks.statusCode()).as(jwks.body()).isEqualTo(200);
        try {
            return JWKSet.parse(jwks.body());
        } catch (ParseException e) {
            throw new AssertionError("not a JWK set: " + jwks.body(), e);
        }
    }

    /**
     * Verifies an RS256 token's signature against these keys and its time claims, as a relying party does, and returns
     * its claims; throws when it does not verify.
     */
    static JWTClaimsSet verify(String token, JWKSet keys) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
        // accept both "JWT" and a missing type header; the claims checks are the tests' own
        processor.setJWSTypeVerifier((type, context) -> {
        });
        return processor.process(token, null);
    }

    /** What the app printed so far. */
    static String log(Path folder) throws IOException {
        return Files.readString(folder.resolve("app.log"));
    }
}
