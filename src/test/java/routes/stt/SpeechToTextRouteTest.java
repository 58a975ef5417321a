package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.http.FormUpload;
import routes.media.MediaFixtures;
import routes.support.ExtendedAppSupport;
import routes.support.FakeSttServer;
import routes.support.FakeSttServer.Answer;
import routes.support.Http;
import routes.support.Jobs;

/**
 * The stt step against a speech-to-text server that fails as real ones do, through the stt-request route: at most
 * 1 + caravan.stt.retries (3 here) calls for one transcript, a circuit that opens when calls keep failing, and a
 * step that ends with the reason in every case.
 */
class SpeechToTextRouteTest extends ExtendedAppSupport {

    static final Answer UNAVAILABLE = Answer.json(503, "{\"error\":{\"message\":\"model is loading\"}}");

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @TempDir
    Path dir;

    Http http;

    @BeforeEach
    void aWorkingServerAndAClosedCircuit() {
        http = new Http(port, token());
        STT.reset();
        circuit().transitionToCloseState();
    }

    @Test
    void aFlakyServerIsCalledAgainUntilItAnswers() throws Exception {
        STT.answer(UNAVAILABLE, UNAVAILABLE, Answer.json(200, FakeSttServer.VERBOSE));

        JsonNode job = Jobs.ended(http, upload());

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(STT.count()).as("two failures and the answer").isEqualTo(3);
        JsonNode transcript = Http.json(http.get("/api/v1/assets/" + job.get("assetId").asText() + "/transcript"));
        assertThat(transcript.get("text").asText()).isEqualTo("Hello world.");
    }

    @Test
    void aServerThatKeepsFailingIsCalledThreeTimesThenTheStepFailsAndTheCircuitOpens() throws Exception {
        STT.answer(UNAVAILABLE);

        JsonNode job = Jobs.ended(http, upload());

        assertThat(STT.count()).as("1 + caravan.stt.retries calls, no more").isEqualTo(3);
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("error").asText()).isEqualTo("step stt failed: speech-to-text failed after 3 attempts:"
                + " the server answered 503: model is loading");
        assertThat(Jobs.stepOf(job, "probe").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(circuit().getCircuitBreakerState()).isEqualTo("OPEN");
        // the task waits on the stt queue's dead-letter queue for an operator
        assertThat(Http.json(new Http(port, adminToken()).get("/api/v1/ops/queues/caravan-stt/dead-letters"))
                .findValuesAsText("body"))
                .anyMatch(body -> body.contains(job.get("id").asText()));

        // while the circuit is open, a transcript fails at once, without a call
        JsonNode next = Jobs.ended(http, upload());
        assertThat(STT.count()).as("no call while the circuit is open").isEqualTo(3);
        assertThat(next.get("status").asText()).isEqualTo("FAILED");
        assertThat(next.get("error").asText()).isEqualTo("step stt failed: speech-to-text failed after 3 attempts:"
                + " the circuit is open after repeated failures, so the server was not called");
    }

