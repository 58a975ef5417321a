package routes.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The looks at originals on a clock of the test's own, and renditions evicted as they are added. */
class HotCacheTest {

    private static final HotCache.Source V1 = new HotCache.Source("\"v1\"", "image/jpeg", 100,
            Instant.parse("2024-05-06T07:08:09Z"));
    private static final HotCache.Source V2 = new HotCache.Source("\"v2\"", "image/jpeg", 120,
            Instant.parse("2024-05-07T07:08:09Z"));

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger heads = new AtomicInteger();

    private HotCache cache(Duration sourceTtl, long maxBytes, int maxEntryBytes) {
        return new HotCache(sourceTtl, maxBytes, maxEntryBytes, nanos::get, Runnable::run);
    }

    private Supplier<HotCache.Source> head(HotCache.Source answer) {
        return () -> {
            heads.incrementAndGet();
            return answer;
        };
    }

    @Test
    void aLookAtAnOriginalIsUsedForItsTimeToLive() {
        HotCache hot = cache(Duration.ofSeconds(10), 1000, 400);

        assertThat(hot.source("k", head(V1))).isEqualTo(V1);
        nanos.addAndGet(Duration.ofSeconds(10).minusNanos(1).toNanos());
        assertThat(hot.source("k", head(V2))).isEqualTo(V1);
        assertThat(hot.freshSource("k")).isEqualTo(V1);
        assertThat(heads).hasValue(1);

        nanos.addAndGet(1);
        assertThat(hot.freshSource("k")).isNull();
        assertThat(hot.source("k", head(V2))).isEqualTo(V2);
        assertThat(heads).hasValue(2);
        assertThat(hot.freshSource("k")).isEqualTo(V2);
    }

    @Test
    void aForgottenOriginalIsLookedAtAgain() {
        HotCache hot = cache(Duration.ofMinutes(10), 1000, 400);
        hot.source("k", head(V1));
        hot.source("other", head(V1));

        hot.forgetSource("k");

        assertThat(hot.freshSource("k")).isNull();
        assertThat(hot.freshSource("other")).isEqualTo(V1);
        assertThat(hot.source("k", head(V2))).isEqualTo(V2);
        assertThat(heads).hasValue(3);
    }

    @Test
    void aMissingOriginalIsNotRemembered() {
        HotCache hot = cache(Duration.ofMinutes(10), 1000, 400);

        assertThat(hot.source("k", head(null))).isNull();
        assertThat(hot.source("k", head(null))).isNull();

        assertThat(heads).hasValue(2);
        assertThat(hot.freshSource("k")).isNull();
    }

    @Test
    void noTimeToLiveRemembersNoLook() {
        HotCache hot = cache(Duration.ZERO, 1000, 400);

        hot.source("k", head(V1));
        hot.source("k", head(V1));

        assertThat(heads).hasValue(2);
        assertThat(hot.freshSource("k")).isNull();
    }

    @Test
    void renditionsAreKeptWithinTheirTotalSize() {
        HotCache hot = cache(Duration.ofMinutes(10), 1000, 400);

        for (int i = 0; i < 20; i++) {
            hot.remember("r" + i, rendition(300));
        }

        long kept = IntStream.range(0, 20).filter(i -> hot.rendition("r" + i) != null).count();
        assertThat(kept).isBetween(1L, 3L);
    }

    @Test
    void aRenditionLargerThanAnEntryIsNotKept() {
        HotCache hot = cache(Duration.ofMinutes(10), 1000, 400);

        hot.remember("small", rendition(400));
        hot.remember("large", rendition(401));

        assertThat(hot.maxEntryBytes()).isEqualTo(400);
        assertThat(hot.rendition("small").bytes()).hasSize(400);
        assertThat(hot.rendition("large")).isNull();
    }

    @Test
    void noMemoryKeepsNoRendition() {
        HotCache hot = cache(Duration.ofMinutes(10), 0, 400);

        hot.remember("small", rendition(10));

        assertThat(hot.maxEntryBytes()).isEqualTo(-1);
        assertThat(hot.rendition("small")).isNull();
    }

    private static HotCache.Rendition rendition(int bytes) {
        return new HotCache.Rendition("image/jpeg", new byte[bytes]);
    }
}
