package routes.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/**
 * Image URLs built from the three grammars' pieces and hostile values, each signed as its clients sign it, sent raw
 * over a socket (as a client or proxy sends them, without Java's URI checks): no answer is a 5xx, every refusal is
 * problem+json, and each comes in time. The seed is printed ({@code -Dfuzz.seed=N} replays, {@code -Dfuzz.images=N}
 * sends more).
 */
class ImageUrlFuzzTest extends CaravanTestSupport {

    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int URLS = Integer.getInteger("fuzz.images", 150);
    private static final List<String> HOSTILE = List.of("", "0", "-1", "99999999999", "1e9", "NaN", "%", "%ZZ", "%00",
            "..", "a".repeat(300), "\u00e9", "[", "]", "{", "}", "|", "(", ")", ",", ":", "::", "@", "@png", ".png",
            "http:", "s3:", "~", "!", "$", "'", "*", "+", ";", "=", "//", "http://example.com/a.png",
            "https://127.0.0.1/x.jpg", "example.com/a.png");
    private static final List<String> IMG = List.of("w:320", "h:200", "w:0", "h:-5", "w:99999", "fit:fill",
            "fit:fit-full", "fit:nope", "g:sm", "g:north", "f:webp", "f:png", "f:gif", "f:heic", "f:avif", "q:0", "q:101",
            "blur:3", "blur:1000", "rot:90", "rot:45", "bg:fff", "bg:zzz", "flip:hv", "trim:1", "crop:1,2,3,4",
            "crop:9,9,1,1", "up:1", "gray:1", "preset:none", "x:1");
    private static final List<String> THUMBOR = List.of("fit-in", "adaptive-full-fit-in", "300x200", "-300x-200",
            "0x0", "99999x1", "orig", "10x10:5x5", "smart", "left", "top", "trim", "trim:bottom-right", "meta", "debug",
            "filters:quality(80)", "filters:format(webp)", "filters:format(avif)", "filters:blur(2)", "filters:rotate(90)", "filters:fill(red)",
            "filters:upscale()", "filters:curve([(0,0),(255,255)])", "filters:watermark(a.png,0,0,0)",
            "filters:quality(", "filters:", "filters:grayscale():no_upscale()");
    private static final List<String> IMGPROXY = List.of("rs:fill:300:200", "rs:auto:10:10", "s:100:100:1",
            "rt:force", "w:50", "h:0", "g:sm", "g:fp:0.5:0.5", "q:70", "f:webp", "f:avif", "bg:255:0:0", "ex:1", "bl:2",
            "rot:90", "rot:45", "dpr:2", "dpr:0", "t:10", "cb:1", "pr:x", "pixelate:3", "mw:10", "rs:fill:-1:2",
            "enc");

    @LocalServerPort
    int port;
    @Autowired
    UrlSigner signer;

    @Test
    void noImageUrlIsAServerError() throws Exception {
        System.out.println("ImageUrlFuzzTest seed " + SEED + " (replay: -Dfuzz.seed=" + SEED + ")");
        Http http = new Http(port, token());
        String jpeg = upload(http, "photo.jpg", "image/jpeg", "jpeg");
        String gif = upload(http, "anim.gif", "image/gif", "gif");
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < URLS; i++) {
            String key = random.nextInt(5) == 0 ? pick(random, HOSTILE) : random.nextBoolean() ? jpeg : gif;
            String url = switch (random.nextInt(3)) {
                case 0 -> {
                    String options = join(random, IMG, ",");
                    yield "/img/" + signer.sign(options + "/" + key) + "/" + options + "/" + key;
                }
                case 1 -> {
                    String path = join(random, THUMBOR, "/") + "/" + key;
                    yield "/thumbor/" + thumborSign(path) + "/" + path;
                }
                default -> {
                    String path = "/" + join(random, IMGPROXY, "/") + "/plain/" + key
                            + (random.nextBoolean() ? "@" + pick(random, List.of("png", "webp", "jpg", "heic", "")) : "");
                    yield "/imgproxy/" + imgproxySign(path) + path;
                }
            };
            long started = System.nanoTime();
            String answer = get(url);
            double seconds = (System.nanoTime() - started) / 1e9;
            int status = answer.length() >= 12 && answer.startsWith("HTTP/1.1 ")
                    ? Integer.parseInt(answer.substring(9, 12)) : -1;
            String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase();
            if (status < 100 || status >= 500 || seconds > 5
                    || status >= 400 && !head.contains("content-type: application/problem+json")) {
                failures.add(status + " in " + String.format("%.1f", seconds) + " s for " + url + "\n"
                        + answer.substring(0, Math.min(400, answer.length())));
            }
        }
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    private static String join(Random random, List<String> pieces, String separator) {
        List<String> chosen = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            chosen.add(random.nextInt(6) == 0 ? pick(random, HOSTILE) : pick(random, pieces));
        }
        return String.join(separator, chosen);
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** As libthumbor signs, with the tests' Thumbor key. */
    private static String thumborSign(String path) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("thumbor".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getUrlEncoder().encodeToString(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
    }

    /** As imgproxy signs, with the tests' key "secret" and salt "hello". */
    private static String imgproxySign(String path) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update("hello".getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
    }

    /** The raw answer to a GET of {@code target} exactly as written (bytes of its characters in UTF-8). */
    private String get(String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target.replace(" ", "%20") + " HTTP/1.1\r\nHost: localhost\r\nAccept: image/webp,*/*\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String upload(Http http, String name, String type, String format) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), format, bytes);
        return Http.json(http.post("/api/v1/assets?filename=" + name, type, bytes.toByteArray())).get("id").asText()
                + "/" + name;
    }
}
