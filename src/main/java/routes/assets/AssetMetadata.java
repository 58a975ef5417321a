package routes.assets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What probing found in an asset's original. An image has its format, dimensions (as stored and as displayed after
 * its EXIF orientation), frames and alpha; video and audio their container format, duration, size, bit rate, the
 * first video and audio stream and the container's tags. Fields that do not apply are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssetMetadata(String format, Integer width, Integer height, Integer displayWidth, Integer displayHeight,
        Integer orientation, Integer frames, Boolean hasAlpha, Double duration, Long size, Long bitRate,
        VideoStream video, AudioStream audio, Map<String, String> tags) {

    /** Nothing known yet. */
    public static final AssetMetadata NONE = new AssetMetadata(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    /** The first video stream of a media file; {@code display*} is the picture as shown, after rotation. */
    public record VideoStream(String codec, int width, int height, int displayWidth, int displayHeight, int rotation,
            double frameRate) {
    }

    /** The first audio stream of a media file. */
    public record AudioStream(String codec, int sampleRate, int channels) {
    }

    /** An image's header facts. */
    public static AssetMetadata image(String format, int width, int height, int displayWidth, int displayHeight,
            int orientation, int frames, boolean hasAlpha) {
        return new AssetMetadata(format, width, height, displayWidth, displayHeight, orientation, frames, hasAlpha,
                null, null, null, null, null, null);
    }

    /** A video or audio file's container and first streams (either may be null). */
    public static AssetMetadata media(String format, double duration, long size, long bitRate, VideoStream video,
            AudioStream audio, Map<String, String> tags) {
        return new AssetMetadata(format, null, null, null, null, null, null, null, duration, size, bitRate, video,
                audio, tags == null || tags.isEmpty() ? null : Map.copyOf(tags));
    }
}
