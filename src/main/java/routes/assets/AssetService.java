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
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.problems.Refusal;
import routes.config.CaravanProperties;
import routes.http.FormUpload;
import routes.access.Caller;
import routes.store.Page;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import routes.work.WorkFolders;
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
 * {@code originals/{id}/{filename}}, and the upload is reported as arrived exactly once, so the route that receives
 * it publishes {@code asset.uploaded} once.
 */
public class AssetService {

    public static final int MAX_PAGE = 100;
    static final String LISTING_INDEX = "listing-by-created";
    static final String LISTING_KEY = "listing";
    static final String LISTING_VALUE = "asset";
    static final String OWNER_INDEX = "owner-by-created";
    static final String OWNER_KEY = "owner";

    private static final Logger LOG = LoggerFactory.getLogger(AssetService.class);
    private static final Pattern ASSET_ID = Pattern.compile("[0-9a-f-]{36}");

    private final VersionedTable<Asset> assets;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final CaravanProperties properties;
    private final List<DerivativeLocator> derivatives;
    private final WorkFolders work;

    public AssetService(VersionedTable<Asset> assets, S3Client s3, S3Presigner presigner,
            CaravanProperties properties, List<DerivativeLocator> derivatives, WorkFolders work) {
        this.work = work;
        this.assets = assets;
        this.s3 = s3;
        this.presigner = presigner;
        this.properties = properties;
        this.derivatives = derivatives;
    }

    /** The assets table: items kept until deleted, listed newest first, everyone's or one owner's. */
    public static TableSchema schema(String table) {
        return new TableSchema(table, false, List.of(new TableSchema.Index(LISTING_INDEX, LISTING_KEY, "createdAt"),
                new TableSchema.Index(OWNER_INDEX, OWNER_KEY, "createdAt")));
    }

    /** The attributes of an asset's item beside its document, for its indexes and filters. */
    public static Map<String, String> attributes(Asset asset) {
        Map<String, String> attributes = new java.util.HashMap<>(Map.of("status", asset.status().name(),
                "mediaKind", asset.mediaKind(), LISTING_KEY, LISTING_VALUE, "createdAt", asset.createdAt().toString()));
        if (asset.owner() != null) {
            attributes.put(OWNER_KEY, asset.owner());
        }
        return attributes;
    }

    /** Where else an asset's derivatives live (besides {@code derived/{id}/}), so deleting it removes them too. */
    public interface DerivativeLocator {
        List<String> prefixesFor(Asset asset);

        /** The asset's original was replaced or deleted. */
        default void originalChanged(Asset asset) {
        }
    }

    /** What {@code POST /uploads} answers: where and how to PUT the bytes, and where to say it is done. */
    public record UploadTicket(String assetId, String uploadUrl, String method, Map<String, String> headers,
            String expiresAt, String completeUrl) {
    }

    /** A presigned upload that completes now ({@code arrived}), or was complete already. */
    public record Completion(Asset asset, boolean arrived) {
    }

