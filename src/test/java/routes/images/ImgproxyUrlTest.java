package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** imgproxy's URL layout and signature, read as imgproxy documents them. */
class ImgproxyUrlTest {

    @Test
    void plainSourcesWithOptionsAndAnExtension() {
        ImgproxyUrl url = ImgproxyUrl.parse("sig/rs:fill:300:200/g:sm/q:70/plain/abc/my%20photo.jpg@png");

        assertThat(url.signature()).isEqualTo("sig");
        assertThat(url.signedPath()).isEqualTo("/rs:fill:300:200/g:sm/q:70/plain/abc/my%20photo.jpg@png");
        assertThat(url.key()).isEqualTo("abc/my photo.jpg");
        ResizeSpec spec = url.spec();
        assertThat(spec.fit()).isEqualTo(Fit.FILL);
        assertThat(spec.width()).isEqualTo(300);
        assertThat(spec.height()).isEqualTo(200);
        assertThat(spec.gravity()).isEqualTo(Gravity.SMART);
        assertThat(spec.quality()).isEqualTo(70);
        assertThat(spec.format()).isEqualTo(ImageFormat.PNG);
        assertThat(spec.upscale()).as("imgproxy does not enlarge unless asked").isFalse();
    }

    @Test
    void base64SourcesSplitBySlashesAndS3Originals() {
        String encoded = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("s3://media/originals/abc/cat.jpg".getBytes(StandardCharsets.UTF_8));
        String split = encoded.substring(0, 10) + "/" + encoded.substring(10);
        ImgproxyUrl url = ImgproxyUrl.parse("sig/w:120/h:80/rt:force/el:1/dpr:2/" + split + ".png");

        assertThat(url.key()).isEqualTo("abc/cat.jpg");
        assertThat(url.spec().fit()).isEqualTo(Fit.SCALE);
        assertThat(url.spec().width()).isEqualTo(240);
        assertThat(url.spec().height()).isEqualTo(160);
        assertThat(url.spec().upscale()).isTrue();
        assertThat(url.spec().format()).isEqualTo(ImageFormat.PNG);
    }