    @Test
    void refusedAudioFailsAtOnceWithTheServersReason() throws Exception {
        STT.answer(Answer.json(400, "{\"error\":{\"message\":\"Invalid file format.\"}}"));

        JsonNode job = Jobs.ended(http, upload());

        assertThat(STT.count()).as("a refusal is not tried again").isEqualTo(1);
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("error").asText())
                .isEqualTo("step stt failed: stt-refused: speech-to-text server answered 400: Invalid file format.");
        assertThat(circuit().getCircuitBreakerState()).as("the server is up: it answered").isEqualTo("CLOSED");
    }

    @Test
    void aRefusedPieceFailsTheStepAtOnceSayingWhichPieceItWas() throws Exception {
        STT.answer(Answer.json(200, FakeSttServer.VERBOSE), Answer.json(400, "{\"error\":{\"message\":\"Bad.\"}}"));
        String assetId = Http.json(http.post("/api/v1/assets?filename=long.wav", "audio/wav",
                Files.readAllBytes(MediaFixtures.gappedTone(dir, 26, 44_100, 2)))).get("id").asText();

        JsonNode job = Jobs.ended(http, assetId);

        assertThat(STT.count()).as("no call after the refusal").isEqualTo(2);
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("error").asText()).matches("step stt failed: stt-refused: piece 2 of 3 \\(0:0[89]-0:1[67]"
                + " of the audio\\): speech-to-text server answered 400: Bad\\.");
    }

    @Test
    void aBusyServerIsAskedAgain() throws Exception {
        STT.answer(new Answer(429, Map.of("Content-Type", "application/json", "Retry-After", "0"),
                "{\"error\":{\"message\":\"slow down\"}}", 0), Answer.json(200, FakeSttServer.VERBOSE));

        JsonNode job = Jobs.ended(http, upload());

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(STT.count()).isEqualTo(2);
    }

    @Test
    void theCallIsTheOpenAiTranscriptionForm() throws Exception {
        JsonNode job = Jobs.ended(http, upload());
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");

        FakeSttServer.Request call = STT.requests().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(call.headers().getFirst("Authorization")).isEqualTo("Bearer sk-test-key");
        // nothing of the step's message goes along
        assertThat(call.headers().keySet()).map(String::toLowerCase)
                .doesNotContain("jobid", "assetid", "eventtype", "mediakind", "camelawssqsreceipthandle");
        FormUpload.Form form = FormUpload.read(new ByteArrayInputStream(call.body()),
                call.headers().getFirst("Content-Type"), call.body().length, Files.createDirectory(dir.resolve("form")),
                new FormUpload.Limits(10_000_000, 10_000_000, 64 * 1024, FormUpload.MAX_PARTS));
        assertThat(form.field("model")).isEqualTo("whisper-1");
        assertThat(form.field("response_format")).isEqualTo("verbose_json");
        assertThat(form.fields("timestamp_granularities[]")).containsExactly("word", "segment");
        assertThat(form.field("language")).isEqualTo("en");
        assertThat(form.file("file").fileName()).isEqualTo("speech.wav");
        assertThat(form.file("file").contentType()).startsWith("audio/wav");
        byte[] sent = Files.readAllBytes(form.file("file").path());
        assertThat(new String(sent, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    }

    @Test
    void longAudioGoesInPiecesCutWhereItIsQuietTheProgressMovesAndTheWordsLandAtTheirTimes() throws Exception {
        Answer slow = new Answer(200, Map.of("Content-Type", "application/json"), FakeSttServer.VERBOSE, 1500);
        STT.answer(Answer.json(200, FakeSttServer.VERBOSE), slow, slow);
        String assetId = Http.json(http.post("/api/v1/assets?filename=long.wav", "audio/wav",
                Files.readAllBytes(MediaFixtures.gappedTone(dir, 26, 44_100, 2)))).get("id").asText();

        // while the later pieces are with the server, the step shows the first done
        int seen = 0;
        for (long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); seen == 0 && System.nanoTime() < end; ) {
            JsonNode listed = Http.json(http.get("/api/v1/jobs?assetId=" + assetId)).at("/items/0");
            if (listed.has("steps") && Jobs.stepOf(listed, "stt").get("status").asText().equals("RUNNING")) {
                seen = Jobs.stepOf(listed, "stt").get("progress").asInt();
            }
            Thread.sleep(100);
        }
        assertThat(seen).as("progress of the stt step while it ran").isBetween(33, 99);
        JsonNode job = Jobs.ended(http, assetId);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");

        assertThat(STT.count()).as("26 s in pieces of 10 s at most").isEqualTo(3);
        Path sent = dir.resolve("sent");
        Files.createDirectories(sent);
        List<Double> starts = new java.util.ArrayList<>();
        double at = 0;
        for (FakeSttServer.Request call : STT.requests()) {
            FormUpload.Form form = FormUpload.read(new ByteArrayInputStream(call.body()),
                    call.headers().getFirst("Content-Type"), call.body().length,
                    Files.createTempDirectory(sent, "form"),
                    new FormUpload.Limits(10_000_000, 10_000_000, 64 * 1024, FormUpload.MAX_PARTS));
            javax.sound.sampled.AudioInputStream audio = javax.sound.sampled.AudioSystem.getAudioInputStream(
                    form.file("file").path().toFile());
            double seconds = audio.getFrameLength() / audio.getFormat().getFrameRate();
            audio.close();
            assertThat(seconds).isLessThanOrEqualTo(10.0);
            // the tone is silent in the first second of every four: the pieces start there
            assertThat(at % 4).as("a piece starting at %s s", at).isLessThan(1.0);
            starts.add(at);
            at += seconds;
        }
        assertThat(at).isCloseTo(26.0, org.assertj.core.api.Assertions.within(0.01));
        JsonNode transcript = Http.json(http.get("/api/v1/assets/" + assetId + "/transcript"));
        assertThat(transcript.get("text").asText()).isEqualTo("Hello world. Hello world. Hello world.");
        JsonNode words = transcript.get("words");
        assertThat(words).hasSize(6);
        for (int i = 0; i < 3; i++) {
            assertThat(words.get(2 * i).get("start").asDouble()).as("each piece's words placed at its start")
                    .isCloseTo(starts.get(i) + 0.1, org.assertj.core.api.Assertions.within(0.001));
        }
    }

    /** Audio named as the speech audio the audio step writes: the two do not get in each other's way. */
    private String upload() throws Exception {
        return Http.json(http.post("/api/v1/assets?filename=speech.wav", "audio/wav",
                Files.readAllBytes(MediaFixtures.tone(dir, "wav")))).get("id").asText();
    }

    private ResilienceProcessor circuit() {
        return camel.getProcessor("stt-circuit", ResilienceProcessor.class);
    }
}
