package routes.tus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.assets.MediaTypes;
import routes.assets.ObjectKeys;
import routes.problems.Refusal;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import routes.work.WorkFolders;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Resumable uploads (the tus 1.0 protocol's state, free of HTTP): an upload is a pending asset and an S3 multipart
 * upload at the asset's upload key; its bytes are appended as they arrive, in parts of {@link #PART_SIZE} (S3's
 * least, but for the last). Bytes that do not fill a part wait in a tail object of their own and open the next part.
 * Everything known about an upload lives in DynamoDB, each change conditional on the version read, so any API replica
 * continues any upload, and memory per request stays one copy buffer: a part is spooled to the work folder, then sent.
 */
public class TusUploads {

    /** The size of every part but the last: S3's least. */
    public static final long PART_SIZE = 5L * 1024 * 1024;
    /**
     * How long a request holds an upload it appends to after its last part: another request meanwhile is refused
     * (423); one whose server died holds it no longer than this.
     */
    static final Duration LEASE = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final Pattern METADATA_KEY = Pattern.compile("[!-+\\--~]{1,64}");

    private final VersionedTable<TusUpload> uploads;
    private final AssetService assets;
    private final S3Client s3;
    private final String bucket;
    private final long maxSize;
    private final Duration expiry;
    private final WorkFolders work;
    private final Clock clock;

    public TusUploads(VersionedTable<TusUpload> uploads, AssetService assets, S3Client s3, String bucket,
            long maxSize, Duration expiry, WorkFolders work, Clock clock) {
        this.uploads = uploads;
        this.assets = assets;
        this.s3 = s3;
        this.bucket = bucket;
        this.maxSize = maxSize;
        this.expiry = expiry;
        this.work = work;
        this.clock = clock;
    }

    /** The uploads table: items expire (TTL) a while after their upload does. */
    public static TableSchema schema(String table) {
        return new TableSchema(table, true, List.of());
    }

    /** The largest upload taken (Tus-Max-Size). */
    public long maxSize() {
        return maxSize;
    }

