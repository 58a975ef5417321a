package routes.media;

import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FilterChain;
import com.github.kokorin.jaffree.ffmpeg.GenericFilter;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;

/** The encoder settings shared by the ladder and the preview, as Jaffree output options. */
final class Encoding {

    /** Seconds between keyframes: renditions switch and HLS segments cut on the same frames. */
    static final double KEYFRAME_SECONDS = 2.0;

    private Encoding() {
    }

    /** Frames per keyframe interval: two seconds of the source's frame rate, 48 when it is unknown. */
    static int gop(double frameRate) {
        if (frameRate <= 0 || Double.isNaN(frameRate)) {
            return 48;
        }
        return (int) Math.max(1, Math.min(600, Math.round(frameRate * KEYFRAME_SECONDS)));
    }

    /**
     * {@code [in]scale=w=W:h=H,setsar=1,format=yuv420p[out]}: the exact size (the input is already rotated by
     * ffmpeg's autorotation), square pixels, 8-bit 4:2:0 for players.
     */
    static FilterChain scale(String inputLink, int width, int height, String outputLink) {
        return FilterChain.of(
                new GenericFilter().addInputLink(inputLink).setName("scale")
                        .addArgument("w", Integer.toString(width))
                        .addArgument("h", Integer.toString(height)),
                new GenericFilter().setName("setsar").addArgument("1"),
                new GenericFilter().setName("format").addArgument("pix_fmts", "yuv420p").addOutputLink(outputLink));
    }

    /** {@code [in]scale=w=W:h=H,setsar=1[out]}, leaving the pixel format to the encoder (JPEG). */
    static FilterChain scaleOnly(String inputLink, int width, int height, String outputLink) {
        return FilterChain.of(
                new GenericFilter().addInputLink(inputLink).setName("scale")
                        .addArgument("w", Integer.toString(width))
                        .addArgument("h", Integer.toString(height)),
                new GenericFilter().setName("setsar").addArgument("1").addOutputLink(outputLink));
    }

    /**
     * The largest even size with the picture's aspect ratio that fits {@code maxWidth x maxHeight} without
     * enlarging it.
     */
    static int[] fit(int width, int height, int maxWidth, int maxHeight) {
        double scale = Math.min(1.0, Math.min(maxWidth / (double) width, maxHeight / (double) height));
        int w = clampEven(LadderPlanner.roundEven(width * scale), width);
        int h = clampEven(LadderPlanner.roundEven(height * scale), height);
        return new int[] {w, h};
    }

    private static int clampEven(int value, int max) {
        return Math.max(2, Math.min(value, Math.max(2, LadderPlanner.floorEven(max))));
    }

    /**
     * H.264 High, veryfast, yuv420p, fixed GOP without scene-cut keyframes, at the rung's bit rate or CRF with a
     * capped peak.
     */
    static UrlOutput h264(UrlOutput output, Rung settings, int gop) {
        output.setCodec(StreamType.VIDEO, "libx264")
                .addArguments("-preset", "veryfast")
                .addArguments("-profile:v", "high")
                .setPixelFormat("yuv420p")
                .addArguments("-g", Integer.toString(gop))
                .addArguments("-keyint_min", Integer.toString(gop))
                .addArguments("-sc_threshold", "0");
        if (settings.crf() != null) {
            output.addArguments("-crf", settings.crf().toString());
        } else {
            output.addArguments("-b:v", settings.videoBitrateKbps() + "k");
        }
        return output.addArguments("-maxrate:v", settings.maxrateKbps() + "k")
                .addArguments("-bufsize:v", settings.bufsizeKbps() + "k");
    }

    /** AAC at the given bit rate, at most two channels. */
    static UrlOutput aac(UrlOutput output, MediaInfo.AudioStream audio, int kbps) {
        output.setCodec(StreamType.AUDIO, "aac").addArguments("-b:a", kbps + "k");
        if (audio.channels() > 2) {
            output.addArguments("-ac", "2");
        }
        return output;
    }

    /** An MP4 for progressive playback, without the source's metadata (which may hold locations). */
    static UrlOutput mp4(UrlOutput output) {
        return output.setFormat("mp4")
                .addArguments("-movflags", "+faststart")
                .addArguments("-map_metadata", "-1")
                .addArguments("-map_chapters", "-1")
                .addArguments("-max_muxing_queue_size", "1024");
    }
}
