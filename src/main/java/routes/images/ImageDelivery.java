package routes.images;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.assets.ObjectKeys;
import routes.problems.Refusal;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * On-demand renditions. A request names an original (under {@code originals/}) and what to make of it; the
 * rendition is stored in S3 under a key derived from the original's ETag, the canonical options and the output
 * format. A hit streams the stored rendition without decoding anything; a miss reads the original, checks every
 * limit before decoding, renders, stores and streams. A replaced original has a new ETag, hence new keys: a stale
 * rendition is never served.
 */
public class ImageDelivery {

    /** Where originals live; an image URL's key is relative to it. */
    public static final String ORIGINALS = ObjectKeys.ORIGINALS;

    /** Variants remembered; past this many, the least used are forgotten and worked out again. */
    private static final int MAX_VARIANTS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ImageDelivery.class);

    private final S3Client s3;
    private final String bucket;
    private final ImageInspector inspector;
    private final ImageResizer resizer;
    private final String cacheControl;
    private final HotCache hot;
    private final Counter memoryHits;
    private final Counter storageHits;
    private final Counter misses;
    /** Whether the storage's refusal (a missing permission) has been logged: it is said once, not per request. */
    private final AtomicBoolean storageDeniedSaid = new AtomicBoolean();
    private static final com.fasterxml.jackson.databind.ObjectMapper META_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final boolean autoWebp;
    private volatile RemoteOriginals remote;
    private final boolean autoAvif;
    private final Counter notModified;
    /** Recently worked-out variants, so a hit computes no rendition key; each is used only for its original's version. */
    private final Cache<Wanted, Variant> variants = Caffeine.newBuilder().maximumSize(MAX_VARIANTS).build();

    public ImageDelivery(S3Client s3, String bucket, ImageLimits limits, Duration cacheMaxAge, HotCache hot,
            MeterRegistry meters) {
        this(s3, bucket, limits, cacheMaxAge, hot, meters, false);
    }

    /**
     * The same; with {@code autoWebp}, a rendition of a JPEG or PNG original that names no format is WebP for a client
     * whose {@code Accept} takes {@code image/webp} (never for a GIF, which may be animated), and every answer says
     * {@code Vary: Accept}.
     */
    public ImageDelivery(S3Client s3, String bucket, ImageLimits limits, Duration cacheMaxAge, HotCache hot,
            MeterRegistry meters, boolean autoWebp) {
        this(s3, bucket, limits, cacheMaxAge, hot, meters, autoWebp, false);
    }

    /**
     * The same; with {@code autoAvif} too, such a rendition is AVIF for a client whose {@code Accept} takes
     * {@code image/avif} (ahead of WebP: smaller at the same quality) when this server can write AVIF.
     */
    public ImageDelivery(S3Client s3, String bucket, ImageLimits limits, Duration cacheMaxAge, HotCache hot,
            MeterRegistry meters, boolean autoWebp, boolean autoAvif) {
        this.autoWebp = autoWebp;
        this.autoAvif = autoAvif && ImageFormat.AVIF.canWrite();
        this.s3 = s3;
        this.bucket = bucket;
        this.inspector = new ImageInspector(limits);
        this.resizer = new ImageResizer(limits);
        this.cacheControl = "public, max-age=" + cacheMaxAge.toSeconds();
        this.hot = hot;
        this.memoryHits = Counter.builder("caravan.images.hits").tag("source", "memory")
                .description("renditions served from memory").register(meters);
        this.storageHits = Counter.builder("caravan.images.hits").tag("source", "storage")
                .description("renditions streamed from storage").register(meters);
        this.misses = Counter.builder("caravan.images.misses")
                .description("renditions rendered and stored").register(meters);
        this.notModified = Counter.builder("caravan.images.not.modified")
                .description("conditional requests answered 304").register(meters);
    }

    /** What storage says of the original at {@code sourceKey} (null: none), remembered for the source TTL. */
    private HotCache.Source source(String sourceKey) {
        return hot.source(sourceKey, () -> {
            HeadObjectResponse head = head(sourceKey);
            return head == null ? null : new HotCache.Source(head.eTag(), head.contentType(), head.contentLength(),
                    head.lastModified());
        });
    }

    /** The original at {@code sourceKey} changed or is gone: forget what is remembered of it. */
    public void forget(String sourceKey) {
        hot.forgetSource(sourceKey);
    }

    /** What to answer: a status, headers, and (for 200) a body to stream and its length. */
    public record Answer(int status, Map<String, String> headers, InputStream body) {
    }

    public Answer deliver(String key, ResizeSpec spec, String ifNoneMatch) throws IOException {
        return deliver(key, spec, ifNoneMatch, null);
    }

    /** The rendition of {@code key}, its format chosen by {@code accept} when no format is asked for and auto-WebP/AVIF is on. */
    public Answer deliver(String asKey, ResizeSpec asked, String ifNoneMatch, String accept) throws IOException {
        String key;
        try {
            key = local(asKey);
        } catch (Refusal e) {
            if (e.kind() == Refusal.Kind.NOT_FOUND && fallback != null) {
                return fallback(asKey, asked, accept);
            }
            throw e;
        }
        String sourceKey = ORIGINALS + SourceKeys.validate(key);
        HotCache.Source source = source(sourceKey);
        if (source == null) {
            if (fallback != null && !key.equals(fallback.key())) {
                return fallback(key, asked, accept);
            }
            throw Refusal.notFound("image", key);
        }
        ResizeSpec spec = negotiated(asked, source, accept);
        Variant variant = variant(new Wanted(key, spec), sourceKey, source);
        if (variant.matches(ifNoneMatch)) {
            notModified.increment();
            return new Answer(304, headers(variant), null);
        }
        HotCache.Rendition remembered = hot.rendition(variant.renditionKey());
        if (remembered != null) {
            return memoryHit(variant, remembered);
        }
        Map<String, String> headers = headers(variant);
        ResponseInputStream<GetObjectResponse> stored = get(variant.renditionKey());
        if (stored != null) {
            storageHits.increment();
            headers.put("Content-Type", stored.response().contentType());
            headers.put("Content-Length", Long.toString(stored.response().contentLength()));
            headers.put("X-Caravan-Rendition", "hit");
            if (stored.response().contentLength() <= hot.maxEntryBytes()) {
                byte[] bytes = stored.readAllBytes();
                stored.close();
                hot.remember(variant.renditionKey(), new HotCache.Rendition(stored.response().contentType(), bytes));
                return new Answer(200, headers, new ByteArrayInputStream(bytes));
            }
            return new Answer(200, headers, stored);
        }
        Path rendered = render(sourceKey, spec, variant.renditionKey(), headers);
        misses.increment();
        headers.put("X-Caravan-Rendition", "miss");
        if (Files.size(rendered) <= hot.maxEntryBytes()) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(rendered);
            } finally {
                Files.deleteIfExists(rendered);
            }
            hot.remember(variant.renditionKey(), new HotCache.Rendition(headers.get("Content-Type"), bytes));
            return new Answer(200, headers, new ByteArrayInputStream(bytes));
        }
        return new Answer(200, headers, new DeletingInputStream(rendered));
    }

    /**
     * {@link #deliver} from memory alone: the answer when the last look at the original is still fresh and, unless
     * the client's copy is current (304), the rendition is remembered; null when anything would have to be read
     * from S3 or rendered.
     *
     * @throws ImageProblem (or another {@link Refusal}) as {@link #deliver} would refuse the request
     */
    public Answer fromMemory(String key, ResizeSpec spec, String ifNoneMatch) {
        return fromMemory(key, spec, ifNoneMatch, null);
    }

    /** {@link #fromMemory(String, ResizeSpec, String)} with the client's {@code Accept}. */
    public Answer fromMemory(String asKey, ResizeSpec asked, String ifNoneMatch, String accept) {
        String url = remote == null ? null : remote.urlOf(asKey);
        String key = url == null ? asKey : RemoteOriginals.keyOf(url);
        Variant known = variants.getIfPresent(new Wanted(key, asked));
        String sourceKey = known != null ? known.sourceKey() : ORIGINALS + SourceKeys.validate(key);
        HotCache.Source source = hot.freshSource(sourceKey);
        if (source == null || (url != null && remote.stale(source.lastModified()))) {
            return null;
        }
        Wanted wanted = new Wanted(key, negotiated(asked, source, accept));
        Variant variant = variant(wanted, sourceKey, source);
        if (variant.matches(ifNoneMatch)) {
            notModified.increment();
            return new Answer(304, headers(variant), null);
        }
        HotCache.Rendition remembered = hot.rendition(variant.renditionKey());
        return remembered == null ? null : memoryHit(variant, remembered);
    }

    private Answer memoryHit(Variant variant, HotCache.Rendition remembered) {
        memoryHits.increment();
        Map<String, String> headers = headers(variant);
        headers.put("Content-Type", remembered.contentType());
        headers.put("Content-Length", Integer.toString(remembered.bytes().length));
        headers.put("X-Caravan-Rendition", "hit");
        return new Answer(200, headers, new ByteArrayInputStream(remembered.bytes()));
    }

    /** The rendition {@code wanted} is of this version of the original: its key and validators. */
    private Variant variant(Wanted wanted, String sourceKey, HotCache.Source source) {
        Variant known = variants.getIfPresent(wanted);
        if (known != null && known.source().equals(source)) {
            return known;
        }
        if (source.length() > inspector.limits().maxBytes()) {
            throw new ImageProblem(ImageProblem.Kind.IMAGE_TOO_LARGE, "The original has " + source.length()
                    + " bytes; at most " + inspector.limits().maxBytes() + " are read.");
        }
        ImageFormat outputFormat = wanted.spec().outputFormat(formatOf(source.contentType()));
        String renditionKey = RenditionKeys.of(sourceKey, source.etag(), wanted.spec(), outputFormat);
        String etag = "\"" + renditionKey.substring(renditionKey.lastIndexOf('/') + 1, renditionKey.lastIndexOf('.'))
                + "\"";
        Variant variant = new Variant(sourceKey, source, renditionKey, etag, source.lastModified() == null ? null
                : DateTimeFormatter.RFC_1123_DATE_TIME.format(source.lastModified().atOffset(ZoneOffset.UTC)));
        variants.put(wanted, variant);
        return variant;
    }

    /** An image answered in place of a missing original, with its own status and lifetime in caches. */
    public record Fallback(String key, int status, Duration ttl) {

        public Fallback {
            SourceKeys.validate(key);
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("a fallback's status must be an HTTP status: " + status);
            }
        }
    }

    private volatile Fallback fallback;

    /** Answers requests for missing originals with {@code fallback}'s original rendered the same way (null: 404). */
    public ImageDelivery withFallback(Fallback fallback) {
        this.fallback = fallback;
        return this;
    }

    /** Images named by URL are fetched from the origins {@code remote} allows and kept as originals. */
    public ImageDelivery withRemote(RemoteOriginals remote) {
        this.remote = remote;
        return this;
    }

    /**
     * The key of the original {@code key} names: itself, or for a URL of an allowed origin the key of the copy kept in
     * storage, fetched first when it is not there or older than the remote TTL.
     */
    private String local(String key) {
        String url = remote == null ? null : remote.urlOf(key);
        if (url == null) {
            return key;
        }
        String local = RemoteOriginals.keyOf(url);
        String sourceKey = ORIGINALS + local;
        HotCache.Source kept = source(sourceKey);
        if (kept == null || remote.stale(kept.lastModified())) {
            if (remote.fetch(url, ORIGINALS, kept != null)) {
                hot.forgetSource(sourceKey);
            }
        }
        return local;
    }

    /**
     * The fallback original rendered as {@code asked} for a request whose original ({@code key}) is missing: the
     * fallback's status, cached for its TTL, no validators (they would be the fallback's, not the missing image's).
     */
    private Answer fallback(String key, ResizeSpec asked, String accept) throws IOException {
        Answer answer;
        try {
            answer = deliver(fallback.key(), asked, null, accept);
        } catch (Refusal missing) {
            LOG.warn("the fallback image {} cannot be served ({}); answering 404 for {}", fallback.key(),
                    missing.getMessage(), key);
            throw Refusal.notFound("image", key);
        }
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.remove("ETag");
        headers.remove("Last-Modified");
        headers.put("Cache-Control", "public, max-age=" + fallback.ttl().toSeconds());
        headers.put("X-Caravan-Fallback", "true");
        return new Answer(fallback.status(), headers, answer.body());
    }

    /**
     * Thumbor's {@code meta/}: what the rendition of {@code key} by {@code spec} would be, as Thumbor describes it,
     * {@code {"thumbor":{"source":{"url","width","height","frameCount"},"operations":[...],"target":{"width",
     * "height"}}}}: the original's upright size (read from its header) and the output's.
     */
    public String meta(String asKey, ResizeSpec spec) throws IOException {
        String key = local(asKey);
        String sourceKey = ORIGINALS + SourceKeys.validate(key);
        HeadObjectResponse head = head(sourceKey);
        if (head == null) {
            throw Refusal.notFound("image", key);
        }
        if (head.contentLength() > inspector.limits().maxBytes()) {
            throw new ImageProblem(ImageProblem.Kind.IMAGE_TOO_LARGE, "The original has " + head.contentLength()
                    + " bytes; at most " + inspector.limits().maxBytes() + " are read.");
        }
        Path original = Files.createTempFile("caravan-meta-", ".img");
        try {
            Files.delete(original);
            s3.getObject(r -> r.bucket(bucket).key(sourceKey), ResponseTransformer.toFile(original));
            ImageInfo info = inspector.inspect(original);
            boolean turned = spec.rotate() == 90 || spec.rotate() == 270;
            ImageResizer.Target target = resizer.target(new ImageResizer.Size(
                    turned ? info.displayHeight() : info.displayWidth(),
                    turned ? info.displayWidth() : info.displayHeight()), spec);
            com.fasterxml.jackson.databind.node.ObjectNode root = META_JSON.createObjectNode();
            com.fasterxml.jackson.databind.node.ObjectNode thumbor = root.putObject("thumbor");
            thumbor.putObject("source").put("url", key).put("width", info.displayWidth())
                    .put("height", info.displayHeight()).put("frameCount", info.frames());
            com.fasterxml.jackson.databind.node.ArrayNode operations = thumbor.putArray("operations");
            operations.addObject().put("type", "resize").put("width", target.scaled().width())
                    .put("height", target.scaled().height());
            if (!target.output().equals(target.scaled())) {
                operations.addObject().put("type", "crop").put("width", target.output().width())
                        .put("height", target.output().height());
            }
            thumbor.putObject("target").put("width", target.canvas().width()).put("height", target.canvas().height());
            return root.toString();
        } finally {
            Files.deleteIfExists(original);
        }
    }

    /**
     * {@code asked}, or the same as AVIF (auto-AVIF on, {@code accept} takes {@code image/avif}) or else WebP (auto-WebP
     * on, {@code accept} takes {@code image/webp}) when no format is asked for and the original is a JPEG or PNG (a GIF
     * may be animated: never made a still).
     */
    private ResizeSpec negotiated(ResizeSpec asked, HotCache.Source source, String accept) {
        if (asked.format() != null || !(autoAvif || autoWebp)) {
            return asked;
        }
        String type = source.contentType() == null ? "" : source.contentType().split(";")[0].trim();
        if (!type.equals(ImageFormat.JPEG.contentType()) && !type.equals(ImageFormat.PNG.contentType())) {
            return asked;
        }
        if (autoAvif && accepts(accept, ImageFormat.AVIF.contentType())) {
            return asked.toBuilder().format(ImageFormat.AVIF).build();
        }
        if (autoWebp && accepts(accept, ImageFormat.WEBP.contentType())) {
            return asked.toBuilder().format(ImageFormat.WEBP).build();
        }
        return asked;
    }

    /** Whether an {@code Accept} header names {@code type} with a quality above 0 (wildcards do not count). */
    static boolean accepts(String accept, String type) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().equalsIgnoreCase(type)) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.startsWith("q=") && parameter.substring(2).trim().matches("0(\\.0*)?")) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** The headers every answer about {@code variant} carries: its validators and how long it may be cached. */
    private Map<String, String> headers(Variant variant) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (autoWebp || autoAvif) {
            headers.put("Vary", "Accept");
        }
        headers.put("ETag", variant.etag());
        headers.put("Cache-Control", cacheControl);
        if (variant.lastModified() != null) {
            headers.put("Last-Modified", variant.lastModified());
        }
        return headers;
    }

    /** A rendition asked for: the original's key as given, and the spec. */
    private record Wanted(String key, ResizeSpec spec) {
    }

    /** What {@link #variant} worked out, for the version of the original it was worked out from. */
    private record Variant(String sourceKey, HotCache.Source source, String renditionKey, String etag,
            String lastModified) {

        boolean matches(String ifNoneMatch) {
            return ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"));
        }
    }

    /** Reads the original to a file, checks it, renders, stores the rendition; returns the rendered file. */
    private Path render(String sourceKey, ResizeSpec spec, String renditionKey, Map<String, String> headers)
            throws IOException {
        Path original = Files.createTempFile("caravan-original-", ".img");
        Path output = Files.createTempFile("caravan-rendition-", ".img");
        try {
            Files.delete(original);
            s3.getObject(r -> r.bucket(bucket).key(sourceKey), ResponseTransformer.toFile(original));
            ImageInfo info = inspector.inspect(original);
            long started = System.nanoTime();
            RenderResult result;
            try (OutputStream out = Files.newOutputStream(output)) {
                result = resizer.render(original, info, spec, out);
            }
            s3.putObject(r -> r.bucket(bucket).key(renditionKey).contentType(result.contentType())
                    .metadata(Map.of("source-key", sourceKey, "options", spec.canonical())),
                    RequestBody.fromFile(output));
            LOG.info("rendered {} {}x{} -> {}x{} {} in {} ms", sourceKey, info.width(), info.height(), result.width(),
                    result.height(), result.format().id(), (System.nanoTime() - started) / 1_000_000);
            headers.put("Content-Type", result.contentType());
            headers.put("Content-Length", Long.toString(Files.size(output)));
            return output;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(output);
            throw e;
        } finally {
            Files.deleteIfExists(original);
        }
    }

    private HeadObjectResponse head(String key) {
        return orNull(key, () -> s3.headObject(r -> r.bucket(bucket).key(key)));
    }

    private ResponseInputStream<GetObjectResponse> get(String key) {
        return orNull(key, () -> s3.getObject(r -> r.bucket(bucket).key(key)));
    }

    /**
     * The answer of an S3 read, or null when there is no such object (404). A 403 is the storage refusing this
     * server: S3 answers it for a missing key too when the role may not list the bucket, so it cannot be read as
     * "missing"; it is a {@code storage-access-denied} problem (502) naming the permissions, said once in the log.
     */
    private <T> T orNull(String key, Supplier<T> read) {
        try {
            return read.get();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            if (e.statusCode() == 403) {
                String detail = "The storage refused to read an object of bucket " + bucket + " (403"
                        + (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                        ? " " + e.awsErrorDetails().errorCode() : "") + "): this server's credentials need"
                        + " s3:GetObject on the bucket's objects, and s3:ListBucket on the bucket for a missing image"
                        + " to be told apart from a forbidden one.";
                if (storageDeniedSaid.compareAndSet(false, true)) {
                    LOG.error("{} (first seen reading {}; said once)", detail, key);
                }
                throw new ImageProblem(ImageProblem.Kind.STORAGE_DENIED, detail, e);
            }
            throw e;
        }
    }

    private static ImageFormat formatOf(String contentType) {
        if (contentType != null && contentType.startsWith("image/")) {
            ImageFormat format = ImageFormat.byName(contentType.substring("image/".length()).split(";")[0].trim());
            if (format != null) {
                return format;
            }
        }
        throw new ImageProblem(ImageProblem.Kind.UNSUPPORTED_FORMAT,
                "The original is " + contentType + ", not an image format this server reads.");
    }

    /** A rendered file streamed once, then removed. */
    private static final class DeletingInputStream extends FilterInputStream {
        private final Path file;

        DeletingInputStream(Path file) throws IOException {
            super(Files.newInputStream(file));
            this.file = file;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
