package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/**
 * Requests a client gets wrong, or sends to do harm, are answered 4xx problem+json saying what was wrong, never 5xx;
 * bodies are held to their limits as they arrive. The raw-socket cases send what no well-behaved client library
 * would: a Content-Length that lies, a body far over its limit, chunked or declared.
 */
class HostileRequestsTest extends CaravanTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void signIn() {
        http = new Http(port, token());
    }

    @Test
    void jsonOperationsRefuseWhatIsNotAJsonBody() {
        for (String path : new String[] {"/api/v1/jobs", "/api/v1/uploads", "/api/v1/api-keys"}) {
            assertProblem(http.post(path, "application/json", new byte[0]), 400, "missing-body");
            assertProblem(http.post(path, "application/x-www-form-urlencoded", "a=b&c=d".getBytes()), 415,
                    "unsupported-media-type");
            assertProblem(http.post(path, "text/plain", "{}".getBytes()), 415, "unsupported-media-type");
            assertProblem(http.send(HttpRequest.newBuilder(http.uri(path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "unsupported-media-type");
            assertProblem(http.postJson(path, "["), 400, "malformed-json");
            assertProblem(http.postJson(path, "[]"), 400, "malformed-json");
            assertProblem(http.postJson(path, "\"text\""), 400, "malformed-json");
        }
        HttpResponse<String> wrongType = http.postJson("/api/v1/jobs", "{\"assetId\":5,\"operations\":\"x\"}");
        assertProblem(wrongType, 400, "malformed-json");
        assertThat(Http.json(wrongType).get("detail").asText())
                .isEqualTo("the body has a value of the wrong type at operations (expected an array)")
                .doesNotContain("routes.");
    }

    @Test
    void aQueryParameterOfTheWrongTypeIsABadRequest() {
        HttpResponse<String> answer = http.get("/api/v1/jobs?limit=abc");
        assertProblem(answer, 400, "bad-parameter");
        assertThat(Http.json(answer).get("detail").asText()).isEqualTo("'abc' is not a valid integer");
        assertProblem(http.get("/api/v1/assets?limit=1e400"), 400, "bad-parameter");
    }

    @Test
    void aJsonBodyOverItsLimitIsRefusedDeclaredOrChunked() throws Exception {
        String big = "{\"assetId\":\"" + "a".repeat(300 * 1024) + "\"}";
        assertProblem(http.postJson("/api/v1/jobs", big), 413, "too-large");
        Raw chunked = raw("POST /api/v1/jobs HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n", Long.MAX_VALUE, true);
        assertThat(chunked.status).isEqualTo(413);
        assertThat(chunked.problem.get("type").asText()).isEqualTo("/problems/too-large");
        assertThat(chunked.sent).as("bytes sent before the answer").isLessThan(64L << 20);
    }

    @Test
    void aDirectUploadOverTheLimitIsRefusedAtOnceWithFlatMemory() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        long declared = 300L << 20;
        Raw answer = raw("POST /api/v1/assets?filename=big.mp4 HTTP/1.1\r\nContent-Type: video/mp4\r\n"
                + "Content-Length: " + declared + "\r\n", declared, false);
        memory.gc();
        long grown = memory.getHeapMemoryUsage().getUsed() - before;
        assertThat(answer.status).isEqualTo(413);
        assertThat(answer.problem.get("detail").asText()).startsWith("the body has " + declared + " bytes");
        // the answer came before the body: what was sent is what the server swallows and the sockets buffer
        assertThat(answer.sent).as("bytes sent of %d", declared).isLessThan(64L << 20);
        assertThat(grown).as("heap growth in bytes").isLessThan(8L << 20);

        Raw chunked = raw("POST /api/v1/assets?filename=big.mp4 HTTP/1.1\r\nContent-Type: video/mp4\r\n"
                + "Transfer-Encoding: chunked\r\n", declared, true);
        assertThat(chunked.status).isEqualTo(413);
        assertThat(chunked.problem.get("type").asText()).isEqualTo("/problems/too-large");
        assertThat(chunked.sent).isLessThan(64L << 20);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsABadRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":1}")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            Raw answer = Raw.read(socket.getInputStream(), 0);
            assertThat(answer.status).isEqualTo(400);
            assertThat(answer.problem.get("type").asText()).isEqualTo("/problems/truncated-body");
        }
    }

    @Test
    void methodsNobodyAnswersAreProblems() {
        HttpResponse<String> trace = http.send(HttpRequest.newBuilder(http.uri("/api/v1/jobs"))
                .method("TRACE", HttpRequest.BodyPublishers.noBody()));
        assertProblem(trace, 405, "method-not-allowed");
        assertThat(trace.headers().firstValue("Allow")).hasValueSatisfying(v -> assertThat(v).contains("GET"));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(http.uri("/api/v1/jobs"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json"));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
    }

    /** What a raw exchange got: the status, the problem, and how many body bytes were sent before it came. */
    private record Raw(int status, JsonNode problem, long sent) {

        static Raw read(InputStream in, long sent) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            String text = "";
            while ((n = in.read(buffer)) != -1) {
                all.write(buffer, 0, n);
                text = all.toString(StandardCharsets.UTF_8);
                int headerEnd = text.indexOf("\r\n\r\n");
                if (headerEnd > 0) {
                    String length = text.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                            .map(l -> l.substring(15).trim()).findFirst().orElse(null);
                    if (length != null && all.size() >= headerEnd + 4 + Integer.parseInt(length)) {
                        break;
                    }
                }
            }
            int status = Integer.parseInt(text.substring(9, 12));
            String body = text.substring(text.indexOf("\r\n\r\n") + 4);
            return new Raw(status, JSON.readTree(body), sent);
        }
    }

    /**
     * Sends a request's head and then a body of zeros (chunked, or as is) until the server answers or {@code size}
     * bytes are sent, and reads the answer.
     */
    private Raw raw(String head, long size, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: 127.0.0.1\r\nAuthorization: Bearer " + token() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                byte[] block = new byte[64 * 1024];
                byte[] chunkHead = (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < size) {
                        if (chunked) {
                            out.write(chunkHead);
                        }
                        out.write(block);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        sent.addAndGet(block.length);
                    }
                } catch (IOException closed) {
                    // the server answered and closed the connection: what it means to do
                }
            });
            Raw answer = Raw.read(socket.getInputStream(), 0);
            long atAnswer = sent.get();
            socket.close();
            sending.exceptionally(e -> null).join();
            return new Raw(answer.status, answer.problem, atAnswer);
        }
    }
}
