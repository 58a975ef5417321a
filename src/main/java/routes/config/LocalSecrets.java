package routes.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets nobody configured (a webhook signing secret, an image URL key): made once, random, and kept beside the
 * data ({@code {data-dir}/secrets/NAME}, owner-only), never in a committed file. Production sets them in the
 * environment instead.
 */
public final class LocalSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSecrets.class);

    private LocalSecrets() {
    }

    public static String getOrCreate(Path dataDir, String name) throws IOException {
        Path file = dataDir.resolve("secrets").resolve(name);
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, HexFormat.of().formatHex(random));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            LOG.info("made a {} for this data folder: {}", name, file.toAbsolutePath());
        }
        return Files.readString(file).trim();
    }
}
