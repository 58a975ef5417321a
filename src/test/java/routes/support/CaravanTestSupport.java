package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import routes.CaravanApplication;

/**
 * The whole app on the embedded stack, started once per test JVM and shared by the tests that extend this class.
 * Every AWS call goes to real servers on loopback; nothing is mocked. Its port is picked before it starts, so the
 * embedded identity provider's issuer URL is known; tests sign in through it ({@link #token}, {@link #adminToken}).
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@Import(SpanCapture.class)
public abstract class CaravanTestSupport {

    private static final Path DATA_DIR = newDataDir("app-");
    private static final int PORT = AppUsers.freePort();
    private static final AppUsers USERS = new AppUsers(DATA_DIR, PORT);

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("caravan.data-dir", DATA_DIR::toString);
        registry.add("server.port", () -> PORT);
    }

    /** An access token of user {@code name}, made in the embedded identity provider the first time. */
    protected static String token(String name) {
        return USERS.token(name);
    }

    /** An access token of the tests' usual user. */
    protected static String token() {
        return token("tester");
    }

    /** An access token of the admin. */
    protected static String adminToken() {
        return USERS.adminToken();
    }

    /** The app's root URL, as its identity provider names it (http://localhost:PORT). */
    protected static java.net.URI base() {
        return USERS.base();
    }

    /** The app's data folder. */
    protected static Path dataDir() {
        return DATA_DIR;
    }

    /** A data folder of its own for an app a test starts, under target/test-data. */
    public static Path newDataDir(String prefix) {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
