package routes.library;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpRange;
import routes.problems.Refusal;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Objects of the bucket served to players as HTTP serves files: {@code Accept-Ranges: bytes}, one byte range per
 * request answered 206 with {@code Content-Range} (so a player seeks without fetching the whole file), a range past
 * the end or a malformed one refused with 416 naming the length, {@code If-Range} honoured (a range of a file that
 * changed since gets the whole new file), strong ETags. Several ranges in one request get the whole file (which
 * RFC 9110 allows); a range of another unit is ignored. The bytes stream from S3 as they are read.
 */
public class RangedObjects {

    private final S3Client s3;
    private final String bucket;

    public RangedObjects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** What is sent: status, headers, body (null for HEAD), and the byte range of the object it covers. */
    public record Delivery(int status, Map<String, String> headers, InputStream body, long from, long length,
            long total) {

        /** Whether this answer starts at the object's first byte (a play, not a seek). */
        public boolean fromStart() {
            return from == 0;
        }
    }

    /**
     * The object at {@code key} or the part {@code range} asks for.
     *
     * @param attachment a filename to send it as a download under, or null to play it inline
     */
    public Delivery serve(String key, String contentType, String range, String ifRange, String attachment,
            boolean head) {
        if (key == null) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "media-missing", null, "the item's file is not uploaded yet");
        }
        HeadObjectResponse object;
        try {
            object = s3.headObject(r -> r.bucket(bucket).key(key));
        } catch (NoSuchKeyException missing) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "media-missing", null, "the item's file is not stored");
        }
        long total = object.contentLength();
        String etag = object.eTag();
        Instant modified = object.lastModified();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept-Ranges", "bytes");
        headers.put("Content-Type", contentType != null ? contentType : object.contentType());
        if (etag != null) {
            headers.put("ETag", etag.startsWith("\"") ? etag : "\"" + etag + "\"");
        }
        if (modified != null) {
            headers.put("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atOffset(ZoneOffset.UTC)));
        }
        headers.put("Cache-Control", "private, max-age=0, must-revalidate");
        if (attachment != null) {
            headers.put("Content-Disposition", "attachment; filename=\"" + attachment.replaceAll("[^A-Za-z0-9._ -]", "_")
                    + "\"; filename*=UTF-8''" + java.net.URLEncoder.encode(attachment,
                            java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        long[] span = range == null || !matches(ifRange, headers.get("ETag"), modified) ? null : span(range, total);
        if (span == null) {
            headers.put("Content-Length", Long.toString(total));
            InputStream body = head || total == 0 ? InputStream.nullInputStream()
                    : s3.getObject(r -> r.bucket(bucket).key(key));
            return new Delivery(200, headers, body, 0, total, total);
        }
        long from = span[0];
        long to = span[1];
        headers.put("Content-Range", "bytes " + from + "-" + to + "/" + total);
        headers.put("Content-Length", Long.toString(to - from + 1));
        InputStream body = head ? InputStream.nullInputStream()
                : s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=" + from + "-" + to));
        return new Delivery(206, headers, body, from, to - from + 1, total);
    }

    /**
     * The first and last byte a {@code Range} header asks for, or null to send the whole object (another unit,
     * several ranges).
     */
    static long[] span(String range, long total) {
        String value = range.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return null;
        }
        List<HttpRange> ranges;
        try {
            ranges = HttpRange.parseRanges(value);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("no range");
            }
        } catch (IllegalArgumentException malformed) {
            throw unsatisfiable("the Range header " + Refusal.quoted(range) + " is not a byte range (bytes=0-499, "
                    + "bytes=500-, bytes=-500)", total);
        }
        if (ranges.size() != 1) {
            return null;
        }
        HttpRange only = ranges.get(0);
        try {
            long from = only.getRangeStart(total);
            long to = only.getRangeEnd(total);
            if (total == 0 || from > to) {
                throw new IllegalArgumentException("empty");
            }
            return new long[] {from, to};
        } catch (IllegalArgumentException past) {
            throw unsatisfiable("the range " + Refusal.quoted(range) + " lies past the end of the file's " + total
                    + " bytes", total);
        }
    }

    /**
     * Whether an {@code If-Range} validator (an entity tag or an HTTP date) still names the object, so its range
     * applies. A weak tag never does (RFC 9110 13.1.5); quotes are optional, as some clients drop them.
     */
    static boolean matches(String ifRange, String etag, Instant modified) {
        if (ifRange == null || ifRange.isBlank()) {
            return true;
        }
        String validator = ifRange.strip();
        try {
            Instant date = DateTimeFormatter.RFC_1123_DATE_TIME.parse(validator, Instant::from);
            return modified != null && date.getEpochSecond() == modified.getEpochSecond();
        } catch (DateTimeParseException notADate) {
            return !validator.startsWith("W/") && etag != null && unquoted(validator).equals(unquoted(etag));
        }
    }

    private static String unquoted(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
    }

    private static Refusal unsatisfiable(String detail, long total) {
        return new Refusal(Refusal.Kind.RANGE_NOT_SATISFIABLE, "range-not-satisfiable", null, detail)
                .withHeader("Content-Range", "bytes */" + total);
    }
}
