package routes.media;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FilterGraph;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Step "thumbnails": a poster frame, a strip of evenly spaced thumbnails and a small preview clip of a video.
 *
 * <p>Stills seek the input ({@code -ss} before {@code -i}: ffmpeg jumps to the keyframe before the time and
 * decodes up to it), so a still from a long video costs about the same as one from a short video. Sizes keep the
 * displayed aspect ratio (rotation applied, square pixels) and never enlarge the source.
 */
public class Thumbnailer {

    /** Largest poster: fits in 1280x1280 (so at most 1280 wide). */
    public static final int POSTER_MAX = 1280;
    /** Largest strip thumbnail: fits in 320x320. */
    public static final int STRIP_MAX = 320;
    /** Most thumbnails in a strip. */
    public static final int STRIP_MAX_COUNT = 100;
    /** Preview: shorter side in pixels. */
    public static final int PREVIEW_HEIGHT = 240;
    /** Preview: longest clip, in seconds. */
    public static final int PREVIEW_SECONDS = 30;
    /** Preview: H.264 at constant quality 28, capped at 400 kb/s, AAC 64 kb/s. */
    static final Rendition PREVIEW = new Rendition("preview", PREVIEW_HEIGHT, 300, 400, 800, 64, 28);

    private final FfmpegSafety safety;

    public Thumbnailer(FfmpegSafety safety) {
        this.safety = safety;
    }

    /** A JPEG of the frame at 10% of the duration, fitting 1280x1280. */
    public Thumbnail poster(Path source, MediaInfo info, Path outJpeg) {
        MediaInfo.VideoStream video = requireVideo(info);
        int[] size = Encoding.fit(video.displayWidth(), video.displayHeight(), POSTER_MAX, POSTER_MAX);
        createParent(outJpeg);
        return still(source, info, outJpeg, info.durationSeconds() * 0.10, size[0], size[1], "poster");
    }

    /**
     * {@code count} JPEGs evenly spaced over the video, {@code thumb-001.jpg}..., each the frame in the middle of
     * its share of the duration, fitting 320x320.
     */
    public List<Thumbnail> strip(Path source, MediaInfo info, int count, Path outDir) {
        MediaInfo.VideoStream video = requireVideo(info);
        if (count < 1 || count > STRIP_MAX_COUNT) {
            throw new IllegalArgumentException("thumbnail count must be 1.." + STRIP_MAX_COUNT + ": " + count);
        }
        Transcoder.createDirectories(outDir);
        int[] size = Encoding.fit(video.displayWidth(), video.displayHeight(), STRIP_MAX, STRIP_MAX);
        List<Thumbnail> thumbnails = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double seconds = info.durationSeconds() * (i + 0.5) / count;
            Path file = outDir.resolve(String.format(Locale.ROOT, "thumb-%03d.jpg", i + 1));
            thumbnails.add(still(source, info, file, seconds, size[0], size[1], "thumbnail " + (i + 1)));
        }
        return List.copyOf(thumbnails);
    }

    /**
     * A small H.264/AAC MP4 proxy of the first {@value #PREVIEW_SECONDS} s (the whole video when shorter): 240 px
     * on the shorter side (less when the source is smaller), constant quality 28 capped at 400 kb/s.
     */
    public RenditionOutput preview(Path source, MediaInfo info, Path outMp4) {
        MediaInfo.VideoStream video = requireVideo(info);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.of(PREVIEW));
        PlannedRendition size = plan.get(0);
        createParent(outMp4);

        FFmpeg ffmpeg = safety.ffmpeg().addInput(safety.input(source, info));
        ffmpeg.setComplexFilter(FilterGraph.of(
                Encoding.scale("0:" + video.index(), size.width(), size.height(), "v0")));
        UrlOutput output = safety.output(outMp4).addMap("v0").setDuration(PREVIEW_SECONDS, TimeUnit.SECONDS);
        Encoding.h264(output, PREVIEW, Encoding.gop(video.frameRate()));
        if (info.audio() != null) {
            output.addMap(0, Integer.toString(info.audio().index()));
            Encoding.aac(output, info.audio(), PREVIEW.audioBitrateKbps());
        }
        ffmpeg.addOutput(Encoding.mp4(output));
        safety.run(ffmpeg, "preview", List.of(outMp4));
        Transcoder.requireOutputs(List.of(outMp4), "preview");
        return new RenditionOutput("preview", outMp4, size.width(), size.height());
    }

    private Thumbnail still(Path source, MediaInfo info, Path out, double seconds, int width, int height,
            String step) {
        double at = Math.max(0, seconds);
        runStill(source, info, out, at, width, height, step);
        if (!nonEmpty(out) && at > 0) {
            // past the last decodable frame (short or damaged ending): take the first frame instead
            at = 0;
            runStill(source, info, out, at, width, height, step);
        }
        Transcoder.requireOutputs(List.of(out), step);
        return new Thumbnail(out, width, height, at);
    }

    private void runStill(Path source, MediaInfo info, Path out, double seconds, int width, int height,
            String step) {
        deleteIfExists(out);
        UrlInput input = safety.input(source, info);
        if (seconds > 0) {
            input.setPosition(Math.round(seconds * 1000), TimeUnit.MILLISECONDS);
        }
        FFmpeg ffmpeg = safety.ffmpeg().addInput(input);
        ffmpeg.setComplexFilter(FilterGraph.of(
                Encoding.scaleOnly("0:" + info.video().index(), width, height, "v0")));
        ffmpeg.addOutput(safety.output(out)
                .addMap("v0")
                .setFormat("image2")
                .addArguments("-frames:v", "1")
                .addArguments("-update", "1")
                .addArguments("-q:v", "3")
                .addArguments("-map_metadata", "-1"));
        safety.run(ffmpeg, step, List.of(out));
    }

    private static MediaInfo.VideoStream requireVideo(MediaInfo info) {
        if (info.video() == null) {
            throw new MediaProblem(MediaProblem.Reason.NO_VIDEO_STREAM, "the media has no video stream for stills");
        }
        return info.video();
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file.getFileName(), e);
        }
    }

    static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Transcoder.createDirectories(parent);
        }
    }
}
