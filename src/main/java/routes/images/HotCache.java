package routes.images;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * What the image hit path keeps in memory (Caffeine caches), so a hit touches neither S3 nor a decoder: the last
 * look at each original (its ETag, for a short time-to-live, and forgotten at once when the original is replaced or
 * deleted through the API) and recently served small renditions (their keys derive from the original's ETag, so a
 * remembered rendition is never stale; past a total size, those least likely to be asked for again are dropped).
 */
public class HotCache {

    /** What a HEAD of an original said. */
    public record Source(String etag, String contentType, long length, Instant lastModified) {
    }

    /** A rendition's bytes. */
    public record Rendition(String contentType, byte[] bytes) {
    }

    private static final int MAX_SOURCES = 100_000;

    private final boolean remembersSources;
    private final boolean remembersRenditions;
    private final int maxEntryBytes;
    private final Cache<String, Source> sources;
    private final Cache<String, Rendition> renditions;

    /**
     * @param sourceTtl how long a look at an original is used (zero: never remembered)
     * @param maxBytes the renditions' total size (zero: none remembered)
     * @param maxEntryBytes the largest rendition remembered
     */
    public HotCache(Duration sourceTtl, long maxBytes, int maxEntryBytes) {
        this(sourceTtl, maxBytes, maxEntryBytes, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /** The same, with the clock that times the looks and the executor of the caches' upkeep (evictions). */
    HotCache(Duration sourceTtl, long maxBytes, int maxEntryBytes, Ticker ticker, Executor upkeep) {
        this.remembersSources = !sourceTtl.isNegative() && !sourceTtl.isZero();
        this.remembersRenditions = maxBytes > 0;
        this.maxEntryBytes = maxEntryBytes;
        this.sources = Caffeine.newBuilder().maximumSize(MAX_SOURCES)
                .expireAfterWrite(remembersSources ? sourceTtl : Duration.ZERO)
                .ticker(ticker).executor(upkeep).build();
        this.renditions = Caffeine.newBuilder().maximumWeight(Math.max(maxBytes, 0))
                .<String, Rendition>weigher((key, rendition) -> rendition.bytes().length)
                .executor(upkeep).build();
    }

    /** The largest rendition remembered, or -1 when none is. */
    public int maxEntryBytes() {
        return remembersRenditions ? maxEntryBytes : -1;
    }

    /** The remembered look at an original, or a fresh one from {@code head} (null: no such original). */
    public Source source(String key, Supplier<Source> head) {
        Source seen = sources.getIfPresent(key);
        if (seen != null) {
            return seen;
        }
        Source fresh = head.get();
        if (fresh != null && remembersSources) {
            sources.put(key, fresh);
        }
        return fresh;
    }

    /** The remembered look at an original while it is fresh, or null: nothing is asked of S3 here. */
    public Source freshSource(String key) {
        return sources.getIfPresent(key);
    }

    public void forgetSource(String key) {
        sources.invalidate(key);
    }

    public Rendition rendition(String key) {
        return renditions.getIfPresent(key);
    }

    /** Remembers a rendition of at most {@link #maxEntryBytes()}; a larger one is not kept. */
    public void remember(String key, Rendition rendition) {
        if (remembersRenditions && rendition.bytes().length <= maxEntryBytes) {
            renditions.put(key, rendition);
        }
    }
}
