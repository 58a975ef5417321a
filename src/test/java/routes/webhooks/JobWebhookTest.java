package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.jobs.Job;
import routes.jobs.JobProgress;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/** A job that ends calls its callbackUrl, signed, and a receiver that fails at first is retried until it takes it. */
class JobWebhookTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    JobProgress progress;
    @Autowired
    CaravanProperties properties;

    HttpServer receiver;
    final BlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                received.add(Map.of("body", body,
                        "timestamp", exchange.getRequestHeaders().getFirst("X-Caravan-Timestamp"),
                        "signature", exchange.getRequestHeaders().getFirst("X-Caravan-Signature")));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void anEndedJobCallsItsWebhookSignedAfterRetries() throws Exception {
        failuresLeft.set(2);
        Http http = new Http(port);
        String assetId = Http.json(http.post("/api/v1/assets?filename=v.mp4", "video/mp4", new byte[] {9})).get("id").asText();
        String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String jobId = Http.json(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"kind\":\"probe\"}],\"callbackUrl\":\"" + callback + "\"}")).get("id").asText();

        Job ended = progress.succeeded(jobId, "op-001", List.of(Map.of("key", "derived/x")));
        assertThat(ended.status().name()).isEqualTo("SUCCEEDED");

        Map<String, String> delivery = received.poll(60, TimeUnit.SECONDS);
        assertThat(delivery).as("webhook delivered").isNotNull();
        assertThat(failuresLeft.get()).as("two refusals were retried").isLessThan(0);
        WebhookSigner signer = new WebhookSigner(WebhookConfiguration.secret(properties));
        assertThat(delivery.get("signature"))
                .isEqualTo(signer.sign(Long.parseLong(delivery.get("timestamp")), delivery.get("body")));
        JsonNode job = new ObjectMapper().readTree(delivery.get("body"));
        assertThat(job.get("id").asText()).isEqualTo(jobId);
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(received.poll(1, TimeUnit.SECONDS)).as("delivered once").isNull();
    }
}
