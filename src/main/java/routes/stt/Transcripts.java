package routes.stt;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import routes.problems.Refusal;
import routes.access.Caller;
import routes.assets.AssetService;
import routes.assets.ObjectKeys;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@code GET /api/v1/assets/{id}/transcript?format=json|srt|vtt|txt}. */
public class Transcripts {

    private static final Map<String, String> TYPES = Map.of(
            "json", "application/json", "srt", "application/x-subrip", "vtt", "text/vtt", "txt", "text/plain");

    private final S3Client s3;
    private final String bucket;
    private final AssetService assets;
    private final ObjectMapper json;

    public Transcripts(S3Client s3, String bucket, AssetService assets, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = bucket;
        this.assets = assets;
        this.json = json;
    }

    /** The media type of a format, refused with 400 when unknown. */
    public String contentType(String format) {
        String wanted = format == null || format.isBlank() ? "json" : format.toLowerCase(Locale.ROOT);
        String type = TYPES.get(wanted);
        if (type == null) {
            throw Refusal.invalid("bad-format", "format must be json, srt, vtt or txt, not " + format);
        }
        return type + "; charset=utf-8";
    }

    /** The transcript stored beside asset {@code assetId}, read as it streams from S3, or nothing yet. */
    public java.util.Optional<Transcript> stored(String assetId) throws IOException {
        try (java.io.InputStream in = s3.getObject(r -> r.bucket(bucket).key(ObjectKeys.transcript(assetId)))) {
            return java.util.Optional.of(json.readValue(in, Transcript.class));
        } catch (NoSuchKeyException e) {
            return java.util.Optional.empty();
        }
    }

    public String render(String assetId, String format, Caller caller) throws IOException {
        contentType(format);
        assets.find(assetId, caller);
        Transcript transcript = stored(assetId).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND,
                "transcript-not-ready", null, "asset " + assetId + " has no transcript yet: see its pipeline job"));
        return switch (format == null || format.isBlank() ? "json" : format.toLowerCase(Locale.ROOT)) {
            case "srt" -> TranscriptFormats.srt(transcript);
            case "vtt" -> TranscriptFormats.vtt(transcript);
            case "txt" -> TranscriptFormats.txt(transcript);
            default -> TranscriptFormats.json(transcript);
        };
    }
}
