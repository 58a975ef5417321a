package routes.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** A client uploads with a presigned URL and nothing else; the signature is really checked. */
class PresignedUploadTest extends CaravanTestSupport {

    @Autowired
    S3Presigner presigner;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void presignedPutWithAPlainHttpClientIsReadBack() throws Exception {
        String bucket = properties.storage().bucket();
        String key = "uploads/" + UUID.randomUUID() + "/clip.bin";
        byte[] payload = ("frame data " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);

        PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p
                .signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket(bucket).key(key).contentType("application/octet-stream")));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(presigned.url().toURI())
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        assertThat(stored).isEqualTo(payload);
    }

    @Test
    void aTamperedPresignedUrlIsRefused() throws Exception {
        String bucket = properties.storage().bucket();
        PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p
                .signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket(bucket).key("uploads/allowed.bin")));
        URI other = URI.create(presigned.url().toString().replace("uploads/allowed.bin", "uploads/other.bin"));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(other)
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("uploads/other.bin")).contents()).isEmpty();
    }
}
