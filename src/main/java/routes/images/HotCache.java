package routes.images;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the image hit path keeps in memory, so a hit touches neither S3 nor a decoder: the last look at each
 * original (its ETag, for a short time-to-live, and forgotten at once when the original is replaced or deleted
 * through the API) and the most recently served small renditions (their keys derive from the original's ETag, so a
 * remembered rendition is never stale; least recently used ones are dropped past a total size).
 */
public class HotCache {

    /** What a HEAD of an original said. */
    public record Source(String etag, String contentType, long length, Instant lastModified) {
    }

    /** A rendition's bytes. */
    public record Rendition(String contentType, byte[] bytes) {
    }

    private record Seen(Source source, long until) {
    }

    private static final int MAX_SOURCES = 100_000;

    private final long sourceTtlNanos;
    private final long maxBytes;
    private final int maxEntryBytes;
    private final Map<String, Seen> sources = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Rendition> renditions = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    public HotCache(Duration sourceTtl, long maxBytes, int maxEntryBytes) {
        this.sourceTtlNanos = sourceTtl.toNanos();
        this.maxBytes = maxBytes;
        this.maxEntryBytes = maxEntryBytes;
    }

    public int maxEntryBytes() {
        return maxBytes > 0 ? maxEntryBytes : -1;
    }

    /** The remembered look at an original, or a fresh one from {@code head} (null: no such original). */
    public Source source(String key, Supplier<Source> head) {
        long now = System.nanoTime();
        Seen seen = sources.get(key);
        if (seen != null && now - seen.until() < 0) {
            return seen.source();
        }
        Source fresh = head.get();
        if (fresh != null && sourceTtlNanos > 0) {
            if (sources.size() >= MAX_SOURCES) {
                sources.clear();
            }
            sources.put(key, new Seen(fresh, now + sourceTtlNanos));
        }
        return fresh;
    }

    /** The remembered look at an original while it is fresh, or null: nothing is asked of S3 here. */
    public Source freshSource(String key) {
        Seen seen = sources.get(key);
        return seen != null && System.nanoTime() - seen.until() < 0 ? seen.source() : null;
    }

    public void forgetSource(String key) {
        sources.remove(key);
    }

    public synchronized Rendition rendition(String key) {
        return renditions.get(key);
    }

    public synchronized void remember(String key, Rendition rendition) {
        if (rendition.bytes().length > maxEntryBytes || maxBytes <= 0) {
            return;
        }
        Rendition earlier = renditions.put(key, rendition);
        bytes += rendition.bytes().length - (earlier == null ? 0 : earlier.bytes().length);
        var eldest = renditions.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes().length;
            eldest.remove();
        }
    }
}
