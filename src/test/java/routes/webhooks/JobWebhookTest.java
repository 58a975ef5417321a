package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.TestImages;
import routes.support.WebhookReceiver;
import java.awt.Color;

/** A job that ends calls its callbackUrl, signed, and a receiver that fails at first is retried until it takes it. */
class JobWebhookTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    CaravanProperties properties;

    WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void anEndedJobCallsItsWebhookSignedAfterRetries() throws Exception {
        receiver.refuse(2);
        Http http = new Http(port, token());
        String assetId = Http.json(http.post("/api/v1/assets?filename=w.jpg", "image/jpeg",
                TestImages.jpeg(64, 48, Color.ORANGE))).get("id").asText();
        String callback = receiver.url();
        String jobId = Http.json(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"width\":16}],\"callbackUrl\":\"" + callback + "\"}")).get("id").asText();

        Map<String, String> delivery = receiver.next(60);
        assertThat(delivery).as("webhook delivered").isNotNull();
        assertThat(receiver.refusalsUsed()).as("two refusals were retried").isTrue();
        WebhookSigner signer = new WebhookSigner(WebhookConfiguration.secret(properties));
        assertThat(delivery.get("signature"))
                .isEqualTo(signer.sign(Long.parseLong(delivery.get("timestamp")), delivery.get("body")));
        JsonNode job = new ObjectMapper().readTree(delivery.get("body"));
        assertThat(job.get("id").asText()).isEqualTo(jobId);
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.at("/steps/0/outputs/0/width").asInt()).isEqualTo(16);
        assertThat(receiver.next(1)).as("delivered once").isNull();
    }

    @Test
    void aCancelledJobCallsItsWebhookToo() throws Exception {
        Http http = new Http(port, token());
        // a video that is not one: the job made on it only waits, as nothing dispatches a job on video
        String assetId = Http.json(http.post("/api/v1/assets?filename=v.mp4", "video/mp4", new byte[] {9}))
                .get("id").asText();
        String jobId = Http.json(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"width\":16}],\"callbackUrl\":\"" + receiver.url() + "\"}")).get("id").asText();

        assertThat(http.delete("/api/v1/jobs/" + jobId).statusCode()).isEqualTo(200);

        Map<String, String> delivery = receiver.next(60);
        assertThat(delivery).as("webhook delivered").isNotNull();
        JsonNode job = new ObjectMapper().readTree(delivery.get("body"));
        assertThat(job.get("id").asText()).isEqualTo(jobId);
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
    }
}
