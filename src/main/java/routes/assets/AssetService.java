package routes.assets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.problems.Refusal;
import routes.config.CaravanProperties;
import routes.http.FormUpload;
import routes.events.EventPublisher;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Uploads and assets. A client either asks for a presigned PUT URL (large files) and then says it is done (or lets
 * the upload poller notice), or posts the bytes directly (small files). Either way the original ends at
 * {@code originals/{id}/{filename}} and {@code asset.uploaded} is published exactly once.
 */
public class AssetService {

    public static final String UPLOADS = "uploads/";
    public static final String ORIGINALS = "originals/";
    public static final String DERIVED = "derived/";

    private static final Logger LOG = LoggerFactory.getLogger(AssetService.class);
    private static final Pattern UPLOAD_KEY = Pattern.compile("uploads/([0-9a-f-]{36})/([A-Za-z0-9._-]+)");
    private static final Pattern ASSET_ID = Pattern.compile("[0-9a-f-]{36}");

    private final VersionedTable<Asset> assets;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final EventPublisher events;
    private final CaravanProperties properties;
    private final List<DerivativeLocator> derivatives;

    public AssetService(VersionedTable<Asset> assets, S3Client s3, S3Presigner presigner, EventPublisher events,
            CaravanProperties properties, List<DerivativeLocator> derivatives) {
        this.assets = assets;
        this.s3 = s3;
        this.presigner = presigner;
        this.events = events;
        this.properties = properties;
        this.derivatives = derivatives;
    }

    /** The assets table: keyed by id, nothing indexed, items kept until deleted. */
    public static TableSchema schema(String table) {
        return new TableSchema(table, false, List.of());
    }

    /** The attributes of an asset's item beside its document, for filters. */
    public static Map<String, String> attributes(Asset asset) {
        return Map.of("status", asset.status().name(), "mediaKind", asset.mediaKind());
    }

    /** Where else an asset's derivatives live (besides {@code derived/{id}/}), so deleting it removes them too. */
    public interface DerivativeLocator {
        List<String> prefixesFor(Asset asset);

        /** The asset's original was replaced or deleted. */
        default void originalChanged(Asset asset) {
        }
    }

