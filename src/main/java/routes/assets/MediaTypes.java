package routes.assets;

import java.util.Locale;
import java.util.Map;
import routes.problems.Refusal;

/** The media types Caravan accepts and the kind of media each is. */
public final class MediaTypes {

    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("image/jpeg", "image"), Map.entry("image/png", "image"), Map.entry("image/gif", "image"),
            Map.entry("image/webp", "image"), Map.entry("image/bmp", "image"), Map.entry("image/tiff", "image"),
            Map.entry("image/avif", "image"), Map.entry("image/heic", "image"), Map.entry("image/heif", "image"),
            Map.entry("video/mp4", "video"), Map.entry("video/quicktime", "video"), Map.entry("video/webm", "video"),
            Map.entry("video/x-matroska", "video"), Map.entry("video/x-msvideo", "video"),
            Map.entry("audio/mpeg", "audio"), Map.entry("audio/wav", "audio"), Map.entry("audio/x-wav", "audio"),
            Map.entry("audio/wave", "audio"), Map.entry("audio/mp4", "audio"), Map.entry("audio/x-m4a", "audio"),
            Map.entry("audio/flac", "audio"), Map.entry("audio/x-flac", "audio"), Map.entry("audio/ogg", "audio"));

    private MediaTypes() {
    }

    /** The media type without parameters, lower case; refused with 415 when Caravan does not handle it. */
    public static String accept(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw Refusal.unsupportedType("a content type is required; accepted: " + String.join(", ", KINDS.keySet()));
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!KINDS.containsKey(type)) {
            throw Refusal.unsupportedType("content type " + type + " is not one Caravan processes; accepted: image,"
                    + " video and audio types such as image/jpeg, video/mp4, audio/mpeg");
        }
        return type;
    }

    public static String kindOf(String acceptedType) {
        return KINDS.get(acceptedType);
    }

    /** A file name safe in an S3 key and a Content-Disposition: letters, digits, '.', '-', '_'. */
    public static String safeFilename(String filename) {
        if (filename == null || filename.isBlank()) {
            return "original";
        }
        String base = filename.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
        if (safe.isEmpty()) {
            return "original";
        }
        return safe.length() > 128 ? safe.substring(safe.length() - 128) : safe;
    }
}
