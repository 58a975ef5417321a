package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;
import static routes.support.TestImages.jpeg;

import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The hit path as a client sees it: once a rendition is made, asking again is answered from memory ahead of the
 * image routes (the route never receives the request) with what is stored, and refusals and changed originals still
 * go through the route.
 */
class ImageHitPathTest extends CaravanTestSupport {

    /** The endpoints of the on-demand routes, both grammars (an exchange's route id is set after it is created). */
    static final String ON_DEMAND_ENDPOINTS = "platform-http:///(img|thumbor)\\?.*";

    @LocalServerPort
    int port;
    @Autowired
    UrlSigner signer;
    @Autowired
    CamelContext camel;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;
    @Autowired
    MeterRegistry meters;

    final HttpClient client = HttpClient.newHttpClient();
    Http http;
    String assetId;
    String key;

    @BeforeEach
    void anImage() throws IOException {
        http = new Http(port, token());
        HttpResponse<String> created = http.post("/api/v1/assets?filename=photo.jpg", "image/jpeg",
                jpeg(1200, 800, Color.ORANGE));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assetId = Http.json(created).get("id").asText();
        key = assetId + "/photo.jpg";
    }

    @Test
    void aHitFromMemoryIsTheStoredRenditionWithItsValidators() {
        String url = signed("w:320/" + key);
        HttpResponse<byte[]> miss = throughTheRoute(() -> send(url, "GET", null));
        assertThat(miss.headers().firstValue("X-Caravan-Rendition")).hasValue("miss");

        double memoryHits = memoryHits();
        HttpResponse<byte[]> hit = notThroughTheRoute(() -> send(url, "GET", null));

        assertThat(memoryHits()).isEqualTo(memoryHits + 1);
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.headers().firstValue("X-Caravan-Rendition")).hasValue("hit");
        String sourceKey = ImageDelivery.ORIGINALS + key;
        HeadObjectResponse original = s3.headObject(r -> r.bucket(bucket()).key(sourceKey));
        String renditionKey = RenditionKeys.of(sourceKey, original.eTag(), new ImageOptionsParser().parse("w:320"),
                ImageFormat.JPEG);
        ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(r -> r.bucket(bucket()).key(renditionKey));
        assertThat(hit.body()).isEqualTo(stored.asByteArray()).isEqualTo(miss.body());
        assertThat(hit.headers().firstValue("ETag")).hasValue(
                "\"" + renditionKey.substring(renditionKey.lastIndexOf('/') + 1, renditionKey.lastIndexOf('.')) + "\"")
                .isEqualTo(miss.headers().firstValue("ETag"));
        assertThat(hit.headers().firstValue("Last-Modified")).hasValue(
                DateTimeFormatter.RFC_1123_DATE_TIME.format(original.lastModified().atOffset(ZoneOffset.UTC)))
                .isEqualTo(miss.headers().firstValue("Last-Modified"));
        assertThat(hit.headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=" + properties.images().cacheMaxAge().toSeconds())
                .isEqualTo(miss.headers().firstValue("Cache-Control"));
        assertThat(hit.headers().firstValue("Content-Type")).hasValue(stored.response().contentType())
                .isEqualTo(miss.headers().firstValue("Content-Type"));
        assertThat(hit.headers().firstValue("Content-Length")).hasValue(Integer.toString(stored.asByteArray().length));
    }

