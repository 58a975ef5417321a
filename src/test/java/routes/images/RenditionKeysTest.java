package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RenditionKeysTest {

    private final ImageOptionsParser parser = new ImageOptionsParser();

    @Test
    void keyIsDeterministicAndUnderTheSourcePrefix() {
        ResizeSpec spec = parser.parse("w:320,h:200,fit:fill");
        String key = RenditionKeys.of("photos/cat.jpg", "\"abc123\"", spec, "jpeg");

        assertThat(key).isEqualTo(RenditionKeys.of("photos/cat.jpg", "\"abc123\"", spec, ImageFormat.JPEG));
        assertThat(key).startsWith(RenditionKeys.prefixFor("photos/cat.jpg")).endsWith(".jpg");
        assertThat(key).matches("renditions/[0-9a-f]{2}/[0-9a-f]{64}/[0-9a-f]{64}\\.jpg");
        String hash = RenditionKeys.sha256("photos/cat.jpg");
        assertThat(RenditionKeys.prefixFor("photos/cat.jpg"))
                .isEqualTo("renditions/" + hash.substring(0, 2) + "/" + hash + "/");
    }

    @Test
    void equivalentSpecsShareAKey() {
        String a = RenditionKeys.of("k.jpg", "e1", parser.parse("w:320,h:200,fit:fill,q:82"), "jpeg");
        String b = RenditionKeys.of("k.jpg", "e1", parser.parse("fit:fill,h:200,w:320"), "jpeg");

        assertThat(a).isEqualTo(b);
    }

    @Test
    void etagQuotesAndWeaknessDoNotMatter() {
        ResizeSpec spec = parser.parse("w:10");

        assertThat(RenditionKeys.of("k", "\"e1\"", spec, "png")).isEqualTo(RenditionKeys.of("k", "e1", spec, "png"))
                .isEqualTo(RenditionKeys.of("k", "W/\"e1\"", spec, "png"));
    }

    @Test
    void anythingThatChangesTheOutputChangesTheKey() {
        ResizeSpec spec = parser.parse("w:10");
        String base = RenditionKeys.of("k", "e1", spec, "jpeg");

        assertThat(RenditionKeys.of("k", "e2", spec, "jpeg")).isNotEqualTo(base);
        assertThat(RenditionKeys.of("k", "e1", parser.parse("w:11"), "jpeg")).isNotEqualTo(base);
        assertThat(RenditionKeys.of("k", "e1", spec, "png")).isNotEqualTo(base).endsWith(".png");
        assertThat(RenditionKeys.of("k2", "e1", spec, "jpeg")).doesNotStartWith(RenditionKeys.prefixFor("k"));
    }

    @Test
    void badSourceKeysAreRefused() {
        assertProblem(() -> RenditionKeys.prefixFor("../etc/passwd"), 400, "bad-key");
    }
}
