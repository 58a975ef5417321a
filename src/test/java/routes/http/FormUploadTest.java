package routes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.hc.client5.http.entity.mime.ByteArrayBody;
import org.apache.hc.client5.http.entity.mime.FormBodyPartBuilder;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import routes.problems.Refusal;

/** Forms written by Apache HttpClient's multipart writer, read back. */
@Timeout(20)
class FormUploadTest {

    private static final FormUpload.Limits LIMITS = new FormUpload.Limits(1 << 20, 1 << 20, 1000, 10);
    private static final ContentType WAV = ContentType.create("audio/wav");

    @TempDir
    Path dir;

    @Test
    void whatIsAForm() {
        assertThat(FormUpload.isForm("multipart/form-data; boundary=abc")).isTrue();
        assertThat(FormUpload.isForm("Multipart/Form-Data;boundary=\"a b;c\"")).isTrue();
        assertThat(FormUpload.isForm(builder().addTextBody("a", "b").build().getContentType())).isTrue();
        assertThat(FormUpload.isForm("multipart/form-data")).isFalse();
        assertThat(FormUpload.isForm("multipart/form-data; boundary=")).isFalse();
        assertThat(FormUpload.isForm("multipart/form-data; boundary=" + "x".repeat(71))).isFalse();
        assertThat(FormUpload.isForm("multipart/mixed; boundary=abc")).isFalse();
        assertThat(FormUpload.isForm("multipart/form-datax; boundary=abc")).isFalse();
        assertThat(FormUpload.isForm("application/json")).isFalse();
        assertThat(FormUpload.isForm(null)).isFalse();
    }

    @Test
    void fieldsAndALargeBinaryFileReadInOddPieces() throws Exception {
        // larger than any buffer, full of CR, LF and dashes
        byte[] audio = new byte[300_000];
        new Random(7).nextBytes(audio);
        for (int i = 0; i < audio.length; i += 997) {
            byte[] near = "\r\n--BOUNDARX".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(near, 0, audio, i, Math.min(near.length, audio.length - i));
        }
        HttpEntity entity = builder().setBoundary("BOUNDARY")
                .addTextBody("model", "whisper-1")
                .addTextBody("timestamp_granularities[]", "word")
                .addTextBody("timestamp_granularities[]", "segment")
                .addBinaryBody("file", audio, WAV, "a.wav")
                .build();

        FormUpload.Form form = FormUpload.read(trickle(bytes(entity)), entity.getContentType(), -1, dir, LIMITS);

        assertThat(form.field("model")).isEqualTo("whisper-1");
        assertThat(form.fields("timestamp_granularities[]")).containsExactly("word", "segment");
        assertThat(form.field("language")).isNull();
        assertThat(form.fields("language")).isEmpty();
        FormUpload.FilePart file = form.file("file");
        assertThat(file.name()).isEqualTo("file");
        assertThat(file.fileName()).isEqualTo("a.wav");
        assertThat(file.contentType()).isEqualTo("audio/wav");
        assertThat(file.size()).isEqualTo(audio.length);
        assertThat(file.path().getParent()).isEqualTo(dir);
        assertThat(Files.readAllBytes(file.path())).isEqualTo(audio);
        assertThat(form.firstFile()).isEqualTo(file);
    }

    @Test
    void theFirstFileWhateverItsFieldName() throws Exception {
        HttpEntity entity = builder()
                .addTextBody("note", "hello")
                .addBinaryBody("upload", new byte[] {1, 2, 3}, ContentType.IMAGE_PNG, "logo.png")
                .addBinaryBody("other", new byte[] {4}, ContentType.IMAGE_PNG, "other.png")
                .build();

        FormUpload.Form form = read(entity, LIMITS);

        assertThat(form.firstFile().fileName()).isEqualTo("logo.png");
        assertThat(form.firstFile().contentType()).isEqualTo("image/png");
        assertThat(Files.readAllBytes(form.firstFile().path())).containsExactly(1, 2, 3);
        assertThat(form.file("file")).isNull();
    }

    @Test
    void aNonAsciiFileNameAsRfc5987SaysIt() throws Exception {
        // the strict mode writes filename="?berraschung ??.wav" and the real name in filename*
        HttpEntity entity = builder().setMode(HttpMultipartMode.STRICT)
                .addBinaryBody("file", new byte[] {1}, WAV, "Überraschung 東京.wav").build();

        assertThat(read(entity, LIMITS).file("file").fileName()).isEqualTo("Überraschung 東京.wav");
    }

    @Test
    void aNonAsciiFileNameInUtf8AsBrowsersSendIt() throws Exception {
        HttpEntity entity = builder().addPart(FormBodyPartBuilder.create("file", new ByteArrayBody(new byte[] {1},
                        WAV, "x.wav"))
                .setField("Content-Disposition", "form-data; name=\"file\"; filename=\"Überraschung 東京.wav\"")
                .build()).build();

        assertThat(new String(bytes(entity), StandardCharsets.UTF_8)).contains("filename=\"Überraschung 東京.wav\"")
                .doesNotContain("filename*");
        assertThat(read(entity, LIMITS).file("file").fileName()).isEqualTo("Überraschung 東京.wav");
    }

