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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.api.ApiProblem;
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
    public static final String ORIGINALS = "originals/";

    private static final Logger LOG = LoggerFactory.getLogger(ImageDelivery.class);

    private final S3Client s3;
    private final String bucket;
    private final ImageInspector inspector;
    private final ImageResizer resizer;
    private final Duration cacheMaxAge;
    private final HotCache hot;

    public ImageDelivery(S3Client s3, String bucket, ImageLimits limits, Duration cacheMaxAge, HotCache hot) {
        this.s3 = s3;
        this.bucket = bucket;
        this.inspector = new ImageInspector(limits);
        this.resizer = new ImageResizer(limits);
        this.cacheMaxAge = cacheMaxAge;
        this.hot = hot;
    }

    /** The original at {@code sourceKey} changed or is gone: forget what is remembered of it. */
    public void forget(String sourceKey) {
        hot.forgetSource(sourceKey);
    }

    /** What to answer: a status, headers, and (for 200) a body to stream and its length. */
    public record Answer(int status, Map<String, String> headers, InputStream body) {
    }

    public Answer deliver(String key, ResizeSpec spec, String ifNoneMatch) throws IOException {
        String sourceKey = ORIGINALS + SourceKeys.validate(key);
        HotCache.Source source = hot.source(sourceKey, () -> {
            HeadObjectResponse head = head(sourceKey);
            return head == null ? null : new HotCache.Source(head.eTag(), head.contentType(), head.contentLength(),
                    head.lastModified());
        });
        if (source == null) {
            throw ApiProblem.notFound("image", key);
        }
        if (source.length() > inspector.limits().maxBytes()) {
            throw new ImageProblem(ImageProblem.Kind.IMAGE_TOO_LARGE, "The original has " + source.length()
                    + " bytes; at most " + inspector.limits().maxBytes() + " are read.");
        }
        ImageFormat sourceFormat = formatOf(source.contentType());
        ImageFormat outputFormat = spec.outputFormat(sourceFormat);
        String renditionKey = RenditionKeys.of(sourceKey, source.etag(), spec, outputFormat);
        String etag = "\"" + renditionKey.substring(renditionKey.lastIndexOf('/') + 1, renditionKey.lastIndexOf('.')) + "\"";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", etag);
        headers.put("Cache-Control", "public, max-age=" + cacheMaxAge.toSeconds());
        if (source.lastModified() != null) {
            headers.put("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(source.lastModified().atOffset(ZoneOffset.UTC)));
        }
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
            return new Answer(304, headers, null);
        }
        HotCache.Rendition remembered = hot.rendition(renditionKey);
        if (remembered != null) {
            headers.put("Content-Type", remembered.contentType());
            headers.put("Content-Length", Integer.toString(remembered.bytes().length));
            headers.put("X-Caravan-Rendition", "hit");
            return new Answer(200, headers, new ByteArrayInputStream(remembered.bytes()));
        }
        ResponseInputStream<GetObjectResponse> stored = get(renditionKey);
        if (stored != null) {
            headers.put("Content-Type", stored.response().contentType());
            headers.put("Content-Length", Long.toString(stored.response().contentLength()));
            headers.put("X-Caravan-Rendition", "hit");
            if (stored.response().contentLength() <= hot.maxEntryBytes()) {
                byte[] bytes = stored.readAllBytes();
                stored.close();
                hot.remember(renditionKey, new HotCache.Rendition(stored.response().contentType(), bytes));
                return new Answer(200, headers, new ByteArrayInputStream(bytes));
            }
            return new Answer(200, headers, stored);
        }
        Path rendered = render(sourceKey, spec, renditionKey, headers);
        headers.put("X-Caravan-Rendition", "miss");
        return new Answer(200, headers, new DeletingInputStream(rendered));
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
        return orNull(() -> s3.headObject(r -> r.bucket(bucket).key(key)));
    }

    private ResponseInputStream<GetObjectResponse> get(String key) {
        return orNull(() -> s3.getObject(r -> r.bucket(bucket).key(key)));
    }

    /** The answer of an S3 read, or null when there is no such object. */
    private static <T> T orNull(Supplier<T> read) {
        try {
            return read.get();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
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
