package routes.media;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FilterChain;
import com.github.kokorin.jaffree.ffmpeg.FilterGraph;
import com.github.kokorin.jaffree.ffmpeg.GenericFilter;
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
 * <p>{@link #all} makes the three in one pass over the start of the video: one ffmpeg run decodes the first
 * {@value #PREVIEW_SECONDS} s once, encodes the preview from it and picks from the same frames every still whose
 * time falls there (for a short video, all of them). A still further in seeks the input ({@code -ss} before
 * {@code -i}: ffmpeg jumps to the keyframe before the time and decodes up to it), so a still from a long video
 * costs about the same as one from a short video. Sizes keep the displayed aspect ratio (rotation applied, square
 * pixels) and never enlarge the source.
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
    static final Rung PREVIEW = new Rung("preview", PREVIEW_HEIGHT, 300, 400, 800, 64, 28);

    private final FfmpegSafety safety;

    public Thumbnailer(FfmpegSafety safety) {
        this.safety = safety;
    }

    /** What {@link #all} makes. */
    public record Stills(Thumbnail poster, List<Thumbnail> strip, RenditionOutput preview) {
    }

    /**
     * The poster ({@code poster.jpg}), a strip of {@code count} thumbnails ({@code strip/thumb-001.jpg}...) and the
     * preview ({@code preview.mp4}) in {@code outDir}, decoding the start of the video once for the preview and the
     * stills that fall in it (see the class comment).
     */
    public Stills all(Path source, MediaInfo info, int count, Path outDir) {
        MediaInfo.VideoStream video = requireVideo(info);
        requireCount(count);
        Path stripDir = outDir.resolve("strip");
        Transcoder.createDirectories(stripDir);
        List<PlannedStill> stills = new ArrayList<>();
        stills.add(plannedPoster(info, outDir.resolve("poster.jpg")));
        stills.addAll(plannedStrip(info, count, stripDir));
        double window = Math.min(info.durationSeconds(), PREVIEW_SECONDS);
        List<PlannedStill> inline = stills.stream().filter(s -> s.seconds() < window).toList();

        Path outMp4 = outDir.resolve("preview.mp4");
        PlannedRendition size = previewSize(info);
        FFmpeg ffmpeg = safety.ffmpeg().addInput(safety.input(source, info));
        List<FilterChain> chains = new ArrayList<>();
        String sourceLink = "0:" + video.index();
        if (inline.isEmpty()) {
            chains.add(Encoding.scale(sourceLink, size.width(), size.height(), "v0"));
        } else {
            GenericFilter split = new GenericFilter().addInputLink(sourceLink).setName("split")
                    .addArgument(Integer.toString(inline.size() + 1)).addOutputLink("p");
            for (int i = 0; i < inline.size(); i++) {
                split.addOutputLink("s" + i);
            }
            chains.add(FilterChain.of(split));
            chains.add(Encoding.scale("p", size.width(), size.height(), "v0"));
            for (int i = 0; i < inline.size(); i++) {
                PlannedStill still = inline.get(i);
                // only the first frame at or after the still's time goes on to be scaled
                chains.add(FilterChain.of(
                        new GenericFilter().addInputLink("s" + i).setName("select").addArgumentEscaped("expr",
                                String.format(Locale.ROOT, "isnan(prev_selected_t)*gte(t\\,%.3f)", still.seconds())),
                        new GenericFilter().setName("scale")
                                .addArgument("w", Integer.toString(still.width()))
                                .addArgument("h", Integer.toString(still.height())),
                        new GenericFilter().setName("setsar").addArgument("1").addOutputLink("t" + i)));
            }
        }
        ffmpeg.setComplexFilter(new FilterGraph().addFilterChains(chains));
        ffmpeg.addOutput(previewOutput(info, video, outMp4));
        List<Path> files = new ArrayList<>(List.of(outMp4));
        for (int i = 0; i < inline.size(); i++) {
            PlannedStill still = inline.get(i);
            deleteIfExists(still.file());
            ffmpeg.addOutput(stillOutput(still.file()).addMap("t" + i));
            files.add(still.file());
        }
        safety.run(ffmpeg, "thumbnails", files);
        Transcoder.requireOutputs(List.of(outMp4), "preview");

        List<Thumbnail> made = new ArrayList<>();
        for (PlannedStill still : stills) {
            if (inline.contains(still) && nonEmpty(still.file())) {
                made.add(new Thumbnail(still.file(), still.width(), still.height(), still.seconds()));
            } else {
                made.add(still(source, info, still));
            }
        }
        return new Stills(made.get(0), List.copyOf(made.subList(1, made.size())),
                new RenditionOutput("preview", outMp4, size.width(), size.height()));
    }

    /** One still to take: where it goes, its size, the time in the video. */
    private record PlannedStill(Path file, int width, int height, double seconds, String step) {
    }

    private static PlannedStill plannedPoster(MediaInfo info, Path outJpeg) {
        int[] size = Encoding.fit(info.video().displayWidth(), info.video().displayHeight(), POSTER_MAX, POSTER_MAX);
        return new PlannedStill(outJpeg, size[0], size[1], Math.max(0, info.durationSeconds() * 0.10), "poster");
    }

    private static List<PlannedStill> plannedStrip(MediaInfo info, int count, Path outDir) {
        int[] size = Encoding.fit(info.video().displayWidth(), info.video().displayHeight(), STRIP_MAX, STRIP_MAX);
        List<PlannedStill> stills = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double seconds = Math.max(0, info.durationSeconds() * (i + 0.5) / count);
            Path file = outDir.resolve(String.format(Locale.ROOT, "thumb-%03d.jpg", i + 1));
            stills.add(new PlannedStill(file, size[0], size[1], seconds, "thumbnail " + (i + 1)));
        }
        return stills;
    }

    private static void requireCount(int count) {
        if (count < 1 || count > STRIP_MAX_COUNT) {
            throw new IllegalArgumentException("thumbnail count must be 1.." + STRIP_MAX_COUNT + ": " + count);
        }
    }

    private static PlannedRendition previewSize(MediaInfo info) {
        return LadderPlanner.plan(info, Ladder.of(PREVIEW)).get(0);
    }

    /** The preview's output, from the filter link {@code v0}, with the source's audio. */
    private UrlOutput previewOutput(MediaInfo info, MediaInfo.VideoStream video, Path outMp4) {
        UrlOutput output = safety.output(outMp4).addMap("v0").setDuration(PREVIEW_SECONDS, TimeUnit.SECONDS);
        Encoding.h264(output, PREVIEW, Encoding.gop(video.frameRate()));
        if (info.audio() != null) {
            output.addMap(0, Integer.toString(info.audio().index()));
            Encoding.aac(output, info.audio(), PREVIEW.audioBitrateKbps());
        }
        return Encoding.mp4(output);
    }

    private Thumbnail still(Path source, MediaInfo info, PlannedStill planned) {
        Path out = planned.file();
        double at = planned.seconds();
        runStill(source, info, out, at, planned.width(), planned.height(), planned.step());
        if (!nonEmpty(out) && at > 0) {
            // past the last decodable frame (short or damaged ending): take the first frame instead
            at = 0;
            runStill(source, info, out, at, planned.width(), planned.height(), planned.step());
        }
        Transcoder.requireOutputs(List.of(out), planned.step());
        return new Thumbnail(out, planned.width(), planned.height(), at);
    }

    /** A single-frame JPEG output without metadata. */
    private UrlOutput stillOutput(Path out) {
        return safety.output(out)
                .setFormat("image2")
                .addArguments("-frames:v", "1")
                .addArguments("-update", "1")
                .addArguments("-q:v", "3")
                .addArguments("-map_metadata", "-1");
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
        ffmpeg.addOutput(stillOutput(out).addMap("v0"));
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
