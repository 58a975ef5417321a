package routes.assets;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every S3 key of an asset's objects, made here and nowhere else: the pending upload, the original, and what is
 * derived from it under {@code derived/{id}/}. On-demand image renditions have keys of their own
 * (RenditionKeys, in the images package). File names are made safe by {@link MediaTypes#safeFilename} first.
 */
public final class ObjectKeys {

    public static final String UPLOADS = "uploads/";
    public static final String ORIGINALS = "originals/";
    public static final String DERIVED = "derived/";

    private static final Pattern UPLOAD = Pattern.compile("uploads/([0-9a-f-]{36})/([A-Za-z0-9._-]+)");

    private ObjectKeys() {
    }

    /** Where a presigned upload of asset {@code id} lands. */
    public static String upload(String id, String safeFilename) {
        return UPLOADS + id + "/" + safeFilename;
    }

    /** The asset id an upload key names, if it is one. */
    public static Optional<String> assetOfUpload(String key) {
        Matcher matcher = UPLOAD.matcher(key == null ? "" : key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * Where the bytes of resumable upload {@code uploadId} wait that are not yet a part of its multipart upload (S3
     * parts but the last take at least 5 MiB); outside {@code uploads/}, which the upload poller takes as arrived.
     */
    public static String resumableTail(String uploadId) {
        return "resumable/" + uploadId + "/tail";
    }

    public static String original(String id, String safeFilename) {
        return ORIGINALS + id + "/" + safeFilename;
    }

    /** Every prefix under which objects of asset {@code id} live. */
    public static java.util.List<String> prefixesOf(String id) {
        return java.util.List.of(derived(id), UPLOADS + id + "/", ORIGINALS + id + "/");
    }

    /** Where everything made from asset {@code id}'s original lives. */
    public static String derived(String id) {
        return DERIVED + id + "/";
    }

    /** A rung of the transcode ladder. */
    public static String video(String id, String rung) {
        return derived(id) + "video/" + rung + ".mp4";
    }

    /** A file of the HLS package (playlists and segments). */
    public static String hls(String id, String file) {
        return derived(id) + "hls/" + file;
    }

    /** A still or the preview clip of a video. */
    public static String thumbnail(String id, String file) {
        return derived(id) + "thumbs/" + file;
    }

    /** The 16 kHz mono audio the transcript is made from. */
    public static String speech(String id) {
        return derived(id) + "audio/speech.wav";
    }

    /** The cover art an audio file carries. */
    public static String cover(String id, String file) {
        return derived(id) + "cover/" + file;
    }

    public static String transcript(String id) {
        return derived(id) + "transcript.json";
    }

    /** The output of one step of a batch job on asset {@code id}. */
    public static String jobOutput(String id, String jobId, String step, String extension) {
        return derived(id) + "jobs/" + jobId + "/" + step + "." + extension;
    }
}
