package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server, on its default engine (Moonshine), answers as OpenAI's transcription API does: verbose JSON
 * with words only when {@code timestamp_granularities[]=word} is asked for, segments unless only words are, each with
 * OpenAI's fields and types; word timestamps with another format refused; json, text, srt and vtt as OpenAI gives
 * them.
 */
class OpenAiFormatsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SAID = "The quick brown fox jumps over the lazy dog. A video editor cuts the interview.";

    @TempDir
    static Path dir;
    static MoonshineServer server;
    static byte[] wav;

    @BeforeAll
    static void start() throws Exception {
        server = new MoonshineServer(dir.resolve("work"));
        Path spoken = dir.resolve("said-22k.wav");
        SpeechFixtures.run(List.of("espeak-ng", "-v", "en-us", "-s", "140", "-w", spoken.toString(), SAID));
        wav = Files.readAllBytes(spoken);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static HttpResponse<String> transcribe(String format, String... granularities) throws Exception {
        Multipart form = new Multipart().field("model", "whisper-1");
        if (format != null) {
            form.field("response_format", format);
        }
        for (String g : granularities) {
            form.field("timestamp_granularities[]", g);
        }
        form.file("file", "said.wav", "audio/wav", wav);
        return SttServerTest.post(server.endpoint(), Multipart.CONTENT_TYPE, form.build());
    }

    @Test
    void verboseJsonWithWordsAndSegments() throws Exception {
        HttpResponse<String> r = transcribe("verbose_json", "word", "segment");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode root = JSON.readTree(r.body());
        assertThat(root.path("task").asText()).isEqualTo("transcribe");
        assertThat(root.path("language").asText()).isEqualTo("english");
        assertThat(root.path("duration").isNumber()).isTrue();
        assertThat(WordErrorRate.of(SAID, root.path("text").asText())).as(r.body())
                .isLessThanOrEqualTo(0.2);
        assertThat(root.path("words")).isNotEmpty();
        double previous = 0;
        for (JsonNode w : root.path("words")) {
            assertThat(w.path("word").isTextual()).isTrue();
            assertThat(w.path("start").isNumber() && w.path("end").isNumber()).as(w.toString()).isTrue();
            assertThat(w.path("start").asDouble()).isGreaterThanOrEqualTo(previous);
            assertThat(w.path("end").asDouble()).isLessThanOrEqualTo(root.path("duration").asDouble());
            previous = w.path("start").asDouble();
        }
        assertThat(root.path("segments")).isNotEmpty();
        int id = 0;
        for (JsonNode s : root.path("segments")) {
            assertThat(s.path("id").isInt() && s.path("id").asInt() == id++).as(s.toString()).isTrue();
            assertThat(s.path("seek").isInt()).isTrue();
            assertThat(s.path("start").isNumber() && s.path("end").isNumber()).isTrue();
            assertThat(s.path("text").isTextual()).isTrue();
            assertThat(s.path("tokens").isArray()).isTrue();
            assertThat(s.path("temperature").isNumber() && s.path("avg_logprob").isNumber()).isTrue();
            assertThat(s.path("compression_ratio").asDouble()).isPositive();
            assertThat(s.path("no_speech_prob").isNumber()).isTrue();
        }
    }

    @Test
    void onlyWhatWasAskedFor() throws Exception {
        JsonNode wordsOnly = JSON.readTree(transcribe("verbose_json", "word").body());
        assertThat(wordsOnly.has("words")).isTrue();
        assertThat(wordsOnly.has("segments")).as("OpenAI leaves segments out when only words are asked for").isFalse();
        JsonNode byDefault = JSON.readTree(transcribe("verbose_json").body());
        assertThat(byDefault.has("segments")).isTrue();
        assertThat(byDefault.has("words")).as("words only when asked for").isFalse();
        JsonNode json = JSON.readTree(transcribe(null).body());
        assertThat(json.size()).isEqualTo(1);
        assertThat(json.path("text").asText()).isNotBlank();
    }

    @Test
    void wordTimestampsNeedVerboseJson() throws Exception {
        SttServerTest.assertError(transcribe("json", "word"), 400, "invalid_request_error");
        SttServerTest.assertError(transcribe("verbose_json", "character"), 400, "invalid_request_error");
    }

    @Test
    void aTranscriptionPastTheTimeoutIsStopped() throws Exception {
        SttServer hurried = new SttServer("127.0.0.1", 0, dir.resolve("hurried"), 1, Duration.ofMillis(1),
                server.engine(),
                SttServer.DEFAULT_MAX_AUDIO);
        hurried.start();
        try {
            // a 16 kHz mono WAV is read as it is (no ffmpeg): the time runs out in the engine
            byte[] canonical = Files.readAllBytes(SpeechFixtures.speak16k(dir, "hurried", SAID));
            Multipart form = new Multipart().field("response_format", "json")
                    .file("file", "said.wav", "audio/wav", canonical);
            SttServerTest.assertError(SttServerTest.post(hurried.endpoint(), Multipart.CONTENT_TYPE, form.build()),
                    504, "timeout_error");
        } finally {
            hurried.stop();
        }
    }

    @Test
    void audioLongerThanTheLongestTakenIsRefused() throws Exception {
        SttServer brief = new SttServer("127.0.0.1", 0, dir.resolve("brief"), 1, Duration.ofMinutes(1),
                server.engine(),
                Duration.ofSeconds(2));
        brief.start();
        try {
            // converted by ffmpeg (22 kHz), which stops just past the limit, and read as it is (16 kHz)
            byte[] canonical = Files.readAllBytes(SpeechFixtures.speak16k(dir, "brief", SAID));
            for (byte[] audio : List.of(wav, canonical)) {
                Multipart form = new Multipart().field("response_format", "json")
                        .file("file", "said.wav", "audio/wav", audio);
                assertThat(SttServerTest.assertError(SttServerTest.post(brief.endpoint(), Multipart.CONTENT_TYPE,
                        form.build()), 400, "invalid_request_error")).contains("at most 2 s");
            }
        } finally {
            brief.stop();
        }
    }

    @Test
    void textSubtitlesAndCaptions() throws Exception {
        HttpResponse<String> text = transcribe("text");
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(text.body()).containsIgnoringCase("brown fox");
        HttpResponse<String> srt = transcribe("srt");
        assertThat(srt.body()).startsWith("1\n").containsPattern("\\d\\d:\\d\\d:\\d\\d,\\d{3} --> ");
        HttpResponse<String> vtt = transcribe("vtt");
        assertThat(vtt.body()).startsWith("WEBVTT").containsPattern("\\d\\d:\\d\\d\\.\\d{3} --> ");
    }
}
