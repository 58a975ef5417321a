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
 * Every AWS call goes to real servers on loopback; nothing is mocked.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(SpanCapture.class)
public abstract class CaravanTestSupport {

    private static final Path DATA_DIR = newDataDir("app-");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("caravan.data-dir", DATA_DIR::toString);
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
