package routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;

/** Health reports each AWS API, readiness includes them, and Prometheus metrics carry Camel's route metrics. */
class HealthEndpointTest extends CaravanTestSupport {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void healthIsUpWithEveryAwsComponentUp() throws Exception {
        JsonNode health = json.readTree(get("/actuator/health").body());
        // right after start, Camel's consumer checks stay DOWN until each queue's first long poll returns (up to
        // 20 s): the overall status is asked again as an operator would, for at most a minute
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"UP".equals(health.get("status").asText()) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            health = json.readTree(get("/actuator/health").body());
        }
        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("UP");
        for (String component : new String[] {"s3", "sqs", "sns", "dynamodb"}) {
            assertThat(health.at("/components/" + component + "/status").asText()).as(component).isEqualTo("UP");
        }
    }

    @Test
    void detailsOnlyForAnAdmin() throws Exception {
        JsonNode anyone = json.readTree(get("/actuator/health").body());
        assertThat(anyone.at("/components/s3/status").asText()).isNotEmpty();
        assertThat(anyone.at("/components/s3/details").isMissingNode()).as(anyone.toString()).isTrue();
        assertThat(anyone.toString()).doesNotContain("diskSpace\":{\"status\":\"UP\",\"details");
        JsonNode signedIn = json.readTree(new routes.support.Http(port, token()).get("/actuator/health").body());
        assertThat(signedIn.at("/components/s3/details").isMissingNode()).as(signedIn.toString()).isTrue();
        JsonNode admin = json.readTree(new routes.support.Http(port, adminToken()).get("/actuator/health").body());
        assertThat(admin.at("/components/diskSpace/details/path").asText()).as(admin.toString()).isNotEmpty();
    }

    @Test
    void readinessAndLivenessProbesAnswer() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json.readTree(readiness.body()).at("/components/sqs/status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusShowsRouteMetrics() throws Exception {
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("routeId=\"event-log\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
