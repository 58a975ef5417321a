package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import static routes.support.TestImages.jpeg;

/** On-demand renditions by URL, both grammars: signed, stored once, served again without decoding, never stale. */
class ImageOnDemandTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    UrlSigner signer;
    @Autowired
    CamelContext camel;

    Http http;
    String key;
    String assetId;

    @BeforeEach
    void anImage() throws IOException {
        http = new Http(port, token());
        HttpResponse<String> created = http.post("/api/v1/assets?filename=photo.jpg", "image/jpeg", jpeg(1200, 800, Color.ORANGE));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assetId = Http.json(created).get("id").asText();
        key = assetId + "/photo.jpg";
    }

    @Test
    void aRenditionIsMadeOnceThenServedFromStorage() throws IOException {
        String path = "w:320/" + key;
        HttpResponse<byte[]> first = getBytes("/img/" + signer.sign(path) + "/" + path, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Caravan-Rendition")).hasValue("miss");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(first.body()));
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(213);

        HttpResponse<byte[]> second = getBytes("/img/" + signer.sign(path) + "/" + path, null);
        assertThat(second.headers().firstValue("X-Caravan-Rendition")).hasValue("hit");
        String etag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(first.headers().map().toString()));
        assertThat(second.headers().firstValue("ETag")).hasValue(etag);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");

        HttpResponse<byte[]> notModified = getBytes("/img/" + signer.sign(path) + "/" + path, etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
    }

    @Test
    void theAssetTellsTheImagesFormatAndDimensions() {
        NotifyBuilder probed = new NotifyBuilder(camel).fromRoute("image-probe")
                .filter(e -> e.getMessage().getBody(String.class).contains(assetId)).whenCompleted(1).create();
        assertThat(probed.matches(3, TimeUnit.MINUTES)).isTrue();
        var asset = Http.json(http.get("/api/v1/assets/" + assetId));
        assertThat(asset.at("/metadata/format").asText()).isEqualTo("jpeg");
        assertThat(asset.at("/metadata/width").asInt()).isEqualTo(1200);
        assertThat(asset.at("/metadata/height").asInt()).isEqualTo(800);
        assertThat(asset.at("/metadata/orientation").asInt()).isEqualTo(1);
    }

    @Test
    void theThumborGrammarCropsToTheAskedSize() throws IOException {
        String path = "300x200/smart/filters:format(png)/" + key;
        HttpResponse<byte[]> response = getBytes("/thumbor/" + signer.sign(path) + "/" + path, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(200);
    }

    @Test
    void aUrlSignedAsLibthumborSignsItRenders() throws Exception {
        // the test settings give Thumbor's key "thumbor"; the signature made here as libthumbor makes it
        String path = "fit-in/100x100/filters:format(png)/" + key;
        javax.crypto.Mac sha1 = javax.crypto.Mac.getInstance("HmacSHA1");
        sha1.init(new javax.crypto.spec.SecretKeySpec("thumbor".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA1"));
        String signature = java.util.Base64.getUrlEncoder().encodeToString(
                sha1.doFinal(path.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        HttpResponse<byte[]> response = getBytes("/thumbor/" + signature + "/" + path, null);

        assertThat(response.statusCode()).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(67);
        String tampered = "fit-in/100x101/filters:format(png)/" + key;
        assertThat(getBytes("/thumbor/" + signature + "/" + tampered, null).statusCode()).isEqualTo(403);
    }

    @Test
    void anImgproxyUrlSignedWithImgproxysKeyAndSaltRenders() throws Exception {
        // the test settings give imgproxy's key "secret" and salt "hello"; signed here as imgproxy documents it
        javax.crypto.Mac sha256 = javax.crypto.Mac.getInstance("HmacSHA256");
        sha256.init(new javax.crypto.spec.SecretKeySpec("secret".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        String encoded = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String path : List.of("/rs:fill:300:200/g:sm/plain/" + key + "@png",
                "/rs:fill:300:200/" + encoded.substring(0, 8) + "/" + encoded.substring(8) + ".png")) {
            sha256.update("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String signature = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(sha256.doFinal(path.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

            HttpResponse<byte[]> response = getBytes("/imgproxy/" + signature + path, null);

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertThat(image.getWidth()).isEqualTo(300);
            assertThat(image.getHeight()).isEqualTo(200);
            assertThat(getBytes("/imgproxy/" + signature + path.replace("300", "301"), null).statusCode())
                    .isEqualTo(403);
        }
        // the options are read before the signature is checked: an option not served is named
        HttpResponse<byte[]> unsupported = getBytes("/imgproxy/insecure/pixelate:4/plain/" + key, null);
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(unsupported.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new String(unsupported.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("pixelate");
    }

    @Test
    void webpInAndOutCheckedByFfmpegsOwnDecoder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // out: the JPEG as WebP, read back by ffprobe (libavcodec's WebP decoder, not the plug-in that wrote it)
        String path = "w:320,f:webp/" + key;
        HttpResponse<byte[]> webp = getBytes("/img/" + signer.sign(path) + "/" + path, null);
        assertThat(webp.statusCode()).isEqualTo(200);
        assertThat(webp.headers().firstValue("Content-Type")).hasValue("image/webp");
        java.nio.file.Path out = java.nio.file.Files.write(dir.resolve("out.webp"), webp.body());
        assertThat(TestImages.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", out.toString())).isEqualTo("webp,320,213");

        // in: a WebP made by ffmpeg's libwebp, uploaded, resized to PNG and read by the JDK's own PNG reader
        java.nio.file.Path source = dir.resolve("in.webp");
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x480", "-frames:v",
                "1", "-c:v", "libwebp", source.toString());
        HttpResponse<String> created = http.post("/api/v1/assets?filename=in.webp", "image/webp",
                java.nio.file.Files.readAllBytes(source));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String webpKey = Http.json(created).get("id").asText() + "/in.webp";
        String resize = "w:160,f:png/" + webpKey;
        HttpResponse<byte[]> png = getBytes("/img/" + signer.sign(resize) + "/" + resize, null);
        assertThat(png.statusCode()).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(160);
        assertThat(image.getHeight()).isEqualTo(120);
    }

    @Test
    void acceptNegotiatesAvifThenWebpForJpegAndPngButNeverForGifs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String path = "w:200/" + key;
        String url = "/img/" + signer.sign(path) + "/" + path;
        String browser = "image/avif,image/webp,image/apng,*/*;q=0.8";
        for (int round = 0; round < 2; round++) {   // the second round is answered from memory
            // AVIF first, read back by libavif's avifdec (another library than libheif, which wrote it)
            HttpResponse<byte[]> avif = getBytes(url, null, browser);
            assertThat(avif.statusCode()).isEqualTo(200);
            assertThat(avif.headers().firstValue("Content-Type")).hasValue("image/avif");
            assertThat(avif.headers().firstValue("Vary")).hasValue("Accept");
            java.nio.file.Path avifFile = java.nio.file.Files.write(dir.resolve("auto" + round + ".avif"), avif.body());
            assertThat(TestImages.run("avifdec", "--info", avifFile.toString())).contains("Resolution     : 200x133");

            HttpResponse<byte[]> webp = getBytes(url, null, "image/webp,image/avif;q=0,*/*");
            assertThat(webp.statusCode()).isEqualTo(200);
            assertThat(webp.headers().firstValue("Content-Type")).hasValue("image/webp");
            assertThat(webp.headers().firstValue("Vary")).hasValue("Accept");
            java.nio.file.Path out = java.nio.file.Files.write(dir.resolve("auto" + round + ".webp"), webp.body());
            assertThat(TestImages.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width", "-of", "csv=p=0",
                    out.toString())).isEqualTo("webp,200");

            HttpResponse<byte[]> jpeg = getBytes(url, null, "image/jpeg,*/*");
            assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(jpeg.headers().firstValue("Vary")).hasValue("Accept");
            assertThat(jpeg.headers().firstValue("ETag")).isNotEqualTo(webp.headers().firstValue("ETag"));
            assertThat(avif.headers().firstValue("ETag")).isNotEqualTo(webp.headers().firstValue("ETag"));
            assertThat(getBytes(url, null, "image/webp;q=0,*/*").headers().firstValue("Content-Type"))
                    .hasValue("image/jpeg");
        }
        // a format asked for is kept
        String png = "w:200,f:png/" + key;
        assertThat(getBytes("/img/" + signer.sign(png) + "/" + png, null, browser).headers()
                .firstValue("Content-Type")).hasValue("image/png");
        // a GIF (it may be animated) is never made a WebP still by negotiation
        java.awt.image.BufferedImage frame = new java.awt.image.BufferedImage(64, 48,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream gif = new java.io.ByteArrayOutputStream();
        ImageIO.write(frame, "gif", gif);
        String gifKey = Http.json(http.post("/api/v1/assets?filename=a.gif", "image/gif", gif.toByteArray()))
                .get("id").asText() + "/a.gif";
        String gifPath = "w:32/" + gifKey;
        assertThat(getBytes("/img/" + signer.sign(gifPath) + "/" + gifPath, null, browser).headers()
                .firstValue("Content-Type")).hasValue("image/gif");
    }

    @Test
    void aTiffIsTakenAtUploadAndRenders() throws Exception {
        java.io.ByteArrayOutputStream tiff = new java.io.ByteArrayOutputStream();
        assertThat(ImageIO.write(new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB), "tiff", tiff)).isTrue();
        HttpResponse<String> created = http.post("/api/v1/assets?filename=scan.tif", "image/tiff", tiff.toByteArray());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String path = "w:100,f:png/" + Http.json(created).get("id").asText() + "/scan.tif";

        HttpResponse<byte[]> png = getBytes("/img/" + signer.sign(path) + "/" + path, null);

        assertThat(png.statusCode()).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(75);
    }

    @Test
    void aHeicFromAPhoneIsTakenAtUploadAndServedAsJpeg(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path png = dir.resolve("photo.png");
        ImageIO.write(new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        java.nio.file.Path heic = dir.resolve("photo.heic");
        TestImages.run("heif-enc", "-q", "80", "-o", heic.toString(), png.toString());
        HttpResponse<String> created = http.post("/api/v1/assets?filename=photo.heic", "image/heic",
                java.nio.file.Files.readAllBytes(heic));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String path = "w:100/" + Http.json(created).get("id").asText() + "/photo.heic";

        HttpResponse<byte[]> jpeg = getBytes("/img/" + signer.sign(path) + "/" + path, null, "image/jpeg");

        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg.body()));
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(75);
    }

    @Test
    void thumborsMetaDescribesTheRendition() throws Exception {
        String path = "meta/300x300/smart/" + key;
        HttpResponse<byte[]> response = getBytes("/thumbor/" + signer.sign(path) + "/" + path, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        com.fasterxml.jackson.databind.JsonNode meta = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body()).path("thumbor");
        assertThat(meta.at("/source/width").asInt()).isEqualTo(1200);
        assertThat(meta.at("/source/height").asInt()).isEqualTo(800);
        assertThat(meta.at("/source/frameCount").asInt()).isEqualTo(1);
        assertThat(meta.at("/target/width").asInt()).isEqualTo(300);
        assertThat(meta.at("/target/height").asInt()).isEqualTo(300);
        assertThat(meta.path("operations").findValuesAsText("type")).containsExactly("resize", "crop");

        String fitIn = "meta/fit-in/100x100/" + key;
        com.fasterxml.jackson.databind.JsonNode fitted = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(getBytes("/thumbor/" + signer.sign(fitIn) + "/" + fitIn, null).body()).path("thumbor");
        assertThat(fitted.at("/target/width").asInt()).isEqualTo(100);
        assertThat(fitted.at("/target/height").asInt()).isEqualTo(67);
        String missing = "meta/300x200/" + assetId + "/none.jpg";
        assertThat(getBytes("/thumbor/" + signer.sign(missing) + "/" + missing, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aFallbackImageAnswersForMissingOriginalsWithItsOwnStatusAndTtl(
            @Autowired software.amazon.awssdk.services.s3.S3Client s3,
            @Autowired routes.config.CaravanProperties properties) throws Exception {
        ImageDelivery delivery = new ImageDelivery(s3, properties.storage().bucket(), ImageLimits.defaults(),
                java.time.Duration.ofHours(1), new HotCache(java.time.Duration.ofMinutes(1), 1 << 20, 1 << 16),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .withFallback(new ImageDelivery.Fallback(key, 404, java.time.Duration.ofSeconds(30)));
        ResizeSpec w50 = ResizeSpec.builder().width(50).format(ImageFormat.PNG).build();

        ImageDelivery.Answer answer = delivery.deliver(assetId + "/gone.jpg", w50, null, null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.headers()).containsEntry("Cache-Control", "public, max-age=30")
                .containsEntry("X-Caravan-Fallback", "true").doesNotContainKeys("ETag", "Last-Modified");
        try (var body = answer.body()) {
            BufferedImage image = ImageIO.read(body);
            assertThat(image.getWidth()).isEqualTo(50);
        }
        // a fallback that is missing too: the plain 404
        ImageDelivery broken = new ImageDelivery(s3, properties.storage().bucket(), ImageLimits.defaults(),
                java.time.Duration.ofHours(1), new HotCache(java.time.Duration.ofMinutes(1), 1 << 20, 1 << 16),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .withFallback(new ImageDelivery.Fallback(assetId + "/also-gone.jpg", 200, java.time.Duration.ofSeconds(30)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.deliver(assetId + "/gone.jpg", w50, null, null))
                .isInstanceOfSatisfying(routes.problems.Refusal.class,
                        r -> assertThat(r.kind()).isEqualTo(routes.problems.Refusal.Kind.NOT_FOUND));
    }

    @Test
    void thumborFiltersWithBracketsReachTheParser() throws Exception {
        String path = "300x200/filters:curve([(0,0),(255,255)],[(0,50),(16,51)],[],[])/" + key;
        // sent as a Thumbor client sends it, brackets unescaped (Java's URI would refuse to build it)
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /thumbor/" + signer.sign(path) + "/" + path + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains("bad-options").contains("curve");
        }
    }

    @Test
    void oddKeysAreTheClientsMistakeAndMissingImagesAre404() throws IOException {
        // '//' passes the request firewall on the image paths (URLs name remote images there) and the key's checks
        // say what is wrong: an empty segment, or a URL of no origin this server fetches from
        HttpResponse<byte[]> empty = getBytes("/img/" + signer.sign("w:10/" + assetId + "//photo.jpg") + "/w:10/"
                + assetId + "//photo.jpg", null);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new String(empty.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("bad-key",
                "empty segment");
        for (String path : List.of("w:10/http://example.com/img.png", "300x200/http://example.com/img.png")) {
            String prefix = path.startsWith("w:") ? "/img/" : "/thumbor/";
            HttpResponse<byte[]> response = getBytes(prefix + signer.sign(path) + "/" + path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("bad-key", "caravan.images.remote-origins");
        }
        // elsewhere the firewall still refuses '//'
        HttpResponse<String> api = http.get("/api/v1//assets");
        assertThat(api.statusCode()).isEqualTo(400);
        // a URL with its slashes collapsed, as some proxies pass it on: the key's check says why
        for (String path : List.of("w:10/http:/example.com/img.png", "w:10/https:/example.com/a/b.png")) {
            HttpResponse<byte[]> response = getBytes("/img/" + signer.sign(path) + "/" + path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("bad-key", "caravan.images.remote-origins");
        }
        String missing = "w:10/" + assetId + "/nothing.jpg";
        assertThat(getBytes("/img/" + signer.sign(missing) + "/" + missing, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aStorageThatRefusesThisServerIsA502NamingThePermissions(@Autowired routes.aws.AwsConnection aws,
            @Autowired routes.config.CaravanProperties properties) {
        // the embedded S3 answers 403 to credentials it does not know, as AWS does to a role without the permission
        try (software.amazon.awssdk.services.s3.S3Client stranger = software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(aws.endpoint(routes.aws.AwsConnection.S3))
                .region(software.amazon.awssdk.regions.Region.of(aws.region())).forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("stranger", "wrong")))
                .build()) {
            ImageDelivery delivery = new ImageDelivery(stranger, properties.storage().bucket(), ImageLimits.defaults(),
                    java.time.Duration.ofHours(1), new HotCache(java.time.Duration.ofMinutes(1), 1 << 20, 1 << 16),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> delivery.deliver(key, ResizeSpec.ORIGINAL, null))
                    .isInstanceOfSatisfying(ImageProblem.class, problem -> {
                        assertThat(problem.imageKind()).isEqualTo(ImageProblem.Kind.STORAGE_DENIED);
                        assertThat(routes.api.ProblemResponder.of(problem).status()).isEqualTo(502);
                        assertThat(problem.detail()).contains("s3:GetObject", "s3:ListBucket",
                                properties.storage().bucket());
                    });
        }
    }

    @Test
    void aReplacedOriginalIsNeverServedStale() throws IOException {
        String path = "w:100/" + key;
        BufferedImage before = ImageIO.read(new ByteArrayInputStream(getBytes("/img/" + signer.sign(path) + "/" + path, null).body()));
        assertThat(before.getHeight()).isEqualTo(67);

        HttpResponse<String> replaced = http.send(HttpRequest.newBuilder(http.uri("/api/v1/assets/" + assetId + "/original"))
                .header("Content-Type", "image/jpeg").PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg(400, 400, Color.BLUE))));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);

        HttpResponse<byte[]> after = getBytes("/img/" + signer.sign(path) + "/" + path, null);
        assertThat(after.headers().firstValue("X-Caravan-Rendition")).hasValue("miss");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(after.body()));
        assertThat(image.getHeight()).isEqualTo(100);
        assertThat(new Color(image.getRGB(50, 50)).getBlue()).isGreaterThan(200);
    }

    @Test
    void unsignedExpiredAndHostileRequestsAreRefused() throws IOException {
        String path = "w:320/" + key;
        assertProblem(http.get("/img/unsafe/" + path), 403, "bad-signature");
        assertProblem(http.get("/img/" + signer.sign("w:321/" + key) + "/" + path), 403, "bad-signature");
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        assertProblem(http.get("/img/" + signer.sign(path, past) + "/" + path + "?expires=" + past), 403, "expired-url");
        long future = Instant.now().plusSeconds(600).getEpochSecond();
        assertThat(http.get("/img/" + signer.sign(path, future) + "/" + path + "?expires=" + future).statusCode())
                .isEqualTo(200);

        String traversal = "w:10/..%2Fsecrets%2Fkey";
        assertThat(http.get("/img/" + signer.sign(traversal) + "/" + traversal).statusCode()).isBetween(400, 404);
        String bad = "w:abc/" + key;
        assertProblem(http.get("/img/" + signer.sign(bad) + "/" + bad), 400, "bad-options");
        String huge = "w:100000/" + key;
        assertProblem(http.get("/img/" + signer.sign(huge) + "/" + huge), 400, "output-too-large");
        String missing = "w:10/" + assetId + "/nothing.jpg";
        assertProblem(http.get("/img/" + signer.sign(missing) + "/" + missing), 404, "not-found");

        byte[] truncated = jpeg(800, 600, Color.GREEN);
        byte[] half = java.util.Arrays.copyOf(truncated, 200);
        String brokenId = Http.json(http.post("/api/v1/assets?filename=broken.jpg", "image/jpeg", half)).get("id").asText();
        String broken = "w:10/" + brokenId + "/broken.jpg";
        HttpResponse<String> refused = http.get("/img/" + signer.sign(broken) + "/" + broken);
        assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(getBytes("/img/" + signer.sign(path) + "/" + path, null).statusCode()).as("still serving").isEqualTo(200);
    }

    private HttpResponse<byte[]> getBytes(String path, String ifNoneMatch) {
        return getBytes(path, ifNoneMatch, null);
    }

    private HttpResponse<byte[]> getBytes(String path, String ifNoneMatch, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
