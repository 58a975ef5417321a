package routes.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** What a client of the API does to follow a job: poll it until it ends. */
public final class Jobs {

    private Jobs() {
    }

    /** The pipeline job of an asset once it has ended (SUCCEEDED, FAILED or CANCELLED), polling its listing. */
    public static JsonNode ended(Http http, String assetId) {
        return Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> Http.json(http.get("/api/v1/jobs?assetId=" + assetId)).at("/items/0"),
                        job -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.path("status").asText()));
    }

    /** A step of a job, by name. */
    public static JsonNode stepOf(JsonNode job, String name) {
        for (JsonNode step : job.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + job);
    }
}
