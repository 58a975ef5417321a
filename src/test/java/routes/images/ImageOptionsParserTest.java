package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ImageOptionsParserTest {

    private final ImagePresets presets = ImagePresets.parse(
            Map.of("thumb", "w:150,h:150,fit:fill", "hero", "w:1600,q:70"), ImageLimits.defaults());
    private final ImageOptionsParser parser = new ImageOptionsParser(ImageLimits.defaults(), presets);

    @Test
    void parsesEveryOption() {
        ResizeSpec spec = parser.parse(
                "w:320,h:200,fit:fill,g:north,f:png,q:75,gray:1,blur:2.5,rot:90,up:0,bg:ff0000,flip:h,trim:1,"
                        + "strip:1,crop:10:20:300:400");

        assertThat(spec.width()).isEqualTo(320);
        assertThat(spec.height()).isEqualTo(200);
        assertThat(spec.fit()).isEqualTo(Fit.FILL);
        assertThat(spec.gravity()).isEqualTo(Gravity.NORTH);
        assertThat(spec.format()).isEqualTo(ImageFormat.PNG);
        assertThat(spec.quality()).isEqualTo(75);
        assertThat(spec.grayscale()).isTrue();
        assertThat(spec.blur()).isEqualTo(2.5);
        assertThat(spec.rotate()).isEqualTo(90);
        assertThat(spec.upscale()).isFalse();
        assertThat(spec.fill()).isEqualTo("ff0000");
        assertThat(spec.flipH()).isTrue();
        assertThat(spec.flipV()).isFalse();
        assertThat(spec.trim()).isTrue();
        assertThat(spec.stripExif()).isTrue();
        assertThat(spec.crop()).isEqualTo(new ResizeSpec.Crop(10, 20, 300, 400));
    }

    @Test
    void briefExampleWithWebp() {
        // the WebP writer (libwebp through webp-imageio) ships with the app
        String example = "w:320,h:200,fit:fill,g:north,f:webp,q:75,gray:1,blur:2,rot:90,up:0";
        assertThat(parser.parse(example).format()).isEqualTo(ImageFormat.WEBP);
        ImageProblem problem = assertProblem(() -> parser.parse("w:10,f:heic"), 400, "bad-options");
        assertThat(problem.detail()).startsWith("f:").contains("heic");
    }

    @Test
    void aliasesAndLongNames() {
        assertThat(parser.parse("width:10,height:20,gravity:north_east,format:jpg,quality:50,grayscale:true"))
                .isEqualTo(parser.parse("w:10,h:20,g:noea,f:jpeg,q:50,gray:1"));
        assertThat(parser.parse("g:south-west").gravity()).isEqualTo(Gravity.SOUTH_WEST);
        assertThat(parser.parse("g:sm").gravity()).isEqualTo(Gravity.SMART);
    }

    @Test
    void emptyIsTheOriginal() {
        assertThat(parser.parse("")).isEqualTo(ResizeSpec.ORIGINAL);
        assertThat(parser.parse("-")).isEqualTo(ResizeSpec.ORIGINAL);
        assertThat(parser.parse("w:0")).isEqualTo(ResizeSpec.ORIGINAL);
    }

    @Test
    void presetIsTheBaseAndKeysOverrideItInAnyOrder() {
        ResizeSpec thumb = parser.parse("preset:thumb");
        assertThat(thumb.width()).isEqualTo(150);
        assertThat(thumb.fit()).isEqualTo(Fit.FILL);

        ResizeSpec overridden = parser.parse("w:100,preset:thumb,f:png");
        assertThat(overridden.width()).isEqualTo(100);
        assertThat(overridden.height()).isEqualTo(150);
        assertThat(overridden.format()).isEqualTo(ImageFormat.PNG);
        assertThat(overridden).isEqualTo(parser.parse("preset:thumb,f:png,w:100"));
        assertThat(presets.names()).containsExactlyInAnyOrder("thumb", "hero");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "w:abc | w:",
            "w:-5 | w:",
            "w:99999999999 | w:",
            "h:1.5 | h:",
            "zoom:2 | zoom:",
            "fit:squash | fit:",
            "g:up | g:",
            "f:tga | f:",
            "q:0 | q:",
            "q:101 | q:",
            "up:maybe | up:",
            "gray:2 | gray:",
            "blur:-1 | blur:",
            "blur:101 | blur:",
            "rot:45 | rot:",
            "bg:purple-ish | bg:",
            "flip:x | flip:",
            "crop:1:2:3 | crop:",
            "crop:10:0:5:100 | crop:",
            "preset:nope | preset:",
            "w:10,w:20 | w:",
            "w:10,width:20 | w:",
            "w10 | 'w10'",
            "w:10,,h:5 | ''",
    })
    void badOptionsNameTheKey(String options, String start) {
        ImageProblem problem = assertProblem(() -> parser.parse(options), 400, "bad-options");
        assertThat(problem.detail()).startsWith(start.replace("''", "'"));
    }

    @Test
    void tooLongIsBad() {
        assertProblem(() -> parser.parse("w:1,".repeat(300) + "h:1"), 400, "bad-options");
    }

    @Test
    void sizesBeyondTheOutputLimitsAreTooLarge() {
        ImageOptionsParser strict = new ImageOptionsParser(new ImageLimits(1 << 20, 1 << 20, 1000, 500, 1),
                ImagePresets.empty());

        assertThat(strict.parse("w:1000,h:500").width()).isEqualTo(1000);
        ImageProblem wide = assertProblem(() -> strict.parse("w:1001"), 400, "output-too-large");
        assertThat(wide.detail()).startsWith("w:");
        ImageProblem tall = assertProblem(() -> strict.parse("h:501"), 400, "output-too-large");
        assertThat(tall.detail()).startsWith("h:");
        assertProblem(() -> new ImageOptionsParser(new ImageLimits(1 << 20, 1 << 20, 100, 100, 1), presets)
                .parse("preset:hero"), 400, "output-too-large");
    }

    @Test
    void badPresetDefinitionNamesThePreset() {
        ImageProblem problem = assertProblem(() -> ImagePresets.parse(Map.of("broken", "w:x"),
                ImageLimits.defaults()), 400, "bad-options");
        assertThat(problem.detail()).startsWith("preset broken: w:");
    }
}
