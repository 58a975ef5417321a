package routes.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.imageio.ImageIO;
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
import software.amazon.awssdk.services.s3.S3Client;

/** A job of many variants is split into tasks, resized by the workers and gathered back into the job. */
class BatchImageJobTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;

    Http http;
    WebhookReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        http = new Http(port, token());
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void twentyVariantsEndSucceededWithTwentyOutputsAndASignedWebhook() throws Exception {
        String assetId = Http.json(http.post("/api/v1/assets?filename=p.jpg", "image/jpeg",
                TestImages.jpeg(1000, 500, Color.RED))).get("id").asText();
        StringBuilder operations = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            operations.append(i == 0 ? "" : ",").append("{\"width\":").append(40 + 20 * i)
                    .append(i % 2 == 0 ? "" : ",\"format\":\"png\"").append("}");
        }
        JsonNode created = Http.json(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId + "\",\"operations\":["
                + operations + "],\"callbackUrl\":\"" + receiver.url() + "\"}"));

        Map<String, String> webhook = receiver.next(120);
        assertThat(webhook).as("the webhook arrived").isNotNull();
        assertThat(webhook.get("signature")).startsWith("sha256=");
        JsonNode job = Http.json(http.get("/api/v1/jobs/" + created.get("id").asText()));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").asInt()).isEqualTo(100);
        assertThat(job.findValues("outputs")).hasSize(20).allSatisfy(o -> assertThat(o).hasSize(1));
        assertThat(new ObjectMapper().readTree(webhook.get("body")).get("status").asText()).isEqualTo("SUCCEEDED");

        for (int i : new int[] {0, 19}) {
            JsonNode output = job.at("/steps/" + i + "/outputs/0");
            byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(properties.storage().bucket())
                    .key(output.get("key").asText())).asByteArray();
            // the job's answer carries a presigned URL of each output, which fetches the same file
            HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(output.get("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo(bytes);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(image.getWidth()).isEqualTo(40 + 20 * i);
            assertThat(image.getHeight()).isEqualTo((40 + 20 * i) / 2);
            assertThat(output.get("format").asText()).isEqualTo(i % 2 == 0 ? "jpeg" : "png");
        }
    }

    @Test
    void aBrokenImageEndsTheJobFailedWithTheReason() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(TestImages.jpeg(800, 600, Color.GREEN), 300);
        String assetId = Http.json(http.post("/api/v1/assets?filename=b.jpg", "image/jpeg", truncated)).get("id").asText();
        JsonNode created = Http.json(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"width\":10}],\"callbackUrl\":\"" + receiver.url() + "\"}"));

        assertThat(receiver.next(60)).as("the webhook arrived").isNotNull();
        JsonNode job = Http.json(http.get("/api/v1/jobs/" + created.get("id").asText()));
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("error").asText()).contains("op-001").contains("corrupt-image");
        assertThat(job.at("/steps/0/status").asText()).isEqualTo("FAILED");
        assertThat(job.at("/steps/0/attempts").asInt()).as("not retried").isEqualTo(1);
    }

    @Test
    void aBadOperationFailsItsStep() throws Exception {
        String assetId = Http.json(http.post("/api/v1/assets?filename=c.jpg", "image/jpeg",
                TestImages.jpeg(100, 100, Color.GRAY))).get("id").asText();
        JsonNode created = Http.json(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"width\":10},{\"zoom\":3}],\"callbackUrl\":\"" + receiver.url() + "\"}"));

        assertThat(receiver.next(60)).isNotNull();
        JsonNode job = Http.json(http.get("/api/v1/jobs/" + created.get("id").asText()));
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.at("/steps/1/error").asText()).contains("bad-options").contains("zoom");
    }
}
