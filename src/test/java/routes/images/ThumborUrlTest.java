package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThumborUrlTest {

    private static final String SIGNATURE = "Xl4ZbQvA8dYzZ1iBfXW0PP9LqEJkK6xM3Q3Ck2fTGnE";

    @Test
    void parsesTheFullGrammar() {
        ThumborUrl url = ThumborUrl.parse("/" + SIGNATURE + "/trim/10x20:300x400/fit-in/-300x-200/left/top/smart/"
                + "filters:quality(75):format(png):grayscale():blur(3,2):rotate(90):fill(00ff00):no_upscale()"
                + ":strip_exif()/photos/2024/cat.jpg");

        assertThat(url.signature()).isEqualTo(SIGNATURE);
        assertThat(url.isUnsafe()).isFalse();
        assertThat(url.signedPath()).startsWith("trim/10x20:300x400/fit-in/").endsWith("/photos/2024/cat.jpg");
        assertThat(url.key()).isEqualTo("photos/2024/cat.jpg");
        ResizeSpec spec = url.spec();
        assertThat(spec.trim()).isTrue();
        assertThat(spec.crop()).isEqualTo(new ResizeSpec.Crop(10, 20, 300, 400));
        assertThat(spec.fit()).isEqualTo(Fit.FIT_IN);
        assertThat(spec.width()).isEqualTo(300);
        assertThat(spec.height()).isEqualTo(200);
        assertThat(spec.flipH()).isTrue();
        assertThat(spec.flipV()).isTrue();
        assertThat(spec.gravity()).isEqualTo(Gravity.SMART);
        assertThat(spec.quality()).isEqualTo(75);
        assertThat(spec.format()).isEqualTo(ImageFormat.PNG);
        assertThat(spec.grayscale()).isTrue();
        assertThat(spec.blur()).isEqualTo(2.0);
        assertThat(spec.rotate()).as("Thumbor rotates counter-clockwise").isEqualTo(270);
        assertThat(spec.fill()).isEqualTo("00ff00");
        assertThat(spec.upscale()).isFalse();
        assertThat(spec.stripExif()).isTrue();
    }

    @Test
    void minimalUrls() {
        ThumborUrl plain = ThumborUrl.parse("/unsafe/cat.jpg");
        assertThat(plain.isUnsafe()).isTrue();
        assertThat(plain.signedPath()).isEqualTo("cat.jpg");
        assertThat(plain.key()).isEqualTo("cat.jpg");
        assertThat(plain.spec().width()).isNull();
        assertThat(plain.spec().upscale()).as("Thumbor upscales unless no_upscale()").isTrue();

        ThumborUrl sized = ThumborUrl.parse("unsafe/300x200/a/b.png");
        assertThat(sized.spec().fit()).as("no fit-in: crop to fill").isEqualTo(Fit.FILL);
        assertThat(sized.spec().gravity()).isEqualTo(Gravity.CENTER);
        assertThat(sized.key()).isEqualTo("a/b.png");

        ThumborUrl widthOnly = ThumborUrl.parse("/unsafe/300x/k");
        assertThat(widthOnly.spec().width()).isEqualTo(300);
        assertThat(widthOnly.spec().height()).isNull();
        ThumborUrl zero = ThumborUrl.parse("/unsafe/0x120/k");
        assertThat(zero.spec().width()).isNull();
        assertThat(zero.spec().height()).isEqualTo(120);
    }

    @Test
    void alignmentsMapToGravity() {
        assertThat(gravity("right/bottom")).isEqualTo(Gravity.SOUTH_EAST);
        assertThat(gravity("left")).isEqualTo(Gravity.WEST);
        assertThat(gravity("top")).isEqualTo(Gravity.NORTH);
        assertThat(gravity("center/middle")).isEqualTo(Gravity.CENTER);
        assertThat(gravity("right/top")).isEqualTo(Gravity.NORTH_EAST);
    }

    private static Gravity gravity(String align) {
        return ThumborUrl.parse("/unsafe/100x100/" + align + "/k.jpg").spec().gravity();
    }

    @Test
    void thumborNoCropAndAdaptiveFitIn() {
        ThumborUrl url = ThumborUrl.parse("/unsafe/0x0:0x0/adaptive-full-fit-in/100x100/k.jpg");

        assertThat(url.spec().crop()).isNull();
        assertThat(url.spec().fit()).isEqualTo(Fit.ADAPTIVE_FULL);
    }

    /**
     * The fit-in family sized as Thumbor's transformer sizes it (fit_in_resize: no enlargement when the box holds
     * the source, the box turned for adaptive, the larger factor for full), worked out by hand from its code.
     */
    @ParameterizedTest
    @CsvSource({
            "fit-in/500x400, 200, 250, 200, 250",
            "fit-in/300x300, 1200, 800, 300, 200",
            "fit-in/400x300, 800, 1200, 200, 300",
            "fit-in/500x400/filters:upscale(), 200, 250, 320, 400",
            "adaptive-fit-in/400x300, 800, 1200, 267, 400",
            "adaptive-fit-in/400x300, 1200, 800, 400, 267",
            "adaptive-fit-in/500x400, 200, 250, 200, 250",
            "full-fit-in/300x300, 1200, 800, 450, 300",
            "full-fit-in/500x400, 200, 250, 500, 625",
            "adaptive-full-fit-in/400x300, 800, 1200, 300, 450",
            "300x200, 100, 100, 300, 200",
    })
    void fitInSizesAsThumbor(String options, int sourceWidth, int sourceHeight, int width, int height) {
        ResizeSpec spec = ThumborUrl.parse("/unsafe/" + options + "/k.jpg").spec();

        ImageResizer.Size output = new ImageResizer(ImageLimits.defaults())
                .target(new ImageResizer.Size(sourceWidth, sourceHeight), spec).output();

        assertThat(output).isEqualTo(new ImageResizer.Size(width, height));
        // the spec survives its canonical form (the rendition key) unchanged
        assertThat(new ImageOptionsParser(ImageLimits.defaults(), ImagePresets.parse(java.util.Map.of(),
                ImageLimits.defaults())).parse(spec.canonical()).canonical()).isEqualTo(spec.canonical());
    }

    @Test
    void keyIsPercentDecodedButTheSignedPathIsNot() {
        ThumborUrl url = ThumborUrl.parse("/unsafe/100x100/my%20photos/caf%C3%A9.jpg");

        assertThat(url.key()).isEqualTo("my photos/café.jpg");
        assertThat(url.signedPath()).isEqualTo("100x100/my%20photos/caf%C3%A9.jpg");
    }

    @Test
    void signedPathIsWhatTheSignerChecks() {
        UrlSigner signer = new UrlSigner(List.of("a-very-secret-key-1"));
        String path = "fit-in/300x200/filters:quality(80)/photos/cat.jpg";
        ThumborUrl url = ThumborUrl.parse("/" + signer.sign(path) + "/" + path);

        signer.verify(url.signature(), url.signedPath());
        assertThat(url.spec().quality()).isEqualTo(80);
    }

    @Test
    void filtersAreOptionalAndEndAtTheKey() {
        ThumborUrl url = ThumborUrl.parse("/unsafe/filters:grayscale()/k.jpg");

        assertThat(url.spec().grayscale()).isTrue();
        assertThat(url.key()).isEqualTo("k.jpg");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "/",
            "/unsafe",
            "/unsafe/",
            "/short/100x100/k.jpg",
            "/unsafe/100x100/",
            "/unsafe/debug/k.jpg",
            "/unsafe/trim:bottom-right/k.jpg",
            "/unsafe/origx100/k.jpg",
            "/unsafe/filters:quality(101)/k.jpg",
            "/unsafe/filters:quality(x)/k.jpg",
            "/unsafe/filters:format(tga)/k.jpg",
            "/unsafe/filters:rotate(45)/k.jpg",
            "/unsafe/filters:fill(auto)/k.jpg",
            "/unsafe/filters:blur(151)/k.jpg",
            "/unsafe/filters:grayscale(1)/k.jpg",
            "/unsafe/filters:watermark(a.png,0,0,0)/k.jpg",
            "/unsafe/filters:quality(80)",
            "/unsafe/filters:quality(80/k.jpg",
            "/unsafe/100x100/k%2.jpg",
            "/unsafe/100x100/k%FF.jpg",
            "/unsafe/10x0:5x10/k.jpg",
    })
    void badGrammarIsBadOptions(String path) {
        assertProblem(() -> ThumborUrl.parse(path), 400, "bad-options");
    }

    @Test
    void metaAsksForTheDescription() {
        ThumborUrl url = ThumborUrl.parse("/unsafe/meta/fit-in/300x200/a/b.jpg");
        assertThat(url.meta()).isTrue();
        assertThat(url.key()).isEqualTo("a/b.jpg");
        assertThat(url.signedPath()).isEqualTo("meta/fit-in/300x200/a/b.jpg");
        assertThat(ThumborUrl.parse("/unsafe/fit-in/300x200/a/b.jpg").meta()).isFalse();
    }

    @Test
    void badKeysAreBadKey() {
        assertProblem(() -> ThumborUrl.parse("/unsafe/100x100/a/../b.jpg"), 400, "bad-key");
        assertProblem(() -> ThumborUrl.parse("/unsafe/100x100/a%00b.jpg"), 400, "bad-key");
    }

    @Test
    void sizesBeyondTheLimitsAreTooLarge() {
        assertProblem(() -> ThumborUrl.parse("/unsafe/9000x100/k.jpg"), 400, "output-too-large");
    }

    @Test
    void imageUrlsAreKeptAsUrlsForTheRemoteOriginsToJudge() {
        assertThat(ThumborUrl.parse("unsafe/300x200/smart/http://example.com/a/b.png").key())
                .isEqualTo("http://example.com/a/b.png");
        assertThat(ThumborUrl.parse("unsafe/fit-in/100x0/https%3A%2F%2Fexample.com%2Fc.jpg").key())
                .isEqualTo("https://example.com/c.jpg");
    }
}
