package routes.tus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import routes.store.Versioned;

/**
 * A resumable (tus) upload in progress, as every API replica sees it: whose it is, the pending asset it fills, the S3
 * multipart upload its bytes go to ({@code key}, {@code s3UploadId}), the parts written so far with their ETags, how
 * many bytes after them wait in the tail object (fewer than a part), its declared length and when it expires; and
 * which request appends to it now ({@code appender}, a lease until {@code appendingUntil}), so two never write the same
 * part or tail.
 */
public record TusUpload(String id, String owner, String assetId, String key, String contentType, String s3UploadId,
        long length, List<Part> parts, long tail, boolean completed, Instant expiresAt, String appender,
        Instant appendingUntil, Instant createdAt, Instant updatedAt, long version) implements Versioned<TusUpload> {

    /** A part of the multipart upload: its number, its ETag and how many bytes it holds. */
    public record Part(int number, String etag, long size) {
    }

    public TusUpload {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** A new upload of {@code length} bytes, nothing received yet. */
    public static TusUpload started(String id, String owner, String assetId, String key, String contentType,
            String s3UploadId, long length, Instant expiresAt) {
        return new TusUpload(id, owner, assetId, key, contentType, s3UploadId, length, List.of(), 0, false,
                expiresAt, null, null, null, null, 0);
    }

    /** How many bytes were received: those in parts and those in the tail. */
    @JsonIgnore
    public long offset() {
        return parts.stream().mapToLong(Part::size).sum() + tail;
    }

    /** The number the next part takes. */
    @JsonIgnore
    public int nextPart() {
        return parts.size() + 1;
    }

    /** This upload with one more part, made of the tail and what followed it: the tail is empty again. */
    public TusUpload withPart(Part part) {
        List<Part> more = new ArrayList<>(parts);
        more.add(part);
        return new TusUpload(id, owner, assetId, key, contentType, s3UploadId, length, more, 0, completed, expiresAt,
                appender, appendingUntil, createdAt, updatedAt, version);
    }

    /** This upload with {@code bytes} in its tail object. */
    public TusUpload withTail(long bytes) {
        return new TusUpload(id, owner, assetId, key, contentType, s3UploadId, length, parts, bytes, completed,
                expiresAt, appender, appendingUntil, createdAt, updatedAt, version);
    }

    /** This upload, its multipart upload completed into {@code key}. */
    public TusUpload complete() {
        return new TusUpload(id, owner, assetId, key, contentType, s3UploadId, length, parts, tail, true, expiresAt,
                appender, appendingUntil, createdAt, updatedAt, version);
    }

    /** Whether a request other than {@code token} holds the lease at {@code now}. */
    public boolean leasedToAnother(String token, Instant now) {
        return appender != null && !appender.equals(token) && appendingUntil != null && now.isBefore(appendingUntil);
    }

    /** This upload appended to by {@code token} until {@code until} (null: by nobody). */
    public TusUpload leased(String token, Instant until) {
        return new TusUpload(id, owner, assetId, key, contentType, s3UploadId, length, parts, tail, completed,
                expiresAt, token, token == null ? null : until, createdAt, updatedAt, version);
    }

    @Override
    public TusUpload stamped(Instant now, long newVersion) {
        return new TusUpload(id, owner, assetId, key, contentType, s3UploadId, length, parts, tail, completed,
                expiresAt, appender, appendingUntil, createdAt == null ? now : createdAt, now, newVersion);
    }
}
