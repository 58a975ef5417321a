package routes.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/**
 * Players that stop reading hold up nobody else. Twelve clients (more than Spring's task executor has threads, which
 * the routes once ran on) start streaming a 25 MB file and stop reading; the API still answers another request at
 * once, and each stalled player, reading again, gets the whole file.
 */
class StalledPlayersTest extends CaravanTestSupport {

    static final int PLAYERS = 12;

    @LocalServerPort
    int port;

    @Test
    void playersThatStopReadingDoNotHoldUpTheApi() throws Exception {
        String token = token("stalled-" + UUID.randomUUID().toString().substring(0, 8));
        Http user = new Http(port, token);
        LibraryFixtures.awaitRoutes(user);
        Path dir = Files.createTempDirectory("stalled");
        Path wav = dir.resolve("long.wav");
        // 130 s of 48 kHz stereo PCM: 25 MB, far more than the sockets' buffers hold
        LibraryFixtures.run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=130",
                "-ac", "2", "-ar", "48000", "-c:a", "pcm_s16le", wav.toString());
        byte[] file = Files.readAllBytes(wav);
        String id = upload(user, file);
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> user.get("/api/v1/library/items/" + id).statusCode() == 200);

        List<Player> players = new ArrayList<>();
        try {
            for (int i = 0; i < PLAYERS; i++) {
                Socket player = new Socket();
                player.setReceiveBufferSize(4096);
                // a bound for a broken server only: a healthy one sends its first bytes at once
                player.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
                player.connect(new InetSocketAddress("127.0.0.1", port));
                player.getOutputStream().write(("GET /api/v1/library/items/" + id + "/stream HTTP/1.0\r\n"
                        + "Host: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                // its answer has begun; from here on it reads nothing, so the server's writes to it block
                byte[] head = player.getInputStream().readNBytes(1024);
                players.add(new Player(player, head));
                assertThat(head).hasSize(1024);
            }

            HttpResponse<String> other = user.get("/api/v1/library/items/" + id);
            assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
            assertThat(Http.json(other).get("id").asText()).isEqualTo(id);

            // every player was still being served (not dropped by a write timeout while the API waited for a thread)
            String expected = sha256(file);
            for (Player player : players) {
                ByteArrayOutputStream answer = new ByteArrayOutputStream(file.length + 4096);
                answer.write(player.head());
                player.socket().getInputStream().transferTo(answer);
                byte[] bytes = answer.toByteArray();
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                int body = text.indexOf("\r\n\r\n") + 4;
                // HTTP/1.0: the body is the bytes up to the end of the connection
                assertThat(text).startsWith("HTTP/1.1 200 ");
                assertThat(bytes.length - body).as(text.substring(0, body)).isEqualTo(file.length);
                assertThat(sha256(java.util.Arrays.copyOfRange(bytes, body, bytes.length))).isEqualTo(expected);
            }
        } finally {
            for (Player player : players) {
                player.socket().close();
            }
        }
    }

    /** A player's connection and the first bytes it read: the answer's head and the body's start. */
    private record Player(Socket socket, byte[] head) {
    }

    private static String upload(Http user, byte[] file) {
        HttpResponse<String> created = user.postJson("/api/v1/uploads",
                "{\"filename\":\"long.wav\",\"contentType\":\"audio/wav\",\"size\":" + file.length + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode upload = Http.json(created);
        String id = upload.get("assetId").asText();
        HttpResponse<String> put = user.send(HttpRequest.newBuilder(user.uri(upload.get("uploadUrl").asText()))
                .header("Content-Type", "audio/wav").PUT(HttpRequest.BodyPublishers.ofByteArray(file)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        HttpResponse<String> complete = user.postJson("/api/v1/assets/" + id + "/complete", "");
        assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
        return id;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