    /** {@code POST /uploads}: a pending asset of the caller's and a presigned PUT URL for its bytes. */
    public UploadTicket createUpload(UploadRequest request, Caller caller) {
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
        Asset asset = pending(request.filename(), type, request.size(), caller);
        String id = asset.id();
        String key = asset.uploadKey();
        Duration expiry = properties.limits().presignExpiry();
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(expiry)
                .putObjectRequest(r -> r.bucket(bucket()).key(key).contentType(type).contentLength(request.size())));
        LOG.info("asset {}: upload of {} ({} bytes) awaited at {}", id, type, request.size(), key);
        return new UploadTicket(asset.id(), presigned.url().toString(), "PUT",
                Map.of("Content-Type", type, "Content-Length", Long.toString(request.size())),
                presigned.expiration().toString(), "/api/v1/assets/" + id + "/complete");
    }

    /**
     * A pending asset of the caller's whose bytes ({@code size} of media type {@code type}, accepted by
     * {@link MediaTypes#accept}) are to arrive at its {@code uploadKey}: a presigned PUT, or a resumable upload.
     */
    public Asset pending(String filename, String type, long size, Caller caller) {
        String id = UUID.randomUUID().toString();
        String name = MediaTypes.safeFilename(filename);
        return assets.insert(Asset.pending(id, caller.subject(), name, type, size, ObjectKeys.upload(id, name)));
    }

    /** Forgets a pending asset whose upload was given up (a terminated or expired resumable upload). */
    public void abandon(String id) {
        assets.find(id).filter(asset -> asset.status() == AssetStatus.PENDING).ifPresent(asset -> {
            deletePrefix(ObjectKeys.UPLOADS + id + "/");
            assets.delete(id);
            LOG.info("asset {}: pending upload given up", id);
        });
    }

    /** The body of {@code POST /uploads}. */
    public record UploadRequest(String filename, String contentType, Long size) {
    }

    /**
     * {@code POST /assets}: the bytes themselves, up to {@code caravan.limits.direct-upload}: either a
     * {@code multipart/form-data} form with one file part (its file name and type), or the raw body with its type.
     */
    public Asset directUpload(InputStream body, String contentType, String filename, Long contentLength,
            Caller caller) throws IOException {
        if (FormUpload.isForm(contentType)) {
            return multipartUpload(body, contentType, contentLength, caller);
        }
        String type = MediaTypes.accept(contentType);
        String id = UUID.randomUUID().toString();
        String name = MediaTypes.safeFilename(filename);
        String key = ObjectKeys.original(id, name);
        Stored stored = store(body, contentLength, key, type);
        Asset asset = assets.insert(Asset.stored(id, caller.subject(), name, type, key, stored.size(),
                stored.etag()));
        LOG.info("asset {}: {} bytes of {} stored at {}", id, stored.size(), type, key);
        return asset;
    }

    private Asset multipartUpload(InputStream body, String contentType, Long contentLength, Caller caller)
            throws IOException {
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
        Path dir = work.newFolder("form-");
        try {
            FormUpload.Form form = FormUpload.read(body, contentType, contentLength == null ? -1 : contentLength,
                    dir, new FormUpload.Limits(maxForm, max, 4096, FormUpload.MAX_PARTS));
            FormUpload.FilePart file = form.firstFile();
            if (file == null) {
                throw Refusal.invalid("missing-file", "the form has no file part");
            }
            try (InputStream in = Files.newInputStream(file.path())) {
                return directUpload(in, file.contentType(), file.fileName(), file.size(), caller);
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
        Path spool = work.newFile("upload-", ".bin");
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
    public Asset replaceOriginal(String id, InputStream body, String contentType, Long contentLength, Caller caller)
            throws IOException {
        Asset asset = find(id, caller);
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
        Asset replaced = assets.update(id, current -> current.replaced(type, stored.size(), stored.etag()));
        LOG.info("asset {}: original replaced ({} bytes), {} derivatives removed", id, stored.size(), removed);
        return replaced;
    }

    /** {@code POST /assets/{id}/complete}: the client says its presigned upload is done. */
    public Completion complete(String id, Caller caller) {
        Asset asset = find(id, caller);
        if (asset.status() == AssetStatus.READY) {
            return new Completion(asset, false);
        }
        return finalizeUpload(asset).orElseThrow(() -> Refusal.conflict("upload-missing",
                "nothing was uploaded for asset " + id + " yet: PUT the file to its uploadUrl first"));
    }

    /**
     * The upload poller found {@code key} under {@code uploads/}: the asset it completes now, or null (no such
     * asset, or completed already).
     */
    public Asset uploadArrived(String key) {
        Optional<String> id = ObjectKeys.assetOfUpload(key);
        if (id.isEmpty()) {
            LOG.warn("upload {} matches no asset key and is discarded", key);
            return null;
        }
        Optional<Asset> asset = assets.find(id.get());
        if (asset.isEmpty()) {
            LOG.warn("upload {} names no asset and is discarded", key);
            return null;
        }
        if (asset.get().status() != AssetStatus.PENDING || !key.equals(asset.get().uploadKey())) {
            return null;
        }
        return finalizeUpload(asset.get()).filter(Completion::arrived).map(Completion::asset).orElse(null);
    }

    private Optional<Completion> finalizeUpload(Asset asset) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(r -> r.bucket(bucket()).key(asset.uploadKey()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 403) {
                // S3 answers 403 for a missing key too when the role may not list the bucket: the operator's to fix
                LOG.error("the storage refused to read upload {} of bucket {} (403): this server's credentials need"
                        + " s3:GetObject and s3:ListBucket", asset.uploadKey(), bucket());
                throw new Refusal(Refusal.Kind.UPSTREAM_DENIED, "storage-access-denied", "Storage access denied",
                        "The storage refused to read the upload (403): this server's credentials need s3:GetObject"
                                + " on the bucket's objects and s3:ListBucket on the bucket.");
            }
            throw e;
        }
        long max = properties.limits().upload().toBytes();
        if (head.contentLength() > max) {
            s3.deleteObject(r -> r.bucket(bucket()).key(asset.uploadKey()));
            throw Refusal.tooLarge("the upload has " + head.contentLength() + " bytes, over the limit of " + max);
        }
        String originalKey = ObjectKeys.original(asset.id(), asset.filename());
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
        }
        return Optional.of(new Completion(ready, madeReady.get()));
    }

    /**
     * What a step made of the asset's original: what probing found (when {@code metadata} is not null) and
     * renditions, added to those it has (one with the same key replaces the earlier one).
     */
    public Asset record(String id, AssetMetadata metadata, List<Rendition> made) {
        return assets.update(id, asset -> {
            Asset found = metadata == null ? asset : asset.withMetadata(metadata);
            return made.isEmpty() ? found : found.withRenditions(made);
        });
    }

    /** An asset, or empty when it does not exist (any more). */
    public Optional<Asset> lookUp(String id) {
        return id == null || !ASSET_ID.matcher(id).matches() ? Optional.empty() : assets.find(id);
    }

    /** The asset, when the caller may use it: another's answers as a missing one does (404). */
    public Asset find(String id, Caller caller) {
        return lookUp(id).filter(asset -> caller.mayUse(asset.owner()))
                .orElseThrow(() -> Refusal.notFound("asset", String.valueOf(id)));
    }

    /** A page of the caller's assets (everyone's for an admin), newest first. */
    public AssetPage list(Integer limit, String cursor, Caller caller) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw Refusal.invalid("bad-limit", "limit must be between 1 and " + MAX_PAGE);
        }
        Page<Asset> page;
        try {
            page = caller.listingOwner() == null
                    ? assets.page(LISTING_INDEX, LISTING_KEY, LISTING_VALUE, null, null, size, cursor)
                    : assets.page(OWNER_INDEX, OWNER_KEY, caller.listingOwner(), null, null, size, cursor);
        } catch (IllegalArgumentException badCursor) {
            throw Refusal.invalid("bad-cursor", badCursor.getMessage());
        }
        return new AssetPage(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    /** A page of assets as clients see them; {@code nextCursor} is null on the last page. */
    public record AssetPage(List<AssetView> items, String nextCursor) {
    }

    /** {@code GET /assets/{id}}: an asset as a client sees it, with presigned GET URLs for what it can fetch. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record AssetView(String id, String owner, AssetStatus status, String filename, String contentType, String mediaKind,
            Long size, AssetMetadata metadata, Original original, List<Rendition> renditions,
            java.time.Instant createdAt, java.time.Instant updatedAt) {
    }

    /** Where an asset's original is, and a URL to fetch it. */
    public record Original(String key, String url) {
    }

    /** {@code GET /assets/{id}}: the asset with presigned GET URLs for its original and renditions. */
    public AssetView view(String id, Caller caller) {
        return view(find(id, caller));
    }

    /** The asset with presigned GET URLs, whoever asks: callers check who may see it first. */
    public AssetView view(Asset asset) {
        Original original = asset.originalKey() == null ? null
                : new Original(asset.originalKey(), presignGet(asset.originalKey()));
        List<Rendition> renditions = asset.renditions().stream().map(r -> r.withUrl(presignGet(r.key()))).toList();
        return new AssetView(asset.id(), asset.owner(), asset.status(), asset.filename(), asset.contentType(), asset.mediaKind(),
                asset.size(), asset.metadata(), original, renditions, asset.createdAt(), asset.updatedAt());
    }

    public String presignGet(String key) {
        return presigner.presignGetObject(p -> p.signatureDuration(properties.limits().presignExpiry())
                .getObjectRequest(r -> r.bucket(bucket()).key(key))).url().toString();
    }

    /** {@code DELETE /assets/{id}}: the original, the pending upload and every derivative, then the record. */
    public void delete(String id, Caller caller) {
        Asset asset = find(id, caller);
        int removed = deleteDerivatives(asset, true);
        assets.delete(id);
        LOG.info("asset {}: deleted with {} objects", id, removed);
    }

    /** Removes what was made from the asset's original (and, with {@code original}, the original and uploads). */
    private int deleteDerivatives(Asset asset, boolean original) {
        List<String> prefixes = new ArrayList<>(original ? ObjectKeys.prefixesOf(asset.id())
                : List.of(ObjectKeys.derived(asset.id())));
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
