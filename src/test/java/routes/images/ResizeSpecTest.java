package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResizeSpecTest {

    private final ImageOptionsParser parser = new ImageOptionsParser();

    private String canonical(String options) {
        return parser.parse(options).canonical();
    }

    @Test
    void canonicalIsOrderIndependentAndDropsDefaults() {
        String a = canonical("w:320,h:200,fit:fill,g:north,q:75");
        String b = canonical("q:75,g:no,fit:fill,h:200,w:320,up:0,gray:0,rot:0,strip:1,blur:0");

        assertThat(a).isEqualTo(b).isEqualTo("fit:fill,g:no,h:200,q:75,w:320");
    }

    @Test
    void canonicalIgnoresWhatCannotChangeTheOutput() {
        assertThat(canonical("w:320,q:82,fit:fit,g:ce")).isEqualTo(canonical("w:320"));
        assertThat(canonical("w:320,fit:fill,g:south")).as("one side: no crop, no gravity").isEqualTo("w:320");
        assertThat(canonical("w:320,h:100,g:south")).as("fit-in without padding: no gravity").isEqualTo("h:100,w:320");
        assertThat(canonical("w:320,f:png,q:40")).as("png has no quality").isEqualTo("f:png,w:320");
        assertThat(canonical("w:320,h:100,fit:fill,bg:fff")).as("fill crop: nothing to pad").isEqualTo(
                "fit:fill,h:100,w:320");
        assertThat(canonical("rot:-90")).isEqualTo(canonical("rot:270"));
        assertThat(canonical("bg:FFF,w:10,h:10")).isEqualTo(canonical("h:10,w:10,bg:#ffffff"));
        assertThat(canonical("f:jpg,w:5")).isEqualTo(canonical("f:jpeg,width:5"));
        assertThat(canonical("blur:2.50")).isEqualTo(canonical("blur:2.5")).isEqualTo("blur:2.5");
        assertThat(canonical("crop:0:0::")).isEqualTo("");
        assertThat(ResizeSpec.ORIGINAL.canonical()).isEmpty();
    }

    @Test
    void canonicalKeepsWhatMatters() {
        assertThat(canonical("w:320,h:100,fit:fill,g:south")).isNotEqualTo(canonical("w:320,h:100,fit:fill"));
        assertThat(canonical("w:320,h:100,bg:000,g:north")).isNotEqualTo(canonical("w:320,h:100,bg:000"));
        assertThat(canonical("w:320,q:81")).isNotEqualTo(canonical("w:320"));
        assertThat(canonical("w:320,f:jpeg")).isNotEqualTo(canonical("w:320"));
        assertThat(canonical("f:jpeg,bg:000")).isNotEqualTo(canonical("f:jpeg"));
    }

    @Test
    void canonicalParsesBackToTheSameSpec() {
        for (String options : new String[] {
                "w:320,h:200,fit:fill,g:north,f:png,gray:1,blur:2,rot:90,up:1,flip:hv,trim:1,crop:1:2:300:",
                "w:10,h:10,bg:ffcc0080,g:soea",
                "h:99,q:5,f:jpeg,bg:123456",
        }) {
            ResizeSpec spec = parser.parse(options);
            assertThat(parser.parse(spec.canonical())).isEqualTo(spec.normalized());
            assertThat(parser.parse(spec.canonical()).canonical()).isEqualTo(spec.canonical());
        }
    }

    @Test
    void builderValidates() {
        assertProblem(() -> ResizeSpec.builder().quality(0).build(), 400, "bad-options");
        assertProblem(() -> ResizeSpec.builder().rotate(45).build(), 400, "bad-options");
        assertProblem(() -> ResizeSpec.builder().blur(-1).build(), 400, "bad-options");
        assertProblem(() -> ResizeSpec.builder().blur(Double.NaN).build(), 400, "bad-options");
        assertProblem(() -> ResizeSpec.builder().fill("nope").build(), 400, "bad-options");
        assertProblem(() -> ResizeSpec.builder().width(-1).build(), 400, "bad-options");
        assertProblem(() -> new ResizeSpec.Crop(5, 0, 5, 10), 400, "bad-options");
        assertThat(ResizeSpec.builder().rotate(-90).build().rotate()).isEqualTo(270);
        assertThat(ResizeSpec.builder().rotate(450).build().rotate()).isEqualTo(90);
    }

    @Test
    void outputFormatDefaults() {
        assertThat(ResizeSpec.ORIGINAL.outputFormat(ImageFormat.JPEG)).isEqualTo(ImageFormat.JPEG);
        assertThat(ResizeSpec.ORIGINAL.outputFormat(ImageFormat.PNG)).isEqualTo(ImageFormat.PNG);
        assertThat(ResizeSpec.ORIGINAL.outputFormat(ImageFormat.GIF)).as("a GIF's animation kept")
                .isEqualTo(ImageFormat.GIF);
        assertThat(ResizeSpec.ORIGINAL.outputFormat(ImageFormat.BMP)).isEqualTo(ImageFormat.PNG);
        assertThat(ResizeSpec.builder().format(ImageFormat.GIF).build().outputFormat(ImageFormat.JPEG))
                .isEqualTo(ImageFormat.GIF);
    }
}
