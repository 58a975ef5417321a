package routes.images;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where renditions are stored: deterministic S3 keys under {@value #ROOT}, grouped by source so that every rendition
 * of one original can be listed and deleted together when the original changes or goes away.
 * <pre>renditions/{first 2 hex of h}/{h = sha256(sourceKey)}/{sha256(etag|canonical spec|format)}.{ext}</pre>
 * The source's ETag is part of the name, so a replaced original never serves an old rendition even before the
 * old ones are deleted.
 */
public final class RenditionKeys {

    public static final String ROOT = "renditions/";

    private RenditionKeys() {
    }

    /** {@link #of(String, String, ResizeSpec, ImageFormat)} with the format by name ({@code jpeg}, {@code png}...). */
    public static String of(String sourceKey, String sourceEtag, ResizeSpec spec, String outputFormat) {
        ImageFormat format = ImageFormat.byName(outputFormat);
        if (format == null) {
            throw new IllegalArgumentException("unknown image format " + outputFormat);
        }
        return of(sourceKey, sourceEtag, spec, format);
    }

    /**
     * The key of the rendition of {@code sourceKey} at version {@code sourceEtag} (quotes and a weak {@code W/}
     * prefix are ignored) made by {@code spec} in {@code outputFormat}.
     */
    public static String of(String sourceKey, String sourceEtag, ResizeSpec spec, ImageFormat outputFormat) {
        // smart crops are placed by attention since it replaced the centre: their renditions from before are not reused
        String variant = normalizeEtag(sourceEtag) + "|" + spec.canonical() + "|" + outputFormat.id()
                + (spec.normalized().gravity() == Gravity.SMART ? "|attention" : "");
        return prefixFor(sourceKey) + sha256(variant) + "." + outputFormat.extension();
    }

    /** The prefix every rendition of {@code sourceKey} starts with, ending in {@code /}. */
    public static String prefixFor(String sourceKey) {
        String hash = sha256(SourceKeys.validate(sourceKey));
        return ROOT + hash.substring(0, 2) + "/" + hash + "/";
    }

    static String normalizeEtag(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
