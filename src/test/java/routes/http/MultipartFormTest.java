package routes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class MultipartFormTest {

    @TempDir
    Path dir;

    @Test
    void boundaries() {
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartForm.boundary("Multipart/Form-Data;boundary=\"a b;c\"")).isEqualTo("a b;c");
        assertThat(MultipartForm.boundary("multipart/form-data")).isNull();
        assertThat(MultipartForm.boundary("application/json")).isNull();
        assertThat(MultipartForm.boundary("multipart/mixed; boundary=abc")).isNull();
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isNull();
        assertThat(MultipartForm.boundary(null)).isNull();
    }

    @Test
    void fieldsAndALargeBinaryFile() throws Exception {
        // binary content full of CR, LF and dashes, larger than the scanner's buffer
        byte[] audio = new byte[300_000];
        new Random(7).nextBytes(audio);
        for (int i = 0; i < audio.length; i += 997) {
            byte[] near = "\r\n--BOUNDARX".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(near, 0, audio, i, Math.min(near.length, audio.length - i));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("preamble to ignore\r\n--BOUNDARY\r\n".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(part("model", "whisper-1"));
        body.writeBytes(part("timestamp_granularities[]", "word"));
        body.writeBytes(part("timestamp_granularities[]", "segment"));
        body.writeBytes(("Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(audio);
        body.writeBytes("\r\n--BOUNDARY--\r\nepilogue".getBytes(StandardCharsets.US_ASCII));

        MultipartForm form = MultipartForm.parse(trickle(body.toByteArray()), "BOUNDARY", dir, 1000);

        assertThat(form.field("model")).isEqualTo("whisper-1");
        assertThat(form.fields("timestamp_granularities[]")).containsExactly("word", "segment");
        assertThat(form.field("language")).isNull();
        MultipartForm.FilePart file = form.file("file");
        assertThat(file.fileName()).isEqualTo("a \"b\".wav");
        assertThat(file.contentType()).isEqualTo("audio/wav");
        assertThat(file.size()).isEqualTo(audio.length);
        assertThat(Files.readAllBytes(file.path())).isEqualTo(audio);
    }

    @Test
    void anEmptyFile() throws Exception {
        String body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.wav\"\r\n\r\n\r\n--B--\r\n";
        MultipartForm form = parse(body);
        assertThat(form.file("file").size()).isZero();
    }

    @Test
    void malformedBodies() {
        assertMalformed("no boundary at all");
        assertMalformed("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without the closing boundary");
        assertMalformed("--B\r\nno-colon-header\r\n\r\nx\r\n--B--");
        assertMalformed("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--");
        assertMalformed("--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--");
        assertMalformed("--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--");
        assertMalformed("--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--");
        assertMalformed("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "x".repeat(2000) + "\r\n--B--");
        assertMalformed("--B\r\nContent-Disposition: form-data; name=\"a\"; x=\"" + "y".repeat(20_000)
                + "\"\r\n\r\nx\r\n--B--");
    }

    private void assertMalformed(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(MultipartForm.MalformedException.class);
    }

    private MultipartForm parse(String body) throws Exception {
        return MultipartForm.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "B", dir, 1000);
    }

    private static byte[] part(String name, String value) {
        return ("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n--BOUNDARY\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A stream that hands out odd-sized pieces, so delimiters straddle reads. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            private int n;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + (n++ * 7919) % 5000));
            }
        };
    }
}