    @Test
    void theClientsCurrentCopyIsA304AndHeadHasTheHeadersOnly() {
        String url = signed("w:200/" + key);
        HttpResponse<byte[]> miss = send(url, "GET", null);
        String etag = miss.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> notModified = notThroughTheRoute(() -> send(url, "GET", etag));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
        assertThat(notModified.headers().firstValue("Cache-Control")).isEqualTo(miss.headers().firstValue("Cache-Control"));
        assertThat(notModified.headers().firstValue("Last-Modified")).isEqualTo(miss.headers().firstValue("Last-Modified"));

        HttpResponse<byte[]> head = notThroughTheRoute(() -> send(url, "HEAD", null));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(miss.body().length));
    }

    @Test
    void aThumborHitIsAnsweredFromMemoryToo() {
        String url = "/thumbor/" + signer.sign("160x120/" + key) + "/160x120/" + key;
        HttpResponse<byte[]> miss = send(url, "GET", null);
        assertThat(miss.headers().firstValue("X-Caravan-Rendition")).hasValue("miss");

        HttpResponse<byte[]> hit = notThroughTheRoute(() -> send(url, "GET", null));
        assertThat(hit.body()).isEqualTo(miss.body());
        assertThat(hit.headers().firstValue("ETag")).isEqualTo(miss.headers().firstValue("ETag"));
    }

    @Test
    void aBadSignatureOnARememberedRenditionIsStillRefused() {
        String path = "w:240/" + key;
        send(signed(path), "GET", null);
        send(signed(path), "GET", null);

        String good = signer.sign(path);
        String flipped = good.substring(0, 20) + (good.charAt(20) == 'A' ? 'B' : 'A') + good.substring(21);
        assertProblem(throughTheRoute(() -> http.get("/img/" + flipped + "/" + path)), 403, "bad-signature");
        assertProblem(http.get("/img/" + new UrlSigner(List.of("somebody-elses-key")).sign(path) + "/" + path), 403,
                "bad-signature");
        assertProblem(http.get("/img/unsafe/" + path), 403, "bad-signature");
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        assertProblem(http.get("/img/" + signer.sign(path, past) + "/" + path + "?expires=" + past), 403,
                "expired-url");
        assertProblem(http.get("/img/" + signer.sign(path) + "/w:241/" + key), 403, "bad-signature");
    }

    @Test
    void aReplacedOriginalIsNeverAnsweredFromMemory() throws IOException {
        String url = signed("w:100/" + key);
        send(url, "GET", null);
        HttpResponse<byte[]> before = notThroughTheRoute(() -> send(url, "GET", null));
        assertThat(ImageIO.read(new ByteArrayInputStream(before.body())).getHeight()).isEqualTo(67);

        HttpResponse<String> replaced = http.send(HttpRequest.newBuilder(http.uri("/api/v1/assets/" + assetId + "/original"))
                .header("Content-Type", "image/jpeg").PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg(400, 400, Color.BLUE))));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);

        HttpResponse<byte[]> after = throughTheRoute(() -> send(url, "GET", null));
        assertThat(after.headers().firstValue("X-Caravan-Rendition")).hasValue("miss");
        assertThat(after.headers().firstValue("ETag")).isNotEqualTo(before.headers().firstValue("ETag"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(after.body()));
        assertThat(image.getHeight()).isEqualTo(100);
        assertThat(new Color(image.getRGB(50, 50)).getBlue()).isGreaterThan(200);
        assertThat(notThroughTheRoute(() -> send(url, "GET", null)).body()).isEqualTo(after.body());
    }

    @Test
    void aDeletedOriginalIsNeverAnsweredFromMemory() {
        String path = "w:100/" + key;
        send(signed(path), "GET", null);
        notThroughTheRoute(() -> send(signed(path), "GET", null));

        assertThat(http.delete("/api/v1/assets/" + assetId).statusCode()).isEqualTo(204);

        assertProblem(throughTheRoute(() -> http.get(signed(path))), 404, "not-found");
    }

    private String signed(String path) {
        return "/img/" + signer.sign(path) + "/" + path;
    }

    private String bucket() {
        return properties.storage().bucket();
    }

    private double memoryHits() {
        return meters.get("caravan.images.hits").tag("source", "memory").counter().count();
    }

    /** The answer to {@code call}, which an on-demand route received. */
    private <T> T throughTheRoute(Supplier<T> call) {
        try (Received received = new Received()) {
            T answer = call.get();
            assertThat(received.count.get()).as("received by an on-demand route").isEqualTo(1);
            return answer;
        }
    }

    /** The answer to {@code call}, which no on-demand route received. */
    private <T> T notThroughTheRoute(Supplier<T> call) {
        try (Received received = new Received()) {
            T answer = call.get();
            assertThat(received.count.get()).as("answered ahead of the on-demand routes").isZero();
            return answer;
        }
    }

    /**
     * Counts the exchanges the on-demand routes' endpoints create while it is open. An exchange is created before
     * the route runs, so one that answered a request is counted by the time the answer arrives.
     */
    private final class Received extends EventNotifierSupport implements AutoCloseable {

        final AtomicInteger count = new AtomicInteger();

        Received() {
            camel.getManagementStrategy().addEventNotifier(this);
            start();
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeCreatedEvent created && created.getExchange().getFromEndpoint() != null
                    && created.getExchange().getFromEndpoint().getEndpointUri().matches(ON_DEMAND_ENDPOINTS)) {
                count.incrementAndGet();
            }
        }

        @Override
        public void close() {
            camel.getManagementStrategy().removeEventNotifier(this);
            stop();
        }
    }

    private HttpResponse<byte[]> send(String path, String method, String ifNoneMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).method(method,
                HttpRequest.BodyPublishers.noBody());
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
