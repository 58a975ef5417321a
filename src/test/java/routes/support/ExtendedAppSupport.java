package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import routes.CaravanApplication;

/**
 * The whole app on the embedded stack, as {@link CaravanTestSupport} starts it, with what an operator adds without
 * a rebuild: a pipeline step of its own (the routes file {@code extra-routes/loudness.yaml}: one templatedRoute; the
 * bean {@link LoudnessMeter}; the setting {@code caravan.pipeline.steps.loudness}) and a speech-to-text server of
 * its choosing ({@code caravan.stt.endpoint}), here a scripted one that tests make fail. A context of its own,
 * started once for the tests that extend this class.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {
            "camel.main.routes-include-pattern=classpath:routes.yaml,classpath:extra-routes/*.yaml",
            "caravan.pipeline.steps.loudness.media=audio",
            "caravan.stt.api-key=sk-test-key",
            "caravan.stt.retries=2",
            "caravan.stt.retry-delay-ms=50",
            "caravan.stt.circuit-minimum-calls=3",
            "caravan.stt.circuit-window=3",
            "caravan.stt.circuit-open-seconds=600",
            // audio over 10 s goes to the server in pieces
            "caravan.stt.piece-length=10s"
        })
@ActiveProfiles("test")
@Import(ExtendedAppSupport.AddedBeans.class)
public abstract class ExtendedAppSupport {

    /** The speech-to-text server the app is pointed at. */
    protected static final FakeSttServer STT = startStt();

    private static final Path DATA_DIR = CaravanTestSupport.newDataDir("extended-");
    private static final int PORT = AppUsers.freePort();
    private static final AppUsers USERS = new AppUsers(DATA_DIR, PORT);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("caravan.data-dir", DATA_DIR::toString);
        registry.add("server.port", () -> PORT);
        registry.add("caravan.stt.endpoint", () -> STT.baseUrl().toString());
    }

    /** An access token of the tests' usual user on this app. */
    protected static String token() {
        return USERS.token("tester");
    }

    /** An access token of the admin of this app. */
    protected static String adminToken() {
        return USERS.adminToken();
    }

    /** The operator's bean. */
    @TestConfiguration(proxyBeanMethods = false)
    static class AddedBeans {
        @Bean
        LoudnessMeter loudnessMeter() {
            return new LoudnessMeter();
        }
    }

    private static FakeSttServer startStt() {
        try {
            return new FakeSttServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
