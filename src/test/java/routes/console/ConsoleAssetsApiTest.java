package routes.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.TestImages;

/**
 * What the console's asset pages ask of the API beside the rest of it: signed image URLs of a person's own images
 * (POST /assets/{id}/image-urls), read with the /img grammar's own rules, and the asset a tus upload fills, named on
 * the tus answers (X-Caravan-Asset-Id) so a browser follows its job.
 */
class ConsoleAssetsApiTest extends CaravanTestSupport {

    private Http as(String person) {
        return new Http(base().getPort(), token(person));
    }

    private static String image(Http http, String name) throws Exception {
        HttpResponse<String> made = http.post("/api/v1/assets?filename=" + name, "image/jpeg",
                TestImages.jpeg(800, 600, Color.ORANGE));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return Http.json(made).get("id").asText();
    }

    @Test
    void aSignedUrlServesTheRenditionItsOptionsAskFor() throws Exception {
        Http owner = as("url-owner");
        String id = image(owner, "sunset.jpg");

        HttpResponse<String> answer = owner.postJson("/api/v1/assets/" + id + "/image-urls",
                "{\"options\": \"w:240,fit:fit,f:png,q:80\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode signed = Http.json(answer);
        String url = signed.get("url").asText();
        assertThat(url).startsWith("/img/").endsWith("/w:240,fit:fit,f:png,q:80/" + id + "/sunset.jpg");
        assertThat(signed.get("options").asText()).isEqualTo("w:240,fit:fit,f:png,q:80");

        // anyone may fetch it, signed in or not: the signature is the permission
        HttpResponse<byte[]> rendition = new Http(base().getPort()).getBytes(url);
        assertThat(rendition.statusCode()).isEqualTo(200);
        assertThat(rendition.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(rendition.body()));
        assertThat(read.getWidth()).isEqualTo(240);
        assertThat(read.getHeight()).isEqualTo(180);

        // the same options sign the same URL; a changed one is refused by /img
        assertThat(Http.json(owner.postJson("/api/v1/assets/" + id + "/image-urls",
                "{\"options\": \"w:240,fit:fit,f:png,q:80\"}")).get("url").asText()).isEqualTo(url);
        String tampered = url.replace("w:240", "w:2400");
        assertThat(new Http(base().getPort()).getBytes(tampered).statusCode()).isEqualTo(403);

        // no options: the original as it is
        HttpResponse<String> original = owner.postJson("/api/v1/assets/" + id + "/image-urls", "{\"options\": \"\"}");
        assertThat(Http.json(original).get("url").asText()).contains("/-/" + id + "/");
    }

    @Test
    void badOptionsAreRefusedAsImgRefusesThem() throws Exception {
        Http owner = as("url-mistaken");
        String id = image(owner, "photo.jpg");
        String path = "/api/v1/assets/" + id + "/image-urls";

        Http.assertProblem(owner.postJson(path, "{\"options\": \"w:wide\"}"), 400, "bad-options");
        assertThat(owner.postJson(path, "{\"options\": \"w:wide\"}").body()).contains("not a size in pixels");
        Http.assertProblem(owner.postJson(path, "{\"options\": \"colour:red\"}"), 400, "bad-options");
        Http.assertProblem(owner.postJson(path, "{\"options\": \"w:100000\"}"), 400, "output-too-large");
        Http.assertProblem(owner.postJson(path, "{\"options\": \"q:0\"}"), 400, "bad-options");
        Http.assertProblem(owner.postJson(path, "{\"options\": \"f:psd\"}"), 400, "bad-options");
        Http.assertProblem(owner.postJson(path, "{}"), 400, "missing-options");
        assertThat(owner.postJson(path, "{\"options\": ").statusCode()).isEqualTo(400);
        assertThat(owner.send(HttpRequest.newBuilder(owner.uri(path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("w:10"))).statusCode()).isEqualTo(415);
    }

    @Test
    void anotherPersonsImageIsNotFoundAndOnlyImagesHaveImageUrls() throws Exception {
        String id = image(as("url-keeper"), "mine.jpg");
        Http stranger = as("url-stranger");
        Http.assertProblem(stranger.postJson("/api/v1/assets/" + id + "/image-urls", "{\"options\": \"w:10\"}"), 404,
                "not-found");
        Http.assertProblem(stranger.postJson("/api/v1/assets/00000000-0000-0000-0000-000000000000/image-urls",
                "{\"options\": \"w:10\"}"), 404, "not-found");

        Http owner = as("url-keeper");
        HttpResponse<String> video = owner.post("/api/v1/assets?filename=clip.mp4", "video/mp4",
                "not really a video".getBytes(StandardCharsets.UTF_8));
        String videoId = Http.json(video).get("id").asText();
        Http.assertProblem(owner.postJson("/api/v1/assets/" + videoId + "/image-urls", "{\"options\": \"w:10\"}"),
                422, "not-an-image");

        HttpResponse<String> pending = owner.postJson("/api/v1/uploads",
                "{\"filename\": \"later.jpg\", \"contentType\": \"image/jpeg\", \"size\": 100}");
        String pendingId = Http.json(pending).get("assetId").asText();
        Http.assertProblem(owner.postJson("/api/v1/assets/" + pendingId + "/image-urls", "{\"options\": \"w:10\"}"),
                409, "asset-not-ready");
    }

    @Test
    void aTusUploadNamesItsAssetOnEveryAnswer() throws Exception {
        Http owner = as("tus-namer");
        byte[] bytes = TestImages.jpeg(64, 48, Color.BLUE);
        String metadata = "filename " + b64("named.jpg") + ",filetype " + b64("image/jpeg");
        HttpResponse<String> created = owner.send(HttpRequest.newBuilder(owner.uri("/api/v1/tus"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(bytes.length))
                .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String assetId = created.headers().firstValue("X-Caravan-Asset-Id").orElseThrow();
        JsonNode pending = Http.json(owner.get("/api/v1/assets/" + assetId));
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("filename").asText()).isEqualTo("named.jpg");
        String location = created.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> head = owner.send(HttpRequest.newBuilder(owner.uri(location))
                .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.headers().firstValue("X-Caravan-Asset-Id")).hasValue(assetId);
        HttpResponse<String> patched = owner.send(HttpRequest.newBuilder(owner.uri(location))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        assertThat(patched.headers().firstValue("X-Caravan-Asset-Id")).hasValue(assetId);
        assertThat(Http.json(owner.get("/api/v1/assets/" + assetId)).get("status").asText()).isEqualTo("READY");

        // another person learns nothing of it
        HttpResponse<String> stranger = as("tus-stranger").send(HttpRequest.newBuilder(owner.uri(location))
                .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(stranger.headers().firstValue("X-Caravan-Asset-Id")).isEmpty();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
