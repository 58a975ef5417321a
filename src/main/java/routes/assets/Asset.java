package routes.assets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import routes.store.Versioned;

/**
 * An uploaded piece of media: whose it is ({@code owner}, the subject who uploaded it), where its original is, what
 * it is, and what was made from it. {@code metadata} holds what probing found (format, dimensions, orientation,
 * duration...); each rendition names its S3 key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Asset(String id, String owner, AssetStatus status, String filename, String contentType,
        String mediaKind, Long size, String etag, String uploadKey, String originalKey, AssetMetadata metadata,
        List<Rendition> renditions, Instant createdAt, Instant updatedAt, long version)
        implements Versioned<Asset> {

    public Asset {
        metadata = metadata == null ? AssetMetadata.NONE : metadata;
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
    }

    /** An asset of {@code owner} waiting for its presigned upload of {@code size} bytes at {@code uploadKey}. */
    public static Asset pending(String id, String owner, String filename, String contentType, long size,
            String uploadKey) {
        return new Asset(id, owner, AssetStatus.PENDING, filename, contentType, MediaTypes.kindOf(contentType), size,
                null, uploadKey, null, null, null, null, null, 0);
    }

    /** An asset of {@code owner} whose original is already stored at {@code originalKey}. */
    public static Asset stored(String id, String owner, String filename, String contentType, String originalKey,
            long size, String etag) {
        return new Asset(id, owner, AssetStatus.READY, filename, contentType, MediaTypes.kindOf(contentType), size,
                etag, null, originalKey, null, null, null, null, 0);
    }

    /** This pending asset, its upload copied to {@code key}. */
    public Asset ready(String key, long bytes, String objectEtag) {
        return new Asset(id, owner, AssetStatus.READY, filename, contentType, mediaKind, bytes, objectEtag,
                uploadKey, key, metadata, renditions, createdAt, updatedAt, version);
    }

    /** This asset with a new original at the same key: what was known or made of the old one is gone. */
    public Asset replaced(String type, long bytes, String objectEtag) {
        return new Asset(id, owner, status, filename, type, mediaKind, bytes, objectEtag, uploadKey, originalKey,
                null, null, createdAt, updatedAt, version);
    }

    public Asset withMetadata(AssetMetadata found) {
        return new Asset(id, owner, status, filename, contentType, mediaKind, size, etag, uploadKey, originalKey,
                found, renditions, createdAt, updatedAt, version);
    }

    /** This asset with {@code made} added to its renditions; one with the same key replaces the earlier one. */
    public Asset withRenditions(List<Rendition> made) {
        Map<String, Rendition> byKey = new LinkedHashMap<>();
        renditions.forEach(r -> byKey.put(r.key(), r));
        made.forEach(r -> byKey.put(r.key(), r));
        return new Asset(id, owner, status, filename, contentType, mediaKind, size, etag, uploadKey, originalKey,
                metadata, new ArrayList<>(byKey.values()), createdAt, updatedAt, version);
    }

    @Override
    public Asset stamped(Instant now, long newVersion) {
        return new Asset(id, owner, status, filename, contentType, mediaKind, size, etag, uploadKey, originalKey,
                metadata, renditions, createdAt == null ? now : createdAt, now, newVersion);
    }
}