    /**
     * A new upload of {@code length} bytes of the caller's, described by an {@code Upload-Metadata} header
     * ({@code filename} or {@code name}, and {@code filetype} or {@code type}, base64): its pending asset and its
     * multipart upload.
     */
    public TusUpload create(String uploadLength, String metadataHeader, Caller caller) {
        long length = length(uploadLength);
        Map<String, String> metadata = metadata(metadataHeader);
        String type = MediaTypes.accept(first(metadata, "filetype", "type", "contentType"));
        String filename = first(metadata, "filename", "name");
        Asset asset = assets.pending(filename, type, length, caller);
        String s3UploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(asset.uploadKey()).contentType(type))
                .uploadId();
        TusUpload upload = uploads.insert(TusUpload.started(UUID.randomUUID().toString(), caller.subject(),
                asset.id(), asset.uploadKey(), type, s3UploadId, length, clock.instant().plus(expiry)));
        LOG.info("resumable upload {}: asset {}, {} bytes of {} awaited at {}", upload.id(), asset.id(), length, type,
                asset.uploadKey());
        return upload;
    }

    /** The caller's upload; another's or a missing one is 404, an expired one 410 (and its parts are dropped). */
    public TusUpload find(String id, Caller caller) {
        TusUpload upload = Optional.ofNullable(id).filter(i -> UPLOAD_ID.matcher(i).matches()).flatMap(uploads::find)
                .filter(u -> caller.mayUse(u.owner()))
                .orElseThrow(() -> Refusal.notFound("upload", String.valueOf(id)));
        if (!upload.completed() && !clock.instant().isBefore(upload.expiresAt())) {
            drop(upload);
            throw new Refusal(Refusal.Kind.GONE, "upload-expired", null, "upload " + id + " expired at "
                    + upload.expiresAt() + " before all its bytes arrived; start a new one");
        }
        return upload;
    }

    /** What an append did: the upload as it is now, and whether this append completed it. */
    public record Appended(TusUpload upload, boolean completedNow) {
    }

    /**
     * Appends {@code body} at {@code offset} (which must be the upload's offset, else 409): what arrives is written
     * part by part; if the body stops early (the client went away), what did arrive is kept, so the client resumes
     * from there. The bytes that make the upload whole complete its multipart upload.
     *
     * @param declared the body's declared length, or -1 when it is not declared
     */
    public Appended append(String id, Caller caller, long offset, InputStream body, long declared)
            throws IOException {
        TusUpload found = find(id, caller);
        atOffset(found, offset);
        if (found.completed()) {
            return new Appended(found, false);
        }
        long left = found.length() - offset;
        if (declared > left) {
            throw Refusal.tooLarge("the body has " + declared + " bytes but upload " + id + " takes " + left
                    + " more (Upload-Length " + found.length() + ")");
        }
        String token = UUID.randomUUID().toString();
        TusUpload upload = uploads.update(id, current -> {
            if (current.leasedToAnother(token, clock.instant())) {
                throw new Refusal(Refusal.Kind.LOCKED, "upload-busy", null, "upload " + id + " is being appended"
                        + " to by another request; ask its offset (HEAD) again in a moment");
            }
            atOffset(current, offset);
            return current.leased(token, clock.instant().plus(LEASE));
        });
        Path spool = null;
        try {
            spool = work.newFile("tus-", ".part");
            while (upload.offset() < upload.length()) {
                long want = Math.min(PART_SIZE - upload.tail(), upload.length() - upload.offset());
                Read read = copy(body, spool, want);
                if (read.bytes() == 0) {
                    break;
                }
                boolean fills = read.bytes() == want;
                if (fills && upload.offset() + read.bytes() == upload.length() && more(body)) {
                    throw Refusal.tooLarge("the body goes on past the upload's length of " + upload.length()
                            + " bytes");
                }
                upload = fills ? writePart(upload, token, spool, read.bytes())
                        : growTail(upload, token, spool, read.bytes());
                if (!fills || read.broken()) {
                    break;
                }
            }
            if (upload.offset() < upload.length()) {
                return new Appended(upload, false);
            }
            return new Appended(complete(upload), true);
        } finally {
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
            release(id, token);
        }
    }

    /** Refused with 409 unless {@code offset} is where the upload stands. */
    private static void atOffset(TusUpload upload, long offset) {
        if (offset != upload.offset() && !(upload.completed() && offset == upload.length())) {
            throw Refusal.conflict("offset-mismatch", "Upload-Offset is " + offset + " but upload " + upload.id()
                    + " has " + upload.offset() + " bytes: send from " + upload.offset())
                    .withHeader("Upload-Offset", Long.toString(upload.offset()));
        }
    }

    /** Gives up the lease {@code token} holds, if it still does. */
    private void release(String id, String token) {
        try {
            uploads.update(id, current -> token.equals(current.appender()) ? current.leased(null, null) : current);
        } catch (RuntimeException e) {
            // the upload is gone (terminated meanwhile), or the table is unreachable: the lease runs out by itself
            LOG.info("resumable upload {}: lease not given up: {}", id, e.toString());
        }
    }

    /**
     * Drops every upload that expired before all its bytes arrived (its S3 parts, its tail and its pending asset), as
     * a request for it would: abandoned uploads cost nothing after their expiry even when nobody asks again. Safe on
     * several replicas at once (dropping twice is harmless). Returns how many were dropped.
     */
    public int sweep() {
        Instant now = clock.instant();
        int dropped = 0;
        for (TusUpload upload : (Iterable<TusUpload>) uploads.scan()::iterator) {
            if (upload.completed() || now.isBefore(upload.expiresAt())) {
                continue;
            }
            try {
                drop(upload);
                dropped++;
            } catch (RuntimeException e) {
                LOG.warn("resumable upload {}: expired, not dropped yet: {}", upload.id(), e.toString());
            }
        }
        return dropped;
    }

    /** Ends an upload before it is complete: its parts, its tail and its pending asset are dropped. */
    public void terminate(String id, Caller caller) {
        TusUpload upload = find(id, caller);
        if (upload.completed()) {
            throw Refusal.conflict("upload-complete", "upload " + id + " is complete: delete its asset "
                    + upload.assetId() + " instead");
        }
        drop(upload);
    }

    /** What {@link #copy} read: how many bytes, and whether the body broke off (the client went away). */
    private record Read(long bytes, boolean broken) {
    }

    /** Reads up to {@code want} bytes of {@code body} into {@code spool} (replacing what it held). */
    private static Read copy(InputStream body, Path spool, long want) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        boolean broken = false;
        try (OutputStream out = Files.newOutputStream(spool)) {
            while (total < want) {
                int n;
                try {
                    n = body.read(buffer, 0, (int) Math.min(buffer.length, want - total));
                } catch (IOException e) {
                    // the connection broke: what arrived is kept, the client resumes from it
                    broken = true;
                    break;
                }
                if (n == -1) {
                    break;
                }
                out.write(buffer, 0, n);
                total += n;
            }
        }
        return new Read(total, broken);
    }

    /** The tail and {@code bytes} of the spool become the next part. */
    private TusUpload writePart(TusUpload upload, String token, Path spool, long bytes) {
        long size = upload.tail() + bytes;
        int number = upload.nextPart();
        String etag = s3.uploadPart(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.s3UploadId())
                .partNumber(number).contentLength(size),
                RequestBody.fromContentProvider(() -> withTail(upload, spool), size, "application/octet-stream"))
                .eTag();
        TusUpload written = change(upload, token, u -> u.withPart(new TusUpload.Part(number, etag, size)));
        if (upload.tail() > 0) {
            s3.deleteObject(r -> r.bucket(bucket).key(ObjectKeys.resumableTail(upload.id())));
        }
        return written;
    }

    /** {@code bytes} of the spool are added to the tail object. */
    private TusUpload growTail(TusUpload upload, String token, Path spool, long bytes) {
        long size = upload.tail() + bytes;
        s3.putObject(r -> r.bucket(bucket).key(ObjectKeys.resumableTail(upload.id())).contentLength(size),
                RequestBody.fromContentProvider(() -> withTail(upload, spool), size, "application/octet-stream"));
        return change(upload, token, u -> u.withTail(size));
    }

    /** The upload's tail (if it has one) followed by the spool. */
    private InputStream withTail(TusUpload upload, Path spool) {
        try {
            InputStream spooled = Files.newInputStream(spool);
            if (upload.tail() == 0) {
                return spooled;
            }
            return new SequenceInputStream(s3.getObject(r -> r.bucket(bucket)
                    .key(ObjectKeys.resumableTail(upload.id()))), spooled);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code next} of {@code seen} while {@code token} still holds the lease (and renews it); a request whose
     * lease ran out and was taken by another is refused with 409, and its client asks for the offset again.
     */
    private TusUpload change(TusUpload seen, String token, java.util.function.UnaryOperator<TusUpload> next) {
        return uploads.update(seen.id(), current -> {
            if (!token.equals(current.appender()) || current.offset() != seen.offset()) {
                throw Refusal.conflict("concurrent-append", "upload " + seen.id() + " was appended to by another"
                        + " request meanwhile; ask its offset (HEAD) and send from there")
                        .withHeader("Upload-Offset", Long.toString(current.offset()));
            }
            return next.apply(current).leased(token, clock.instant().plus(LEASE));
        });
    }

    /** The upload has all its bytes: its parts become the object at its key. */
    private TusUpload complete(TusUpload upload) {
        List<CompletedPart> parts = upload.parts().stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.s3UploadId())
                .multipartUpload(m -> m.parts(parts)));
        TusUpload done = uploads.update(upload.id(), TusUpload::complete);
        LOG.info("resumable upload {}: all {} bytes of asset {} arrived in {} parts", upload.id(), upload.length(),
                upload.assetId(), parts.size());
        return done;
    }

    /** Aborts the multipart upload, removes the tail, the pending asset and the upload's item. */
    private void drop(TusUpload upload) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.s3UploadId()));
        } catch (NoSuchUploadException e) {
            // aborted already
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        s3.deleteObject(r -> r.bucket(bucket).key(ObjectKeys.resumableTail(upload.id())));
        assets.abandon(upload.assetId());
        uploads.delete(upload.id());
        LOG.info("resumable upload {}: dropped at {} of {} bytes", upload.id(), upload.offset(), upload.length());
    }

    private long length(String header) {
        if (header == null) {
            throw Refusal.invalid("missing-upload-length", "Upload-Length (the file's size in bytes) is required;"
                    + " deferred lengths are not taken");
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw Refusal.invalid("bad-upload-length", "Upload-Length " + Refusal.quoted(header)
                    + " is not a number of bytes");
        }
        if (length <= 0) {
            throw Refusal.invalid("bad-upload-length", "Upload-Length must be above 0");
        }
        if (length > maxSize) {
            throw Refusal.tooLarge("Upload-Length " + length + " exceeds the upload limit of " + maxSize + " bytes");
        }
        return length;
    }

    /** An {@code Upload-Metadata} header: comma-separated pairs of a key and a base64 value (or a key alone). */
    static Map<String, String> metadata(String header) {
        Map<String, String> values = new HashMap<>();
        if (header == null || header.isBlank()) {
            return values;
        }
        if (header.length() > 8192) {
            throw Refusal.invalid("bad-upload-metadata", "Upload-Metadata takes at most 8192 characters");
        }
        for (String pair : header.split(",")) {
            String[] parts = pair.trim().split(" ", -1);
            if (parts.length > 2 || !METADATA_KEY.matcher(parts[0]).matches()) {
                throw Refusal.invalid("bad-upload-metadata", "Upload-Metadata is comma-separated pairs of a key and"
                        + " a base64 value: " + Refusal.quoted(pair.trim()) + " is not one");
            }
            try {
                values.put(parts[0], parts.length == 2
                        ? new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("bad-upload-metadata", "the value of " + Refusal.quoted(parts[0])
                        + " in Upload-Metadata is not base64");
            }
        }
        return values;
    }

    private static String first(Map<String, String> metadata, String... keys) {
        for (String key : keys) {
            String value = metadata.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** Whether the body goes on (a broken body does not). */
    private static boolean more(InputStream body) {
        try {
            return body.read() != -1;
        } catch (IOException e) {
            return false;
        }
    }
}
