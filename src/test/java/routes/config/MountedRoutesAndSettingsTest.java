package routes.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import routes.support.ChildApp;
import routes.support.Http;
import routes.support.SignIn;
import routes.support.TestImages;
import routes.support.WebhookReceiver;

/**
 * An operator's mounted files change a running app without a rebuild: the app is started as a process of its own
 * (the test classpath, the main class, a data folder of its own) with a routes folder and a settings file from a
 * temporary folder, as the Helm chart mounts them:
 * {@code --camel.main.routes-include-pattern=file:<dir>/routes/*.yaml} holds a copy of the shipped routes.yaml whose
 * webhook retry policy is edited, and {@code --spring.config.additional-location=file:<dir>/config/caravan.yaml}
 * sets a one-rung transcode ladder. A video's transcode outputs follow the mounted ladder, and a webhook receiver that
 * is down sees the edited number of attempts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MountedRoutesAndSettingsTest {

    static final Path SHIPPED_ROUTES = Path.of("src", "main", "resources", "routes.yaml");

    /** The shipped retry policy of webhook deliveries: the settings' redeliveries (5) with exponential backoff. */
    static final String SHIPPED_WEBHOOK_RETRY = """
                        maximumRedeliveries: "{{caravan.webhooks.max-redeliveries}}"
                        redeliveryDelay: "{{caravan.webhooks.delay-ms}}"
                        useExponentialBackOff: true
            """;
    /** The operator's edit: one redelivery, 100 ms later. */
    static final String EDITED_WEBHOOK_RETRY = """
                        maximumRedeliveries: 1
                        redeliveryDelay: 100
                        useExponentialBackOff: false
            """;

    /** The mounted settings: a one-rung ladder; two receives of a message, 3 s apart, before its DLQ. */
    static final String MOUNTED_SETTINGS = """
            caravan:
              media:
                ladder:
                  - name: tiny
                    height: 144
                    video-bitrate-kbps: 200
                    maxrate-kbps: 250
                    bufsize-kbps: 400
                    audio-bitrate-kbps: 48
              messaging:
                max-receive-count: 2
                visibility-timeout-seconds: 3
              webhooks:
                allow-private-addresses: true
            """;

    Path dir;
    ChildApp app;
    Http http;
    WebhookReceiver receiver;

    @BeforeAll
    void startTheAppWithMountedFiles() throws Exception {
        Path base = Files.createDirectories(Path.of("target", "test-data"));
        dir = Files.createTempDirectory(base, "mounted-").toAbsolutePath();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        String shipped = Files.readString(SHIPPED_ROUTES, StandardCharsets.UTF_8);
        assertThat(shipped).as("the webhook-retry policy of routes.yaml, which this test edits")
                .containsOnlyOnce(SHIPPED_WEBHOOK_RETRY);
        Files.writeString(routes.resolve("routes.yaml"), shipped.replace(SHIPPED_WEBHOOK_RETRY, EDITED_WEBHOOK_RETRY));
        Files.copy(SHIPPED_ROUTES.resolveSibling("library.yaml"), routes.resolve("library.yaml"));
        Path settings = Files.createDirectories(dir.resolve("config")).resolve("caravan.yaml");
        Files.writeString(settings, MOUNTED_SETTINGS);

        receiver = new WebhookReceiver();
        List<String> args = new ArrayList<>(List.of(
                "--camel.main.routes-include-pattern=file:" + routes + "/*.yaml",
                "--spring.config.additional-location=file:" + settings,
                "--caravan.data-dir=" + dir.resolve("data")));
        for (String service : List.of("s3", "sqs", "sns", "dynamodb", "stt")) {
            args.add("--caravan.embedded." + service + "-port=0");
        }
        app = ChildApp.start(dir, Duration.ofMinutes(2), args);
        http = new Http(app.port(), SignIn.adminToken(URI.create("http://localhost:" + app.port()), dir.resolve("data")));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theTranscodeOutputsFollowTheMountedLadder() throws Exception {
        Path clip = dir.resolve("clip.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                clip.toString()).redirectErrorStream(true).start();
        assertThat(ffmpeg.waitFor(3, TimeUnit.MINUTES) && ffmpeg.exitValue() == 0).as("the clip was made").isTrue();
        String assetId = Http.json(http.post("/api/v1/assets?filename=clip.mp4", "video/mp4",
                Files.readAllBytes(clip))).get("id").asText();

        JsonNode transcode = awaitApp(Duration.ofMinutes(5), () -> {
            JsonNode jobs = Http.json(http.get("/api/v1/jobs?assetId=" + assetId));
            for (JsonNode step : jobs.at("/items/0/steps")) {
                if (step.get("name").asText().equals("transcode") && step.get("status").asText().matches(
                        "SUCCEEDED|FAILED")) {
                    return step;
                }
            }
            return null;
        });
        assertThat(transcode.get("status").asText()).as(transcode.toString()).isEqualTo("SUCCEEDED");
        JsonNode outputs = transcode.get("outputs");
        assertThat(outputs.findValuesAsText("name")).as(outputs.toString()).containsExactly("tiny");
        assertThat(outputs.get(0).get("height").asInt()).isEqualTo(144);
        assertThat(outputs.get(0).get("width").asInt()).isEqualTo(192);

        // the file itself: the asset's rendition, fetched through its presigned URL
        String url = null;
        for (JsonNode rendition : Http.json(http.get("/api/v1/assets/" + assetId)).get("renditions")) {
            if (rendition.get("name").asText().equals("tiny")) {
                url = rendition.get("url").asText();
            }
        }
        assertThat(url).as("the tiny rendition of the asset").isNotNull();
        Path tiny = dir.resolve("tiny.mp4");
        HttpResponse<Path> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(tiny));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(ffprobe(tiny)).contains("h264,192,144").contains("aac");
    }

    @Test
    void theEditedWebhookRetryPolicyOfTheMountedRoutesIsLive() throws Exception {
        receiver.refuse(Integer.MAX_VALUE);
        String assetId = Http.json(http.post("/api/v1/assets?filename=dot.jpg", "image/jpeg",
                TestImages.jpeg(32, 24, Color.ORANGE))).get("id").asText();
        HttpResponse<String> created = http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"width\":16}],\"callbackUrl\":\"" + receiver.url() + "\"}");
        assertThat(created.statusCode()).as("mounted settings allow a loopback callback: " + created.body())
                .isEqualTo(202);
        String jobId = Http.json(created).get("id").asText();

        // each of the two receives (max-receive-count) tries once and redelivers once, then SQS parks the message
        awaitApp(Duration.ofMinutes(3), () -> Http.json(http.get("/api/v1/ops/queues/caravan-webhooks/dead-letters"))
                .findValuesAsText("body").stream().anyMatch(body -> body.contains(jobId)) ? Boolean.TRUE : null);
        assertThat(receiver.attempts()).as("deliveries tried: 2 receives x (1 + 1 redelivery)").isEqualTo(4);
    }

    /** Polls until the supplier returns something; on a timeout the error carries the end of the app's log. */
    private <T> T awaitApp(Duration timeout, Callable<T> poll) {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(300)).until(poll,
                    value -> value != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n--- the app's log:\n" + app.logTail(80), e);
        }
    }

    private static String ffprobe(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
