package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import routes.http.FormUpload;
import routes.stt.FakeSttServer.Answer;

@Timeout(20)
class OpenAiSttClientTest {

    @TempDir
    Path dir;

    private FakeSttServer server;
    private Path audio;
    private final TestClock clock = new TestClock();

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeSttServer();
        audio = dir.resolve("speech.wav");
        byte[] bytes = new byte[4000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Files.write(audio, bytes);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private OpenAiSttClient client(int maxAttempts, Duration requestTimeout, CircuitBreaker breaker) {
        return new OpenAiSttClient(server.baseUrl(), "whisper-1", "sk-test", Duration.ofSeconds(2), requestTimeout,
                maxAttempts, Duration.ofMillis(20), breaker);
    }

    private OpenAiSttClient client(int maxAttempts) {
        return client(maxAttempts, Duration.ofSeconds(5), new CircuitBreaker(10, Duration.ofSeconds(30), clock));
    }

    @Test
    void sendsTheMultipartFormAndParsesVerboseJson() throws Exception {
        Transcript t = client(1).transcribe(audio, "en");

        assertThat(t.language()).isEqualTo("en");
        assertThat(t.duration()).isEqualTo(2.5);
        assertThat(t.text()).isEqualTo("Hello world.");
        assertThat(t.words()).containsExactly(new Transcript.Word("Hello", 0.1, 0.5, 0.9),
                new Transcript.Word("world", 0.6, 1.0, 1.0));
        assertThat(t.paragraphs()).hasSize(1);

        FakeSttServer.Request request = server.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer sk-test");
        String contentType = request.headers().getFirst("Content-Type");
        assertThat(FormUpload.isForm(contentType)).isTrue();
        String boundary = boundary(contentType);
        assertThat(boundary).startsWith("----caravan-").hasSizeGreaterThan(30);
        FormUpload.Form form = read(request);
        assertThat(form.field("model")).isEqualTo("whisper-1");
        assertThat(form.field("response_format")).isEqualTo("verbose_json");
        assertThat(form.fields("timestamp_granularities[]")).containsExactly("word", "segment");
        assertThat(form.field("language")).isEqualTo("en");
        assertThat(form.file("file").fileName()).isEqualTo("speech.wav");
        assertThat(form.file("file").contentType()).isEqualTo("audio/wav");
        assertThat(Files.readAllBytes(form.file("file").path())).isEqualTo(Files.readAllBytes(audio));

        // a second call uses another boundary, and no key means no Authorization
        new OpenAiSttClient(URI.create(server.baseUrl() + "/v1/"), null, null, 1).transcribe(audio, null);
        FakeSttServer.Request second = server.requests.get(1);
        assertThat(second.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(second.headers().getFirst("Authorization")).isNull();
        assertThat(boundary(second.headers().getFirst("Content-Type"))).isNotEqualTo(boundary);
        assertThat(read(second).field("language")).isNull();
    }

    private static String boundary(String contentType) {
        return contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
    }

    private FormUpload.Form read(FakeSttServer.Request request) throws Exception {
        return FormUpload.read(new ByteArrayInputStream(request.body()), request.headers().getFirst("Content-Type"),
                request.body().length, Files.createTempDirectory(dir, "form-"),
                new FormUpload.Limits(1 << 20, 1 << 20, 1000, FormUpload.MAX_PARTS));
    }

    @Test
    void retriesServerErrorsThenSucceeds() throws Exception {
        server.answer(Answer.json(503, "{\"error\":{\"message\":\"warming up\"}}"),
                Answer.json(503, "{\"error\":{\"message\":\"warming up\"}}"), Answer.json(200, FakeSttServer.VERBOSE));

        Transcript t = client(3).transcribe(audio, "en");

        assertThat(t.words()).hasSize(2);
        assertThat(server.count()).isEqualTo(3);
    }

    @Test
    void givesUpAfterMaxAttemptsWithATransientError() {
        server.answer(Answer.json(502, "bad gateway"));

        assertThatThrownBy(() -> client(3).transcribe(audio, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("502").contains("bad gateway").contains("3 attempts");
                });
        assertThat(server.count()).isEqualTo(3);
    }

    @Test
    void honoursRetryAfterOn429() throws Exception {
        server.answer(new Answer(429, Map.of("Retry-After", "1", "Content-Type", "application/json"),
                "{\"error\":{\"message\":\"slow down\"}}", 0), Answer.json(200, FakeSttServer.VERBOSE));

        Transcript t = client(2).transcribe(audio, "en");

        assertThat(t.text()).isEqualTo("Hello world.");
        assertThat(server.count()).isEqualTo(2);
        long waited = server.requests.get(1).atNanos() - server.requests.get(0).atNanos();
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void aRetryAfterBeyondTheLimitIsNotWaitedFor() {
        server.answer(new Answer(429, Map.of("Retry-After", "3600"), "", 0));

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client(3).transcribe(audio, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1));
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void aClientErrorIsPermanentAndNotRetried() {
        server.answer(Answer.json(400, "{\"error\":{\"message\":\"Invalid file format.\",\"type\":\"invalid_request_error\"}}"));

        assertThatThrownBy(() -> client(5).transcribe(audio, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Invalid file format.");
                });
        assertThat(server.count()).isEqualTo(1);
    }

    @Test
    void aSlowServerTimesOutTransiently() {
        server.answer(new Answer(200, Map.of(), FakeSttServer.VERBOSE, 5000));

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client(1, Duration.ofMillis(400), new CircuitBreaker(5, Duration.ofSeconds(30)))
                .transcribe(audio, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).contains("timed out");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OpenAiSttClient client = new OpenAiSttClient(URI.create("http://127.0.0.1:" + port), "m", null,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(10), null);

        assertThatThrownBy(() -> client.transcribe(audio, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void aMissingOrEmptyFileIsPermanent() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        assertThatThrownBy(() -> client(3).transcribe(dir.resolve("missing.wav"), "en"))
                .isInstanceOfSatisfying(SttException.class, e -> assertThat(e.isTransient()).isFalse());
        assertThatThrownBy(() -> client(3).transcribe(empty, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> assertThat(e.isTransient()).isFalse());
        assertThat(server.count()).isZero();
    }

    @Test
    void theCircuitOpensRejectsFastThenHalfOpens() throws Exception {
        server.answer(Answer.json(500, "boom"));
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);
        OpenAiSttClient client = client(1, Duration.ofSeconds(5), breaker);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.transcribe(audio, "en")).isInstanceOf(SttException.class);
        }
        assertThat(server.count()).isEqualTo(3);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.transcribe(audio, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).contains("circuit is open");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
        assertThat(server.count()).as("rejected without a request").isEqualTo(3);

        clock.advance(Duration.ofSeconds(31));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        server.answer(Answer.json(200, FakeSttServer.VERBOSE));

        assertThat(client.transcribe(audio, "en").words()).hasSize(2);
        assertThat(server.count()).isEqualTo(4);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void retriesStopWhenTheCircuitOpens() {
        server.answer(Answer.json(503, "down"));
        CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(30), clock);

        assertThatThrownBy(() -> client(5, Duration.ofSeconds(5), breaker).transcribe(audio, "en"))
                .isInstanceOfSatisfying(SttException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).contains("circuit is open").contains("503");
                });
        assertThat(server.count()).isEqualTo(2);
    }

    @Test
    void wordsFromSegmentsWhenTheServerGivesNone() throws Exception {
        Transcript t = OpenAiSttClient.parseVerboseJson("""
                {"text":" Good morning. Nice day","segments":[
                  {"start":1.0,"end":2.0,"text":" Good morning.","avg_logprob":-0.1},
                  {"start":4.0,"end":4.9,"text":" Nice day"}]}""", "en");

        assertThat(t.language()).isEqualTo("en");
        assertThat(t.duration()).isEqualTo(4.9);
        assertThat(t.words()).extracting(Transcript.Word::word).containsExactly("Good", "morning.", "Nice", "day");
        assertThat(t.words().get(0).start()).isEqualTo(1.0);
        assertThat(t.words().get(0).end()).isCloseTo(1.0 + 4.0 / 12, within(1e-9));
        assertThat(t.words().get(1).end()).isEqualTo(2.0);
        assertThat(t.words().get(0).confidence()).isCloseTo(Math.exp(-0.1), within(1e-9));
        assertThat(t.words().get(2).start()).isEqualTo(4.0);
        assertThat(t.words().get(3).end()).isEqualTo(4.9);
        assertThat(t.paragraphs()).hasSize(2);
    }

    @Test
    void segmentWordsAndPlainText() throws Exception {
        Transcript nested = OpenAiSttClient.parseVerboseJson("""
                {"text":"a b","language":"fr","duration":3,"segments":[{"start":0,"end":2,"text":"a b",
                  "words":[{"word":" a","start":0.2,"end":0.4,"probability":0.5},{"word":" b","start":0.5,"end":0.9}]}]}
                """, null);
        assertThat(nested.language()).isEqualTo("fr");
        assertThat(nested.words()).extracting(Transcript.Word::word).containsExactly("a", "b");
        assertThat(nested.words().get(0).confidence()).isEqualTo(0.5);

        Transcript plain = OpenAiSttClient.parseVerboseJson("{\"text\":\"one two\",\"duration\":2}", "de");
        assertThat(plain.language()).isEqualTo("de");
        assertThat(plain.words()).extracting(Transcript.Word::end).containsExactly(1.0, 2.0);

        assertThatThrownBy(() -> OpenAiSttClient.parseVerboseJson("<html>", "en"))
                .isInstanceOfSatisfying(SttException.class, e -> assertThat(e.isTransient()).isFalse());
    }

    @Test
    void retryAfterValues() {
        assertThat(OpenAiSttClient.parseRetryAfter("2")).contains(Duration.ofSeconds(2));
        assertThat(OpenAiSttClient.parseRetryAfter("0.5")).contains(Duration.ofMillis(500));
        assertThat(OpenAiSttClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(OpenAiSttClient.parseRetryAfter("soon")).isEmpty();
        assertThat(OpenAiSttClient.parseRetryAfter("-1")).isEmpty();
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        OpenAiSttClient c = new OpenAiSttClient(server.baseUrl(), "m", null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 3, Duration.ofMillis(100), null);
        for (int i = 0; i < 20; i++) {
            assertThat(c.backoff(1).toMillis()).isBetween(50L, 100L);
            assertThat(c.backoff(3).toMillis()).isBetween(200L, 400L);
            assertThat(c.backoff(40)).isLessThanOrEqualTo(OpenAiSttClient.MAX_BACKOFF);
        }
    }
}
