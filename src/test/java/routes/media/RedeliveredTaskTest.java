package routes.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import org.apache.camel.ProducerTemplate;
import routes.jobs.Job;
import routes.jobs.JobStore;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.WebhookReceiver;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A worker that dies mid-task leaves its step RUNNING and its message to come back; the task that comes back (and a
 * duplicate of it) completes the step once, over the same output keys, and the job ends once.
 */
class RedeliveredTaskTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Autowired
    JobStore jobs;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;
    @TempDir
    Path dir;

    WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aTaskLeftRunningByAKilledWorkerCompletesOnceWhenItComesBack() throws Exception {
        Path clip = dir.resolve("a.wav");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=300:duration=2", clip.toString()).redirectErrorStream(true).start();
        assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Http http = new Http(port, token());
        String assetId = Http.json(http.post("/api/v1/assets?filename=a.wav", "audio/wav", Files.readAllBytes(clip)))
                .get("id").asText();
        String jobId = Http.json(http.get("/api/v1/jobs?assetId=" + assetId)).at("/items/0/id").asText();
        Job done = Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.status().terminal());
        assertThat(done.status().name()).isEqualTo("SUCCEEDED");

        // the job as a worker left it when it was killed in the middle of the audio step: that step RUNNING, the
        // ones after it not started, and a caller waiting for the webhook
        Job interrupted = jobs.update(jobId, job -> new Job(job.id(), job.assetId(), job.owner(), job.kind(),
                routes.jobs.JobStatus.RUNNING, 40, job.operations(),
                job.steps().stream().map(s -> s.name().equals("probe") ? s
                        : s.name().equals("audio") ? routes.jobs.JobStep.queued("audio", s.share(), s.after()).running()
                        : routes.jobs.JobStep.queued(s.name(), s.share(), s.after())).toList(),
                receiver.url(), null, job.createdAt(), job.updatedAt(), job.version()));
        assertThat(interrupted.step("audio").attempts()).isEqualTo(1);

        // its message comes back after the visibility timeout, and a duplicate with it
        NotifyBuilder again = new NotifyBuilder(camel).fromRoute("media-audio").whenCompleted(2)
                .and().fromRoute("media-stt").whenCompleted(1).create();
        Map<String, Object> event = Map.of("assetId", assetId, "jobId", jobId, "key", "originals/" + assetId + "/a.wav");
        Map<String, Object> attributes = Map.of("eventType", "asset.uploaded", "assetId", assetId, "jobId", jobId,
                "mediaKind", "audio");
        producer.sendBodyAndHeaders("direct:event-publish", event, attributes);
        producer.sendBodyAndHeaders("direct:event-publish", event, attributes);

        assertThat(again.matches(120, TimeUnit.SECONDS)).isTrue();
        assertThat(receiver.next(60)).as("the job ended").isNotNull();
        assertThat(receiver.next(3)).as("and ended once").isNull();
        Job finished = jobs.find(jobId).orElseThrow();
        assertThat(finished.status().name()).isEqualTo("SUCCEEDED");
        assertThat(finished.step("audio").attempts()).as("the lost attempt and the one that finished").isEqualTo(2);
        assertThat(finished.step("audio").outputs()).hasSize(1);
        List<String> keys = s3.listObjectsV2(r -> r.bucket(properties.storage().bucket())
                .prefix("derived/" + assetId + "/audio/")).contents().stream().map(o -> o.key()).toList();
        assertThat(keys).containsExactly("derived/" + assetId + "/audio/speech.wav");
        JsonNode asset = Http.json(http.get("/api/v1/assets/" + assetId));
        assertThat(asset.get("renditions").findValuesAsText("key"))
                .as("the transcript, made twice, is listed once").filteredOn(k -> k.endsWith("transcript.json")).hasSize(1);
    }
}
