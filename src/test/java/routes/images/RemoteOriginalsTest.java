package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.support.CaravanTestSupport;
import routes.api.ProblemResponder;
import routes.config.CaravanProperties;
import routes.problems.Refusal;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Images named by URL, fetched from an origin served on loopback by the JDK's HTTP server, kept in the embedded S3
 * and rendered like uploads.
 */
class RemoteOriginalsTest extends CaravanTestSupport {

    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;

    HttpServer origin;
    String base;
    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final CountDownLatch stalled = new CountDownLatch(1);
    byte[] photo;
    volatile int photoStatus = 200;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void anOrigin() throws IOException {
        photo = TestImages.jpegBytes(TestImages.halves(400, 300, TestImages.CORNER, TestImages.BODY), 0.9f);
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        origin.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            switch (path) {
                case "/photos/a.jpg" -> send(exchange, photoStatus, "image/jpeg", photo);
                case "/photos/gone.jpg" -> send(exchange, 404, "text/plain", "no".getBytes());
                case "/photos/broken.jpg" -> send(exchange, 500, "text/plain", "oops".getBytes());
                case "/photos/page.jpg" -> send(exchange, 200, "text/html", "<html>hello</html>".getBytes());
                case "/photos/moved.jpg" -> redirect(exchange, "/photos/a.jpg");
                case "/photos/away.jpg" -> redirect(exchange, "/private/a.jpg");
                case "/photos/slow.jpg" -> {
                    try {
                        stalled.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(exchange, 200, "image/jpeg", photo);
                }
                default -> send(exchange, 404, "text/plain", new byte[0]);
            }
        });
        origin.start();
        base = "http://127.0.0.1:" + origin.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        stalled.countDown();
        origin.stop(0);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private static void redirect(HttpExchange exchange, String to) throws IOException {
        exchange.getResponseHeaders().set("Location", to);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private ImageDelivery delivery(RemoteOriginals remote) {
        return new ImageDelivery(s3, properties.storage().bucket(), ImageLimits.defaults(), Duration.ofHours(1),
                new HotCache(Duration.ofMinutes(1), 1 << 20, 1 << 16), new SimpleMeterRegistry()).withRemote(remote);
    }

    private RemoteOriginals remote(Duration timeout, long maxBytes, boolean allowPrivate, Clock clock) {
        return new RemoteOriginals(s3, properties.storage().bucket(), List.of(base + "/photos/"), timeout,
                Duration.ofHours(1), maxBytes, allowPrivate, clock);
    }

    private static BufferedImage image(ImageDelivery.Answer answer) throws IOException {
        assertThat(answer.status()).isEqualTo(200);
        return ImageIO.read(answer.body());
    }

    private static Refusal refused(ThrowingCall call) {
        Refusal refusal = catchThrowableOfType(call::run, Refusal.class);
        assertThat(refusal).as("a refusal").isNotNull();
        assertThat(refusal.detail()).isNotBlank();
        return refusal;
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void anImageOfAnAllowedOriginIsFetchedOnceKeptAndRendered() throws Exception {
        ImageDelivery delivery = delivery(remote(Duration.ofSeconds(30), 1 << 20, true, Clock.systemUTC()));
        ResizeSpec w100 = new ImageOptionsParser().parse("w:100");

        BufferedImage first = image(delivery.deliver(base + "/photos/a.jpg", w100, null));
        assertThat(first.getWidth()).isEqualTo(100);
        assertThat(first.getHeight()).isEqualTo(75);
        assertThat(TestImages.near(first.getRGB(10, 37), TestImages.CORNER, 30)).isTrue();
        assertThat(TestImages.near(first.getRGB(90, 37), TestImages.BODY, 30)).isTrue();
        // again, and as Thumbor names it without a scheme: the kept copy, not the origin
        assertThat(image(delivery.deliver(base + "/photos/a.jpg", new ImageOptionsParser().parse("w:50"), null))
                .getWidth()).isEqualTo(50);
        String noScheme = base.substring("http://".length()) + "/photos/a.jpg";
        assertThat(image(delivery.deliver(noScheme, w100, null)).getWidth()).isEqualTo(100);
        assertThat(hits.get("/photos/a.jpg").get()).isEqualTo(1);
        // kept in the storage as an original, with where it came from
        var head = s3.headObject(b -> b.bucket(properties.storage().bucket())
                .key("originals/" + RemoteOriginals.keyOf(base + "/photos/a.jpg")));
        assertThat(head.contentType()).isEqualTo("image/jpeg");
        assertThat(head.metadata()).containsEntry("origin-url", base + "/photos/a.jpg");
        // an allowed redirect is followed
        assertThat(image(delivery.deliver(base + "/photos/moved.jpg", w100, null)).getWidth()).isEqualTo(100);
    }

    @Test
    void urlsOutsideTheOriginsAndWhatOriginsAnswerWronglyAreClearRefusals() {
        ImageDelivery delivery = delivery(remote(Duration.ofSeconds(30), 1 << 20, true, Clock.systemUTC()));
        ResizeSpec spec = new ImageOptionsParser().parse("w:100");

        Refusal outside = refused(() -> delivery.deliver(base + "/private/a.jpg", spec, null));
        assertThat(outside.type()).isEqualTo("bad-key");
        assertThat(outside.detail()).contains("caravan.images.remote-origins");
        assertThat(refused(() -> delivery.deliver("http://example.com/photos/a.jpg", spec, null)).type())
                .isEqualTo("bad-key");
        assertThat(refused(() -> delivery.deliver("ftp://127.0.0.1/photos/a.jpg", spec, null)).type())
                .isEqualTo("bad-key");
        // a dot segment does not climb out of the allowed path
        for (String climbing : List.of("/photos/../private/a.jpg", "/photos/%2e%2E/private/a.jpg", "/photos/./a.jpg")) {
            assertThat(refused(() -> delivery.deliver(base + climbing, spec, null)).type()).as(climbing)
                    .isEqualTo("bad-key");
        }

        Refusal gone = refused(() -> delivery.deliver(base + "/photos/gone.jpg", spec, null));
        assertThat(ProblemResponder.statusOf(gone.kind())).isEqualTo(404);
        Refusal broken = refused(() -> delivery.deliver(base + "/photos/broken.jpg", spec, null));
        assertThat(ProblemResponder.statusOf(broken.kind())).isEqualTo(502);
        assertThat(broken.type()).isEqualTo("origin-failed");
        assertThat(broken.detail()).contains("500");
        Refusal away = refused(() -> delivery.deliver(base + "/photos/away.jpg", spec, null));
        assertThat(away.type()).isEqualTo("origin-failed");
        assertThat(away.detail()).contains("redirected", "/private/a.jpg");
        assertThat(hits).doesNotContainKey("/private/a.jpg");
        Refusal page = refused(() -> delivery.deliver(base + "/photos/page.jpg", spec, null));
        assertThat(ProblemResponder.statusOf(page.kind())).isEqualTo(415);
        assertThat(page.detail()).contains("text/html");
    }

    @Test
    void limitsOfSizeTimeAndAddressHold() {
        ResizeSpec spec = new ImageOptionsParser().parse("w:100");
        Refusal large = refused(() -> delivery(remote(Duration.ofSeconds(30), photo.length - 1, true,
                Clock.systemUTC())).deliver(base + "/photos/a.jpg", spec, null));
        assertThat(ProblemResponder.statusOf(large.kind())).isEqualTo(413);

        Refusal slow = refused(() -> delivery(remote(Duration.ofMillis(300), 1 << 20, true, Clock.systemUTC()))
                .deliver(base + "/photos/slow.jpg", spec, null));
        assertThat(ProblemResponder.statusOf(slow.kind())).isEqualTo(504);
        assertThat(slow.type()).isEqualTo("origin-timeout");

        // loopback is not a public address: refused at connection time unless the setting allows it
        Refusal loopback = refused(() -> delivery(remote(Duration.ofSeconds(30), 1 << 20, false, Clock.systemUTC()))
                .deliver(base + "/photos/a.jpg", spec, null));
        assertThat(ProblemResponder.statusOf(loopback.kind())).isEqualTo(502);
        assertThat(loopback.detail()).contains("loopback", "caravan.images.remote-allow-private-addresses");
    }

    @Test
    void aStaleCopyIsFetchedAgainAndKeptWhenTheOriginFails() throws Exception {
        MovableClock clock = new MovableClock();
        ImageDelivery delivery = delivery(remote(Duration.ofSeconds(30), 1 << 20, true, clock));
        String url = base + "/photos/a.jpg?v=ttl";
        ResizeSpec spec = new ImageOptionsParser().parse("w:40");
        image(delivery.deliver(url, spec, null));
        assertThat(hits.get("/photos/a.jpg").get()).isEqualTo(1);

        clock.now = clock.now.plus(Duration.ofHours(2));
        image(delivery.deliver(url, spec, null));
        assertThat(hits.get("/photos/a.jpg").get()).isEqualTo(2);

        clock.now = clock.now.plus(Duration.ofHours(2));
        photoStatus = 503;
        assertThat(image(delivery.deliver(url, spec, null)).getWidth()).isEqualTo(40);
        assertThat(hits.get("/photos/a.jpg").get()).isEqualTo(3);
    }

    @Test
    void originsAreCheckedWhenTheServerStarts() {
        for (String bad : List.of("ftp://example.com/", "https://user@example.com/", "example.com",
                "https://example.com/?a=b")) {
            IllegalArgumentException e = catchThrowableOfType(() -> new RemoteOriginals(s3, "b", List.of(bad),
                    Duration.ofSeconds(1), Duration.ofHours(1), 1, false, Clock.systemUTC()),
                    IllegalArgumentException.class);
            assertThat(e).as(bad).isNotNull();
            assertThat(e.getMessage()).contains("caravan.images.remote-origins");
        }
    }
}
