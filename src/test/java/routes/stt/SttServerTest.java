package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's refusals and limits; transcriptions themselves are in {@link SpeechToTextEndToEndTest}. */
@Timeout(30)
class SttServerTest {

    @TempDir
    static Path dir;

    static SttServer server;
    static Path workDir;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        workDir = dir.resolve("work");
        server = new SttServer("127.0.0.1", 0, workDir, 2, Duration.ofSeconds(30));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static HttpResponse<String> post(URI endpoint, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(endpoint.resolve(SttServer.TRANSCRIPTIONS_PATH))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return post(server.endpoint(), contentType, body);
    }

    /** The answer is OpenAI's error JSON with that status and type; returns the message. */
    static String assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).isNotBlank();
        return error.path("message").asText();
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void unknownPathsAndMethods() throws Exception {
        assertError(HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString()), 404, "invalid_request_error");
        assertError(HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve(SttServer.TRANSCRIPTIONS_PATH))
                .build(), HttpResponse.BodyHandlers.ofString()), 405, "invalid_request_error");
    }

    @Test
    void notMultipart() throws Exception {
        String message = assertError(post("application/json", "{\"file\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                400, "invalid_request_error");
        assertThat(message).contains("multipart/form-data");
        assertError(post("multipart/form-data", new byte[10]), 400, "invalid_request_error");
    }

    @Test
    void malformedMultipart() throws Exception {
        byte[] body = ("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"a.wav\"\r\n\r\nRIFF and then the body just stops").getBytes(StandardCharsets.UTF_8);
        String message = assertError(post(Multipart.CONTENT_TYPE, body), 400, "invalid_request_error");
        assertThat(message).contains("malformed multipart");
    }

    @Test
    void noFile() throws Exception {
        String message = assertError(post(Multipart.CONTENT_TYPE, new Multipart().field("model", "x").build()),
                400, "invalid_request_error");
        assertThat(message).contains("'file'");
    }

    @Test
    void emptyFile() throws Exception {
        String message = assertError(post(Multipart.CONTENT_TYPE,
                new Multipart().file("file", "a.wav", "audio/wav", new byte[0]).build()), 400, "invalid_request_error");
        assertThat(message).contains("empty");
    }

    @Test
    void notAudio() throws Exception {
        byte[] text = "This is a shopping list, not audio.\nmilk\nbread\n".getBytes(StandardCharsets.UTF_8);
        String message = assertError(post(Multipart.CONTENT_TYPE,
                new Multipart().field("model", "x").file("file", "list.wav", "audio/wav", text).build()),
                400, "invalid_request_error");
        assertThat(message).contains("not audio").doesNotContain(workDir.toString());
    }

    @Test
    void aWavHeaderWithNoSamples() throws Exception {
        byte[] header = wavHeader(0);
        String message = assertError(post(Multipart.CONTENT_TYPE,
                new Multipart().file("file", "a.wav", "audio/wav", header).build()), 400, "invalid_request_error");
        assertThat(message).contains("empty");
    }

    @Test
    void onlyEnglish() throws Exception {
        String message = assertError(post(Multipart.CONTENT_TYPE, new Multipart().field("language", "fr")
                .file("file", "a.wav", "audio/wav", wavHeader(3200)).build()), 400, "invalid_request_error");
        assertThat(message).contains("English");
    }

    @Test
    void unknownResponseFormat() throws Exception {
        assertError(post(Multipart.CONTENT_TYPE, new Multipart().field("response_format", "docx")
                .file("file", "a.wav", "audio/wav", wavHeader(3200)).build()), 400, "invalid_request_error");
    }

    @Test
    void tooLarge() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: " + Multipart.CONTENT_TYPE + "\r\nContent-Length: " + (300L * 1024 * 1024)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readHead(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void busyWhenAllSlotsAreTaken() throws Exception {
        SttServer one = new SttServer("127.0.0.1", 0, dir.resolve("work-one"), 1,
                Duration.ofSeconds(30));
        one.start();
        try (Socket slow = new Socket("127.0.0.1", one.endpoint().getPort())) {
            // an upload that starts and does not finish holds the only slot
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: " + Multipart.CONTENT_TYPE + "\r\nContent-Length: 1000000\r\n\r\n--"
                    + Multipart.BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            HttpResponse<String> busy = pollUntil(one.endpoint(), 429);
            assertError(busy, 429, "rate_limit_error");
            assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        }
        // the upload is abandoned: the slot is free again
        assertError(pollUntil(one.endpoint(), 400), 400, "invalid_request_error");
        one.stop();
    }

    @Test
    void aTranscriptionPastTheTimeoutIsKilled() throws Exception {
        Path wav = SpeechFixtures.speak16k(dir, "timeout", "please call me back tomorrow morning");
        SttServer quick = new SttServer("127.0.0.1", 0, dir.resolve("work-quick"), 1,
                Duration.ofMillis(300));
        quick.start();
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post(quick.endpoint(), Multipart.CONTENT_TYPE,
                    new Multipart().file("file", "a.wav", "audio/wav", Files.readAllBytes(wav)).build());
            assertThat(assertError(r, 504, "timeout_error")).contains("300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(ProcessHandle.current().descendants()
                    .filter(p -> p.isAlive() && p.info().command().orElse("").contains("pocketsphinx")))
                    .isEmpty();
        } finally {
            quick.stop();
        }
        try (Stream<Path> left = Files.list(dir.resolve("work-quick"))) {
            assertThat(left).as("request folders removed").isEmpty();
        }
    }

    @Test
    void refusesToStartWithoutPocketsphinx() {
        SttServer missing = new SttServer("127.0.0.1", 0, dir.resolve("work-missing"), 1,
                Duration.ofSeconds(5), "pocketsphinx_continuous_not_installed");
        assertThatThrownBy(missing::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pocketsphinx pocketsphinx-en-us");
    }

    @Test
    void parsesPocketsphinxOutput() {
        List<SttServer.Utterance> utterances = SttServer.parseOutput(List.of(
                "that oh well this is",
                "<s> 0.000 0.020 0.999200",
                "that(2) 0.030 0.190 0.029688",
                "<sil> 0.200 0.360 0.796820",
                "well 0.370 0.760 0.932480",
                "[NOISE] 0.770 1.040 0.313319",
                "is 1.050 1.200 1.000300",
                "</s> 1.210 1.500 1.000000",
                "please call",
                "<s> 6.150 6.230 0.999300",
                "please 6.240 6.610 0.757500",
                "++BREATH++ 6.620 6.650 0.734375",
                "call 6.660 7.020 0.947047",
                "</s> 7.030 7.690 1.000000"));

        assertThat(utterances).hasSize(2);
        assertThat(utterances.get(0).words()).containsExactly(
                new Transcript.Word("that", 0.03, 0.19, 0.029688),
                new Transcript.Word("well", 0.37, 0.76, 0.93248),
                new Transcript.Word("is", 1.05, 1.2, 1.0));
        assertThat(utterances.get(0).start()).isEqualTo(0.0);
        assertThat(utterances.get(0).end()).isEqualTo(1.5);
        assertThat(utterances.get(1).words()).extracting(Transcript.Word::word).containsExactly("please", "call");
        assertThat(SttServer.parseOutput(List.of("", "some hypothesis words here"))).isEmpty();
    }

    @Test
    void requestFoldersAreRemoved() throws Exception {
        emptyFile();
        notAudio();
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left).isEmpty();
        }
    }

    /** Posts a small invalid form until the answer has that status (at most 10 s). */
    private static HttpResponse<String> pollUntil(URI endpoint, int status) throws Exception {
        byte[] body = new Multipart().field("model", "x").build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> r;
        do {
            r = post(endpoint, Multipart.CONTENT_TYPE, body);
            if (r.statusCode() == status) {
                return r;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + status + " in time; last: " + r.statusCode() + " " + r.body());
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    /** A PCM 16-bit 16 kHz mono WAV of {@code dataBytes} of silence. */
    static byte[] wavHeader(int dataBytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        return b.array();
    }
}
