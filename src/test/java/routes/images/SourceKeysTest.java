package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SourceKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "cat.jpg",
            "photos/2024/cat.jpg",
            "my photos/café (1).jpg",
            "日本語/画像.png",
            "emoji/\uD83D\uDCF7.jpg",
            "a..b/c...d.jpg",
            "uploads/.hidden/x.png",
    })
    void acceptsOrdinaryKeys(String key) {
        assertThat(SourceKeys.validate(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "/etc/passwd",
            "../secret.jpg",
            "a/../b.jpg",
            "a/..",
            "a/./b.jpg",
            "a\\b.jpg",
            "nul\u0000byte.jpg",
            "tab\there.jpg",
            "line\nbreak.jpg",
            "del\u007f.jpg",
            "c1\u0085.jpg",
            "bidi\u202Eevil.jpg",
            "lone\uD800surrogate.jpg",
            "replacement\uFFFD.jpg",
            "private\uE000.jpg",
            "id//image.jpg",
            "id/image.jpg/",
            "http://example.com/img.png",
            "https:/example.com/img.png",
    })
    void refusesUnsafeKeys(String key) {
        assertProblem(() -> SourceKeys.validate(key), 400, "bad-key");
    }

    @Test
    void refusesNull() {
        assertProblem(() -> SourceKeys.validate(null), 400, "bad-key");
    }

    @Test
    void aSegmentIsAt255BytesOfUtf8() {
        assertThat(SourceKeys.validate("id/" + "a".repeat(255))).hasSize(258);
        assertProblem(() -> SourceKeys.validate("id/" + "a".repeat(256)), 400, "bad-key");
        assertProblem(() -> SourceKeys.validate("id/" + "\u00e9".repeat(128)), 400, "bad-key");
    }

    @Test
    void limitIs1024BytesOfUtf8() {
        assertThat(SourceKeys.validate("a/".repeat(511) + "aa")).hasSize(1024);
        assertProblem(() -> SourceKeys.validate("a/".repeat(511) + "aaa"), 400, "bad-key");
        assertProblem(() -> SourceKeys.validate("é".repeat(513)), 400, "bad-key"); // 1026 bytes
    }
}