    @Test
    void anEmptyFile() throws Exception {
        HttpEntity entity = builder().addBinaryBody("file", new byte[0], WAV, "x.wav").build();

        FormUpload.FilePart file = read(entity, LIMITS).file("file");

        assertThat(file.size()).isZero();
        assertThat(file.path()).isEmptyFile();
    }

    @Test
    void aFormWithoutAFilePart() throws Exception {
        HttpEntity entity = builder().addTextBody("model", "whisper-1").build();
        byte[] body = bytes(entity);

        FormUpload.Form form = FormUpload.read(new ByteArrayInputStream(body), entity.getContentType(), body.length,
                dir, LIMITS);

        assertThat(form.field("model")).isEqualTo("whisper-1");
        assertThat(form.firstFile()).isNull();
        assertThat(form.file("file")).isNull();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void malformedBodies() throws Exception {
        HttpEntity entity = builder().setBoundary("B").addTextBody("a", "x")
                .addBinaryBody("file", new byte[100], WAV, "a.wav").build();
        byte[] whole = bytes(entity);
        String type = entity.getContentType();

        assertMalformed(Arrays.copyOf(whole, whole.length - 10), type);
        assertMalformed(Arrays.copyOf(whole, 40), type);
        assertMalformed("no boundary at all".getBytes(StandardCharsets.US_ASCII), type);
        assertMalformed("--B--\r\n".getBytes(StandardCharsets.US_ASCII), type);
        assertMalformed(("--B\r\nContent-Disposition: form-data; name=\"a\"; x=\"" + "y".repeat(20_000)
                + "\"\r\n\r\nx\r\n--B--\r\n").getBytes(StandardCharsets.US_ASCII), type);
        assertMalformed(("--B\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\u0000.wav\"\r\n\r\nx\r\n"
                + "--B--\r\n").getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void aFieldOrPartsPastTheirLimitAreMalformed() {
        assertRefused(builder().addTextBody("a", "x".repeat(1001)).build(), LIMITS, "malformed-form", "larger than 1000");
        MultipartEntityBuilder many = builder();
        for (int i = 0; i < 11; i++) {
            many.addTextBody("f" + i, "x");
        }
        assertRefused(many.build(), LIMITS, "malformed-form", "more than 10 parts");
    }

    @Test
    void anOversizedFileIsTooLarge() {
        HttpEntity entity = builder().addTextBody("model", "x").addBinaryBody("file", new byte[5001], WAV, "a.wav")
                .build();

        assertRefused(entity, new FormUpload.Limits(1 << 20, 5000, 1000, 10), "too-large", "'a.wav'");
        assertThat(read(builder().addBinaryBody("file", new byte[5000], WAV, "a.wav").build(),
                new FormUpload.Limits(1 << 20, 5000, 1000, 10)).file("file").size()).isEqualTo(5000);
    }

    @Test
    void aBodyPastItsLimitIsTooLargeWhetherItsLengthIsKnownOrNot() throws Exception {
        HttpEntity entity = builder().addBinaryBody("file", new byte[5000], WAV, "a.wav").build();
        byte[] body = bytes(entity);
        FormUpload.Limits limits = new FormUpload.Limits(body.length - 1, 1 << 20, 1000, 10);

        assertThatThrownBy(() -> FormUpload.read(unreadable(), entity.getContentType(), body.length, dir, limits))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.type()).isEqualTo("too-large"));
        assertThatThrownBy(() -> FormUpload.read(new ByteArrayInputStream(body), entity.getContentType(), -1, dir,
                limits)).isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind())
                        .isEqualTo(Refusal.Kind.TOO_LARGE));
        assertThat(FormUpload.read(new ByteArrayInputStream(body), entity.getContentType(), -1,
                Files.createTempDirectory(dir, "exact-"), new FormUpload.Limits(body.length, 1 << 20, 1000, 10))
                .file("file").size()).isEqualTo(5000);
    }

    private static MultipartEntityBuilder builder() {
        return MultipartEntityBuilder.create().setMode(HttpMultipartMode.LEGACY).setCharset(StandardCharsets.UTF_8);
    }

    private FormUpload.Form read(HttpEntity entity, FormUpload.Limits limits) {
        try {
            byte[] body = bytes(entity);
            return FormUpload.read(new ByteArrayInputStream(body), entity.getContentType(), body.length,
                    Files.createTempDirectory(dir, "form-"), limits);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertMalformed(byte[] body, String contentType) {
        assertThatThrownBy(() -> FormUpload.read(new ByteArrayInputStream(body), contentType, body.length,
                Files.createTempDirectory(dir, "malformed-"), LIMITS))
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.kind()).isEqualTo(Refusal.Kind.INVALID);
                    assertThat(r.type()).isEqualTo("malformed-form");
                });
    }

    private void assertRefused(HttpEntity entity, FormUpload.Limits limits, String type, String detail) {
        assertThatThrownBy(() -> read(entity, limits)).isInstanceOfSatisfying(Refusal.class, r -> {
            assertThat(r.type()).isEqualTo(type);
            assertThat(r.detail()).contains(detail);
        });
    }

    private static byte[] bytes(HttpEntity entity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            entity.writeTo(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** A body that must not be read: its declared length is refused first. */
    private static InputStream unreadable() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read");
            }
        };
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
