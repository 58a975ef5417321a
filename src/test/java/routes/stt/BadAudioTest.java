package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken audio sent to the embedded server on its default engine (Moonshine): zero samples, absurd
 * headers, sizes declared larger than the file, unknown chunk layouts, bytes that are not audio. Each gets an answer
 * in time: a 400 in OpenAI's error form that says what was wrong, or a transcript of what audio there is; never a
 * 5xx, never a hang, and nothing left in the server's work folder.
 */
class BadAudioTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static MoonshineServer server;
    static byte[] samples;

    @BeforeAll
    static void start() throws Exception {
        server = new MoonshineServer(dir.resolve("work"));
        float[] said = SpeechFixtures.plainVoice(dir, "said", "The quick brown fox jumps over the lazy dog.");
        ByteBuffer pcm = ByteBuffer.allocate(said.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : said) {
            pcm.putShort((short) Math.round(Math.max(-1, Math.min(1, f)) * 32767));
        }
        samples = pcm.array();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void brokenAudioIsRefusedWithAReasonOrReadForWhatItHolds() throws Exception {
        Map<String, byte[]> refused = new LinkedHashMap<>();
        refused.put("a header and no samples", riff(fmt(1, 1, 16000, 16), chunk("data", new byte[0])));
        refused.put("no data chunk", riff(fmt(1, 1, 16000, 16), chunk("LIST", new byte[20])));
        refused.put("no fmt chunk", riff(chunk("data", samples)));
        refused.put("no channels", riff(fmt(1, 0, 16000, 16), chunk("data", samples)));
        refused.put("a sample rate of 0", riff(fmt(1, 1, 0, 16), chunk("data", samples)));
        refused.put("an unknown codec", riff(fmt(0x7777, 1, 16000, 16), chunk("data", samples)));
        refused.put("random bytes", random(64 * 1024));
        refused.put("a PNG", Files.readAllBytes(dir.resolve(png())));
        refused.put("a RIFF header cut short", Arrays.copyOf(riff(fmt(1, 1, 16000, 16), chunk("data", samples)), 30));
        refused.put("text", "RIFF? no, a shopping list: milk, bread\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> c : refused.entrySet()) {
            HttpResponse<String> r = post(c.getValue());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).path("error");
            assertThat(error.path("type").asText()).as(c.getKey()).isEqualTo("invalid_request_error");
            assertThat(error.path("message").asText()).as(c.getKey()).isNotBlank()
                    .doesNotContain(dir.toString());
        }

        // what the decoder makes of a layout no encoder writes: its reading, or a refusal, but an answer
        Map<String, byte[]> either = new LinkedHashMap<>();
        either.put("4 bits a sample", riff(fmt(1, 1, 16000, 4), chunk("data", samples)));
        either.put("a data chunk before the fmt", riff(chunk("data", samples), fmt(1, 1, 16000, 16)));
        either.put("two data chunks", riff(fmt(1, 1, 16000, 16), chunk("data", samples), chunk("data", samples)));
        either.put("a 2 GB fmt chunk", withSize(riff(fmt(1, 1, 16000, 16),
                chunk("data", samples)), "fmt ", 0x7FFF_FFFF));
        for (Map.Entry<String, byte[]> c : either.entrySet()) {
            HttpResponse<String> r = post(c.getValue());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isIn(200, 400);
        }

        Map<String, byte[]> read = new LinkedHashMap<>();
        // a data chunk declared 4 GB long in a file of a few hundred kB: what is there is read
        read.put("a data size larger than the file", withSize(riff(fmt(1, 1, 16000, 16), chunk("data", samples)),
                "data", 0xFFFF_FFF0));
        read.put("a RIFF size larger than the file", withRiffSize(riff(fmt(1, 1, 16000, 16), chunk("data", samples)),
                0x7FFF_FFFF));
        read.put("unknown chunks, odd sized, before and between", riff(chunk("JUNK", new byte[7]),
                fmt(1, 1, 16000, 16), chunk("LIST", "INFOISFT\u0005\0\0\0caravan".getBytes(StandardCharsets.ISO_8859_1)),
                chunk("data", samples)));
        read.put("an extensible 18-byte fmt", riff(fmtExtended(), chunk("data", samples)));
        read.put("the samples cut mid-way", Arrays.copyOf(riff(fmt(1, 1, 16000, 16), chunk("data", samples)),
                44 + samples.length / 2 + 1));
        for (Map.Entry<String, byte[]> c : read.entrySet()) {
            HttpResponse<String> r = post(c.getValue());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(200);
            String text = JSON.readTree(r.body()).path("text").asText();
            assertThat(text.toLowerCase()).as(c.getKey()).contains("quick brown");
        }
        try (Stream<Path> left = Files.list(dir.resolve("work"))) {
            assertThat(left).as("every request's folder removed").isEmpty();
        }
    }

    private static HttpResponse<String> post(byte[] file) throws Exception {
        return SttServerTest.post(server.endpoint(), Multipart.CONTENT_TYPE, new Multipart().field("model", "whisper-1")
                .file("file", "audio.wav", "audio/wav", file).build());
    }

    private static String png() throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(image, "png", dir.resolve("image.png").toFile());
        return "image.png";
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    static byte[] fmt(int codec, int channels, int rate, int bits) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        int align = Math.max(1, channels * bits / 8);
        b.putShort((short) codec).putShort((short) channels).putInt(rate).putInt(rate * align).putShort((short) align)
                .putShort((short) bits);
        return chunk("fmt ", b.array());
    }

    static byte[] fmtExtended() {
        ByteBuffer b = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16)
                .putShort((short) 0);
        return chunk("fmt ", b.array());
    }

    static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        return b.array();
    }

    static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        Stream.of(chunks).forEach(body::writeBytes);
        ByteBuffer b = ByteBuffer.allocate(8 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body.size()).put(body.toByteArray());
        return b.array();
    }

    private static byte[] withSize(byte[] wav, String id, int size) {
        byte[] copy = wav.clone();
        int at = indexOf(copy, id);
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 4, size);
        return copy;
    }

    private static byte[] withRiffSize(byte[] wav, int size) {
        byte[] copy = wav.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(4, size);
        return copy;
    }

    private static int indexOf(byte[] bytes, String id) {
        byte[] needle = id.getBytes(StandardCharsets.US_ASCII);
        for (int i = 12; i + 4 <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + 4, needle, 0, 4)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + id);
    }
}