    /** {@code POST /uploads}: a pending asset and a presigned PUT URL for its bytes. */
    public Map<String, Object> createUpload(UploadRequest request) {
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {filename, contentType, size} is required");
        }
        String type = MediaTypes.accept(request.contentType());
        long max = properties.limits().upload().toBytes();
        if (request.size() == null || request.size() <= 0) {
            throw Refusal.invalid("missing-size", "size (the file's length in bytes, > 0) is required");
        }
        if (request.size() > max) {
            throw Refusal.tooLarge("size " + request.size() + " exceeds the upload limit of " + max + " bytes");
        }
        String id = UUID.randomUUID().toString();
        String key = UPLOADS + id + "/" + MediaTypes.safeFilename(request.filename());
        Asset asset = assets.insert(new Asset(id, AssetStatus.PENDING, MediaTypes.safeFilename(request.filename()),
                type, MediaTypes.kindOf(type), request.size(), null, key, null, null, null, null, null, 0));
        Duration expiry = properties.limits().presignExpiry();
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(expiry)
                .putObjectRequest(r -> r.bucket(bucket()).key(key).contentType(type).contentLength(request.size())));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("assetId", asset.id());
        answer.put("uploadUrl", presigned.url().toString());
        answer.put("method", "PUT");
        answer.put("headers", Map.of("Content-Type", type, "Content-Length", Long.toString(request.size())));
        answer.put("expiresAt", presigned.expiration().toString());
        answer.put("completeUrl", "/api/v1/assets/" + id + "/complete");
        LOG.info("asset {}: upload of {} ({} bytes) awaited at {}", id, type, request.size(), key);
        return answer;
    }

    /** The body of {@code POST /uploads}. */
    public record UploadRequest(String filename, String contentType, Long size) {
    }

    /**
     * {@code POST /assets}: the bytes themselves, up to {@code caravan.limits.direct-upload}: either a
     * {@code multipart/form-data} form with one file part (its file name and type), or the raw body with its type.
     */
    public Asset directUpload(InputStream body, String contentType, String filename, Long contentLength)
            throws IOException {
        if (FormUpload.isForm(contentType)) {
            return multipartUpload(body, contentType, contentLength);
        }
        String type = MediaTypes.accept(contentType);
        String id = UUID.randomUUID().toString();
        String name = MediaTypes.safeFilename(filename);
        String key = ORIGINALS + id + "/" + name;
        Stored stored = store(body, contentLength, key, type);
        Asset asset = assets.insert(new Asset(id, AssetStatus.READY, name, type, MediaTypes.kindOf(type),
                stored.size(), stored.etag(), null, key, null, null, null, null, 0));
        LOG.info("asset {}: {} bytes of {} stored at {}", id, stored.size(), type, key);
        publishUploaded(asset);
        return asset;
    }

    private Asset multipartUpload(InputStream body, String contentType, Long contentLength) throws IOException {
        long max = properties.limits().directUpload().toBytes();
        // the form's own headers and boundaries are small; the file in it is held to the limit below
        long maxForm = max + 64 * 1024;
        if (contentLength != null && contentLength > maxForm) {
            throw Refusal.tooLarge("the form has " + contentLength + " bytes; direct uploads take at most " + max
                    + " (ask POST /api/v1/uploads for a presigned URL instead)");
        }
        if (body == null) {
            throw Refusal.invalid("empty-body", "the body is empty");
        }
        Path dir = Files.createTempDirectory("caravan-form-");
        try {
            FormUpload.Form form = FormUpload.read(body, contentType, contentLength == null ? -1 : contentLength,
                    dir, new FormUpload.Limits(maxForm, max, 4096, FormUpload.MAX_PARTS));
            FormUpload.FilePart file = form.firstFile();
            if (file == null) {
                throw Refusal.invalid("missing-file", "the form has no file part");
            }
            try (InputStream in = Files.newInputStream(file.path())) {
                return directUpload(in, file.contentType(), file.fileName(), file.size());
            }
        } finally {
            try {
                PathUtils.deleteDirectory(dir);
            } catch (IOException e) {
                LOG.warn("form folder {} not removed: {}", dir, e.toString());
            }
        }
    }

    /** What {@link #store} wrote. */
    private record Stored(long size, String etag) {
    }

    /**
     * Streams a request body of at most {@code caravan.limits.direct-upload} bytes to {@code key}, through a
     * spool file (S3 needs the length first).
     */
    private Stored store(InputStream body, Long contentLength, String key, String type) throws IOException {
        long max = properties.limits().directUpload().toBytes();
        if (contentLength != null && contentLength > max) {
            throw Refusal.tooLarge("the body has " + contentLength + " bytes; direct uploads take at most " + max
                    + " (ask POST /api/v1/uploads for a presigned URL instead)");
        }
        if (body == null) {
            throw Refusal.invalid("empty-body", "the body is empty");
        }
        Path spool = Files.createTempFile("caravan-upload-", ".bin");
        try {
            long size = Files.copy(atMost(body, max), spool, StandardCopyOption.REPLACE_EXISTING);
            if (size == 0) {
                throw Refusal.invalid("empty-body", "the body is empty");
            }
            var put = s3.putObject(r -> r.bucket(bucket()).key(key).contentType(type).contentLength(size),
                    RequestBody.fromFile(spool));
            return new Stored(size, stripQuotes(put.eTag()));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * {@code PUT /assets/{id}/original}: new bytes for a ready asset (up to the direct upload limit). Every
     * derivative of the old original is removed, so nothing made from it is served again.
     */
    public Asset replaceOriginal(String id, InputStream body, String contentType, Long contentLength)
            throws IOException {
        Asset asset = find(id);
        if (asset.status() != AssetStatus.READY) {
            throw Refusal.conflict("asset-not-ready", "asset " + id + " has no original to replace yet");
        }
        String type = MediaTypes.accept(contentType);
        if (!MediaTypes.kindOf(type).equals(asset.mediaKind())) {
            throw Refusal.unsupportedType("asset " + id + " is " + asset.mediaKind() + "; its original cannot become "
                    + type);
        }
        Stored stored = store(body, contentLength, asset.originalKey(), type);
        int removed = deleteDerivatives(asset, false);
        Asset replaced = assets.update(id, current -> new Asset(current.id(), current.status(), current.filename(),
                type, current.mediaKind(), stored.size(), stored.etag(), current.uploadKey(), current.originalKey(),
                Map.of(), List.of(), current.createdAt(), current.updatedAt(), current.version()));
        LOG.info("asset {}: original replaced ({} bytes), {} derivatives removed", id, stored.size(), removed);
        publishUploaded(replaced);
        return replaced;
    }

    /** {@code POST /assets/{id}/complete}: the client says its presigned upload is done. */
    public Asset complete(String id) {
        Asset asset = find(id);
        if (asset.status() == AssetStatus.READY) {
            return asset;
        }
        return finalizeUpload(asset).orElseThrow(() -> Refusal.conflict("upload-missing",
                "nothing was uploaded for asset " + id + " yet: PUT the file to its uploadUrl first"));
    }

    /** The upload poller found {@code key} under {@code uploads/}. */
    public void uploadArrived(String key) {
        Matcher matcher = UPLOAD_KEY.matcher(key == null ? "" : key);
        if (!matcher.matches()) {
            LOG.warn("upload {} matches no asset key and is discarded", key);
            return;
        }
        assets.find(matcher.group(1)).ifPresentOrElse(asset -> {
            if (asset.status() == AssetStatus.PENDING && key.equals(asset.uploadKey())) {
                finalizeUpload(asset);
            }
        }, () -> LOG.warn("upload {} names no asset and is discarded", key));
    }

    private Optional<Asset> finalizeUpload(Asset asset) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(r -> r.bucket(bucket()).key(asset.uploadKey()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        long max = properties.limits().upload().toBytes();
        if (head.contentLength() > max) {
            s3.deleteObject(r -> r.bucket(bucket()).key(asset.uploadKey()));
            throw Refusal.tooLarge("the upload has " + head.contentLength() + " bytes, over the limit of " + max);
        }
        String originalKey = ORIGINALS + asset.id() + "/" + asset.filename();
        s3.copyObject(r -> r.sourceBucket(bucket()).sourceKey(asset.uploadKey())
                .destinationBucket(bucket()).destinationKey(originalKey));
        AtomicBoolean madeReady = new AtomicBoolean();
        Asset ready = assets.update(asset.id(), current -> {
            madeReady.set(current.status() == AssetStatus.PENDING);
            return madeReady.get() ? current.ready(originalKey, head.contentLength(), stripQuotes(head.eTag()))
                    : current;
        });
        s3.deleteObject(r -> r.bucket(bucket()).key(asset.uploadKey()));
        if (madeReady.get()) {
            LOG.info("asset {}: upload of {} bytes received, original at {}", asset.id(), head.contentLength(),
                    originalKey);
            publishUploaded(ready);
        }
        return Optional.of(ready);
    }

    private void publishUploaded(Asset asset) {
        events.publish(EventPublisher.ASSET_UPLOADED, Map.of(
                "assetId", asset.id(), "key", asset.originalKey(), "contentType", asset.contentType(),
                "size", asset.size(), "etag", asset.etag() == null ? "" : asset.etag()),
                Map.of("assetId", asset.id(), "mediaKind", asset.mediaKind()));
    }

    /** What probing found about the asset's original (format, dimensions, duration...). */
    public Asset recordMetadata(String id, Map<String, Object> metadata) {
        return assets.update(id, asset -> asset.withMetadata(metadata));
    }

    /** Adds renditions made from the asset's original; one with the same key replaces the earlier one. */
    public Asset addRenditions(String id, List<Map<String, Object>> made) {
        return assets.update(id, asset -> {
            Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
            asset.renditions().forEach(r -> byKey.put(r.get("key"), r));
            made.forEach(r -> byKey.put(r.get("key"), r));
            return asset.withRenditions(new ArrayList<>(byKey.values()));
        });
    }

    public Asset find(String id) {
        if (id == null || !ASSET_ID.matcher(id).matches()) {
            throw Refusal.notFound("asset", String.valueOf(id));
        }
        return assets.find(id).orElseThrow(() -> Refusal.notFound("asset", id));
    }

    /** {@code GET /assets/{id}}: the asset with presigned GET URLs for its original and renditions. */
    public Map<String, Object> view(String id) {
        Asset asset = find(id);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", asset.id());
        view.put("status", asset.status());
        view.put("filename", asset.filename());
        view.put("contentType", asset.contentType());
        view.put("mediaKind", asset.mediaKind());
        view.put("size", asset.size());
        view.put("metadata", asset.metadata());
        if (asset.originalKey() != null) {
            view.put("original", Map.of("key", asset.originalKey(), "url", presignGet(asset.originalKey())));
        }
        List<Map<String, Object>> renditions = new ArrayList<>();
        for (Map<String, Object> rendition : asset.renditions()) {
            Map<String, Object> withUrl = new LinkedHashMap<>(rendition);
            withUrl.put("url", presignGet((String) rendition.get("key")));
            renditions.add(withUrl);
        }
        view.put("renditions", renditions);
        view.put("createdAt", asset.createdAt());
        view.put("updatedAt", asset.updatedAt());
        return view;
    }

    public String presignGet(String key) {
        return presigner.presignGetObject(p -> p.signatureDuration(properties.limits().presignExpiry())
                .getObjectRequest(r -> r.bucket(bucket()).key(key))).url().toString();
    }

    /** {@code DELETE /assets/{id}}: the original, the pending upload and every derivative, then the record. */
    public void delete(String id) {
        Asset asset = find(id);
        int removed = deleteDerivatives(asset, true);
        assets.delete(id);
        LOG.info("asset {}: deleted with {} objects", id, removed);
    }

    /** Removes what was made from the asset's original (and, with {@code original}, the original and uploads). */
    private int deleteDerivatives(Asset asset, boolean original) {
        List<String> prefixes = new ArrayList<>(List.of(DERIVED + asset.id() + "/"));
        if (original) {
            prefixes.add(UPLOADS + asset.id() + "/");
            prefixes.add(ORIGINALS + asset.id() + "/");
        }
        for (DerivativeLocator locator : derivatives) {
            prefixes.addAll(locator.prefixesFor(asset));
            locator.originalChanged(asset);
        }
        int removed = 0;
        for (String prefix : prefixes) {
            removed += deletePrefix(prefix);
        }
        // again once the objects are gone: a look at a deleted original taken meanwhile is not kept either
        derivatives.forEach(locator -> locator.originalChanged(asset));
        return removed;
    }

    /** Deletes every object under {@code prefix}; returns how many. */
    public int deletePrefix(String prefix) {
        int removed = 0;
        for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket()).prefix(prefix))) {
            List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key)
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(r -> r.bucket(bucket()).delete(d -> d.objects(keys).quiet(true)));
                removed += keys.size();
            }
        }
        return removed;
    }

    private String bucket() {
        return properties.storage().bucket();
    }

    static String stripQuotes(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    /** The body, refused with a 413 once more than {@code max} bytes of it are read. */
    private static InputStream atMost(InputStream body, long max) throws IOException {
        // max + 1 bytes may be read: the read after them (a copy always makes one) refuses
        return BoundedInputStream.builder().setInputStream(body).setPropagateClose(false).setMaxCount(max + 1)
                .setOnMaxCount((limit, count) -> {
                    throw Refusal.tooLarge("the body exceeds the direct upload limit of " + max
                            + " bytes (ask POST /api/v1/uploads for a presigned URL instead)");
                }).get();
    }
}
