package routes.media;

import java.util.Map;

/**
 * What {@link MediaProber} learned about a file.
 *
 * @param format the container, as ffprobe names its demuxer (e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}, {@code mp3})
 * @param durationSeconds duration in seconds; 0 when the container does not tell
 * @param sizeBytes size of the file
 * @param bitRate overall bit rate in bits per second; 0 when unknown
 * @param video the first video stream that is not cover art, or null
 * @param audio the first audio stream, or null
 * @param tags container-level tags (title, creation_time, ...), never null
 */
public record MediaInfo(
        String format,
        double durationSeconds,
        long sizeBytes,
        long bitRate,
        VideoStream video,
        AudioStream audio,
        Map<String, String> tags) {

    /** What kind of media a file is: video (possibly with audio), audio only, or neither. */
    public enum Kind { VIDEO, AUDIO, OTHER }

    public MediaInfo {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public Kind kind() {
        if (video != null) {
            return Kind.VIDEO;
        }
        return audio != null ? Kind.AUDIO : Kind.OTHER;
    }

    public boolean hasVideo() {
        return video != null;
    }

    public boolean hasAudio() {
        return audio != null;
    }

    /** The demuxer to force with {@code -f} on later runs: the first name of {@link #format()}, or null. */
    public String demuxer() {
        if (format == null || format.isBlank()) {
            return null;
        }
        int comma = format.indexOf(',');
        return comma < 0 ? format : format.substring(0, comma);
    }

    /**
     * A video stream.
     *
     * @param index the stream's index in the file (for {@code -map 0:index})
     * @param codec codec name, e.g. {@code h264}
     * @param profile codec profile as ffprobe prints it (e.g. {@code High}), or null
     * @param level codec level as ffprobe prints it (e.g. 31 for H.264 level 3.1), 0 when unknown
     * @param width stored (coded) width in pixels
     * @param height stored (coded) height in pixels
     * @param sampleAspectRatio pixel aspect ratio, 1.0 for square pixels
     * @param displayWidth width as a player shows it: square pixels, after rotation
     * @param displayHeight height as a player shows it: square pixels, after rotation
     * @param rotation clockwise degrees a player turns the stored picture: 0, 90, 180 or 270
     * @param frameRate frames per second, 0 when unknown
     * @param pixFmt pixel format, e.g. {@code yuv420p}
     */
    public record VideoStream(
            int index,
            String codec,
            String profile,
            int level,
            int width,
            int height,
            double sampleAspectRatio,
            int displayWidth,
            int displayHeight,
            int rotation,
            double frameRate,
            String pixFmt) {

        /** Width over height of the displayed picture (square pixels, after rotation). */
        public double displayAspectRatio() {
            double stored = width * sampleAspectRatio / height;
            return rotation % 180 == 0 ? stored : 1 / stored;
        }

        public boolean portrait() {
            return displayHeight > displayWidth;
        }
    }

    /**
     * An audio stream.
     *
     * @param index the stream's index in the file (for {@code -map 0:index})
     * @param codec codec name, e.g. {@code aac}
     * @param sampleRate samples per second
     * @param channels number of channels
     */
    public record AudioStream(int index, String codec, int sampleRate, int channels) {
    }
}
