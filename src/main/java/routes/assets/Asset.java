package routes.assets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import routes.store.Versioned;

/**
 * An uploaded piece of media: where its original is, what it is, and what was made from it. {@code metadata} holds
 * what probing found (format, dimensions, orientation, duration...); each rendition names its S3 key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Asset(String id, AssetStatus status, String filename, String contentType, String mediaKind,
        Long size, String etag, String uploadKey, String originalKey, Map<String, Object> metadata,
        List<Map<String, Object>> renditions, Instant createdAt, Instant updatedAt, long version)
        implements Versioned<Asset> {

    public Asset {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
    }

    public Asset ready(String key, long bytes, String objectEtag) {
        return new Asset(id, AssetStatus.READY, filename, contentType, mediaKind, bytes, objectEtag, uploadKey, key,
                metadata, renditions, createdAt, updatedAt, version);
    }

    public Asset withMetadata(Map<String, Object> found) {
        return new Asset(id, status, filename, contentType, mediaKind, size, etag, uploadKey, originalKey, found,
                renditions, createdAt, updatedAt, version);
    }

    public Asset withRenditions(List<Map<String, Object>> made) {
        return new Asset(id, status, filename, contentType, mediaKind, size, etag, uploadKey, originalKey, metadata,
                made, createdAt, updatedAt, version);
    }

    @Override
    public Asset stamped(Instant now, long newVersion) {
        return new Asset(id, status, filename, contentType, mediaKind, size, etag, uploadKey, originalKey, metadata,
                renditions, createdAt == null ? now : createdAt, now, newVersion);
    }
}
