package routes.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import routes.support.CaravanTestSupport;
import routes.support.ChildApp;
import routes.support.Http;
import routes.support.TestImages;

/**
 * {@code caravan.security.enabled=false}, for an app behind a gateway that signs callers in itself: a request without
 * credentials is served as an admin's, what it makes has the owner {@code anonymous}, and the log says so. The app is
 * a process of its own, so the shared one keeps checking credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityOffTest {

    ChildApp app;

    @BeforeAll
    void start() {
        Path dir = CaravanTestSupport.newDataDir("security-off-").toAbsolutePath();
        List<String> args = new ArrayList<>(List.of("--caravan.security.enabled=false",
                "--caravan.data-dir=" + dir.resolve("data")));
        for (String service : List.of("s3", "sqs", "sns", "dynamodb", "stt")) {
            args.add("--caravan.embedded." + service + "-port=0");
        }
        app = ChildApp.start(dir, Duration.ofMinutes(2), args);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyRequestIsAnUncheckedAdmins() throws Exception {
        Http nobody = new Http(app.port());
        var created = nobody.post("/api/v1/assets?filename=p.jpg", "image/jpeg", TestImages.jpeg(16, 12, Color.RED));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode asset = Http.json(created);
        assertThat(asset.get("owner").asText()).isEqualTo("anonymous");
        assertThat(nobody.get("/api/v1/assets/" + asset.get("id").asText()).statusCode()).isEqualTo(200);
        assertThat(nobody.get("/api/v1/ops/queues").statusCode()).isEqualTo(200);
        assertThat(nobody.get("/actuator/metrics").statusCode()).isEqualTo(200);
        assertThat(app.logTail(Integer.MAX_VALUE)).contains("caravan.security.enabled is false");
    }
}