    @Test
    void httpSourcesAreKeptAsUrlsForTheRemoteOriginsToJudge() {
        assertThat(ImgproxyUrl.parse("sig/rs:fill:300:200/plain/https://example.com/images/a.jpg@webp").key())
                .isEqualTo("https://example.com/images/a.jpg");
        String encoded = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("http://example.com/images/curiosity.jpg".getBytes(StandardCharsets.UTF_8));
        assertThat(ImgproxyUrl.parse("sig/w:100/" + encoded + ".png").key())
                .isEqualTo("http://example.com/images/curiosity.jpg");
        // other schemes are still keys, and bad ones
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImgproxyUrl.parse("sig/w:1/plain/local:///etc/passwd"))
                .isInstanceOf(ImageProblem.class);
    }

    @Test
    void backgroundPadsOnlyWithExtend() {
        ImgproxyUrl padded = ImgproxyUrl.parse("sig/rs:fit:300:300/ex:1/bg:255:0:0/plain/abc/cat.jpg");
        assertThat(padded.spec().fill()).isEqualTo("ff0000");
        assertThat(padded.spec().pads()).isTrue();
        assertThat(ImgproxyUrl.parse("sig/rs:fit:300:300/ex:1/plain/abc/cat.jpg").spec().fill()).isEqualTo("ffffff00");
        // extend as the fifth argument of resize (and fourth of size), as imgproxy takes it
        assertThat(ImgproxyUrl.parse("sig/rs:fit:300:300:0:1/plain/abc/cat.jpg").spec().pads()).isTrue();
        assertThat(ImgproxyUrl.parse("sig/s:300:300:0:1/plain/abc/cat.jpg").spec().pads()).isTrue();
        assertThat(ImgproxyUrl.parse("sig/rs:fit:300:300:0:0/plain/abc/cat.jpg").spec().pads()).isFalse();
        assertProblem(() -> ImgproxyUrl.parse("sig/rs:fit:300:300:0:1:no/plain/abc/cat.jpg"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/rs:fit:300:300/bg:ff0000/plain/abc/cat.jpg"), 400, "bad-options");
        assertThat(ImgproxyUrl.parse("sig/rs:fill:300:300/bg:ff0000/plain/abc/cat.jpg").spec().fill())
                .isEqualTo("ff0000");
    }

    @Test
    void whatIsNotServedIsRefusedByName() {
        assertProblem(() -> ImgproxyUrl.parse("sig/pixelate:5/plain/abc/cat.jpg"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/mw:100/plain/abc/cat.jpg"), 400, "bad-options");
        // trim: the threshold served here, and nothing else
        assertThat(ImgproxyUrl.parse("sig/t:10/plain/abc/cat.jpg").spec().trim()).isTrue();
        assertProblem(() -> ImgproxyUrl.parse("sig/t:40/plain/abc/cat.jpg"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/t:10:FF00FF/plain/abc/cat.jpg"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/t:/plain/abc/cat.jpg"), 400, "bad-options");
        // a cache buster only makes another URL
        assertThat(ImgproxyUrl.parse("sig/w:10/cb:2/plain/abc/cat.jpg").spec())
                .isEqualTo(ImgproxyUrl.parse("sig/w:10/plain/abc/cat.jpg").spec());
        assertThat(ImgproxyUrl.parse("sig/rs:auto:100:50/plain/abc/cat.jpg").spec().fit()).isEqualTo(Fit.AUTO);
        assertProblem(() -> ImgproxyUrl.parse("sig/rs:auto:100:50:0:1/plain/abc/cat.jpg"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/rt:fit-up/w:10/plain/abc/cat.jpg"), 400, "bad-options");
        // fill-down crops small images to the asked ratio; not served rather than served as fill
        assertProblem(() -> ImgproxyUrl.parse("sig/rt:fill-down/w:10/plain/abc/cat.jpg"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/g:fp:0.5:0.5/plain/abc/cat.jpg"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/rs:fill:100:100/enc/AAAA"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/rs:fill:100:100"), 400, "bad-options");
        // a URL source is a key for the remote origins to judge
        assertThat(ImgproxyUrl.parse("sig/rs:fill:100:100/plain/http%3A%2F%2Fexample.com%2Fa.jpg").key())
                .isEqualTo("http://example.com/a.jpg");
        assertProblem(() -> ImgproxyUrl.parse("sig/w:10/plain/abc/cat.jpg@heic"), 400, "bad-options");
        assertProblem(() -> ImgproxyUrl.parse("sig/w:10/!!!.png"), 400, "bad-key");
    }

    @Test
    void imgproxysSignatureWithItsKeyAndSalt() {
        // imgproxy's documented example: key "secret", salt "hello" (hex), a base64 source split in four
        UrlSigner signer = new UrlSigner(List.of("caravan-key-0000000"), List.of(),
                List.of(Map.entry("736563726574", "68656C6C6F")), false, Clock.systemUTC());
        String path = "/rs:fill:300:400:0/g:sm/aHR0cDovL2V4YW1w/bGUuY29tL2ltYWdl/cy9jdXJpb3NpdHku/anBn.png";

        signer.verifyImgproxy("oKfUtW34Dvo2BGQehJFR4Nr0_rIjOtdtzJ3QFsUcXH8", path);

        assertProblem(() -> signer.verifyImgproxy("oKfUtW34Dvo2BGQehJFR4Nr0_rIjOtdtzJ3QFsUcXH8", path + "x"), 403,
                "bad-signature");
        assertProblem(() -> signer.verifyImgproxy("insecure", path), 403, "bad-signature");
        // with no imgproxy key, Caravan's own key signs, with no salt
        UrlSigner own = new UrlSigner(List.of("caravan-key-0000000"));
        own.verifyImgproxy(own.sign(path), path);
    }
}
