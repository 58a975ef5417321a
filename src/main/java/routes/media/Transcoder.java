package routes.media;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FilterChain;
import com.github.kokorin.jaffree.ffmpeg.FilterGraph;
import com.github.kokorin.jaffree.ffmpeg.GenericFilter;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Step "transcode": the ladder of MP4 renditions, and optionally an HLS package of them.
 *
 * <p>{@link #ladder} decodes the source once and feeds every rendition from one ffmpeg run: a
 * {@code -filter_complex} splits the decoded video and scales each branch, and each output encodes its branch
 * (H.264 High, {@code veryfast}, two-second GOP without scene-cut keyframes, capped bit rate) with the audio as
 * AAC, into {@code {name}.mp4} with the index first ({@code +faststart}). Names are deterministic, so a redelivered
 * task overwrites the same files and keys.
 */
public class Transcoder {

    /** Target HLS segment length, a multiple of the GOP so every segment starts on a keyframe. */
    static final int HLS_SEGMENT_SECONDS = 4;

    private final FfmpegSafety safety;

    public Transcoder(FfmpegSafety safety) {
        this.safety = safety;
    }

    /**
     * Transcodes the source to the planned renditions in one ffmpeg run.
     *
     * @param source the downloaded file, probed as {@code info}
     * @param info from {@link MediaProber#probe}
     * @param renditions from {@link LadderPlanner#plan}
     * @param outDir where {@code {name}.mp4} are written (created when missing; existing files are replaced)
     * @param progress receives 0..100
     * @return the outputs, in the order of {@code renditions}
     */
    public List<RenditionOutput> ladder(Path source, MediaInfo info, List<PlannedRendition> renditions, Path outDir,
            ProgressListener progress) {
        MediaInfo.VideoStream video = info.video();
        if (video == null) {
            throw new MediaProblem(MediaProblem.Reason.NO_VIDEO_STREAM, "the media has no video stream to transcode");
        }
        if (renditions == null || renditions.isEmpty()) {
            throw new IllegalArgumentException("no renditions to make");
        }
        if (renditions.stream().map(PlannedRendition::name).distinct().count() != renditions.size()) {
            throw new IllegalArgumentException("rendition names must be distinct");
        }
        createDirectories(outDir);
        LadderRun run = prepareLadder(source, info, renditions, outDir);
        ProgressBridge bridge = new ProgressBridge(progress, info.durationSeconds());
        run.ffmpeg().setProgressListener(bridge);
        safety.run(run.ffmpeg(), "transcode", run.files());
        requireOutputs(run.files(), "transcode");
        bridge.done();
        return run.outputs();
    }

    /** The one ffmpeg run of a ladder, before it runs. */
    record LadderRun(FFmpeg ffmpeg, List<RenditionOutput> outputs, List<Path> files) {
    }

    LadderRun prepareLadder(Path source, MediaInfo info, List<PlannedRendition> renditions, Path outDir) {
        MediaInfo.VideoStream video = info.video();
        FFmpeg ffmpeg = safety.ffmpeg().addInput(safety.input(source, info));
        ffmpeg.setComplexFilter(splitAndScale("0:" + video.index(), renditions));

        int gop = Encoding.gop(video.frameRate());
        List<RenditionOutput> outputs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < renditions.size(); i++) {
            PlannedRendition rendition = renditions.get(i);
            Path file = outDir.resolve(rendition.name() + ".mp4");
            UrlOutput output = safety.output(file).addMap("v" + i);
            Encoding.h264(output, rendition.settings(), gop);
            if (info.audio() != null) {
                output.addMap(0, Integer.toString(info.audio().index()));
                Encoding.aac(output, info.audio(), rendition.settings().audioBitrateKbps());
            }
            ffmpeg.addOutput(Encoding.mp4(output));
            outputs.add(new RenditionOutput(rendition.name(), file, rendition.width(), rendition.height()));
            files.add(file);
        }
        return new LadderRun(ffmpeg, List.copyOf(outputs), List.copyOf(files));
    }

    /**
     * {@code [src]split=N[s0]...;[s0]scale=...[v0];...}, or a single scale chain for one rendition.
     */
    static FilterGraph splitAndScale(String sourceLink, List<PlannedRendition> renditions) {
        List<FilterChain> chains = new ArrayList<>();
        if (renditions.size() == 1) {
            PlannedRendition only = renditions.get(0);
            chains.add(Encoding.scale(sourceLink, only.width(), only.height(), "v0"));
        } else {
            GenericFilter split = new GenericFilter().addInputLink(sourceLink).setName("split")
                    .addArgument(Integer.toString(renditions.size()));
            for (int i = 0; i < renditions.size(); i++) {
                split.addOutputLink("s" + i);
            }
            chains.add(FilterChain.of(split));
            for (int i = 0; i < renditions.size(); i++) {
                PlannedRendition rendition = renditions.get(i);
                chains.add(Encoding.scale("s" + i, rendition.width(), rendition.height(), "v" + i));
            }
        }
        return new FilterGraph().addFilterChains(chains);
    }

    /**
     * Packages MP4 renditions (from {@link #ladder}) as HLS without re-encoding: one ffmpeg run copies each into
     * {@code {name}.m3u8} and {@code {name}_NNN.ts} segments of about {@value #HLS_SEGMENT_SECONDS} s (cut on
     * the ladder's aligned keyframes), then {@code master.m3u8} lists them with their measured peak and average
     * bit rates, resolution and codecs.
     */
    public HlsOutput hls(List<RenditionOutput> renditions, Path outDir) {
        if (renditions == null || renditions.isEmpty()) {
            throw new IllegalArgumentException("no renditions to package");
        }
        if (renditions.stream().map(RenditionOutput::name).distinct().count() != renditions.size()) {
            throw new IllegalArgumentException("rendition names must be distinct");
        }
        createDirectories(outDir);
        MediaProber prober = new MediaProber(safety);
        List<MediaInfo> infos = new ArrayList<>();
        FFmpeg ffmpeg = safety.ffmpeg();
        List<Path> playlists = new ArrayList<>();
        for (int i = 0; i < renditions.size(); i++) {
            RenditionOutput rendition = renditions.get(i);
            Rung.requireName(rendition.name());
            MediaInfo info = prober.describe(rendition.path());
            infos.add(info);
            ffmpeg.addInput(safety.input(rendition.path(), info));
            Path playlist = outDir.resolve(rendition.name() + ".m3u8");
            deleteSegments(outDir, rendition.name());
            playlists.add(playlist);
            UrlOutput output = safety.output(playlist)
                    .addMap(i, "v:0")
                    .addMap(i, "a:0?")
                    .copyAllCodecs()
                    .setFormat("hls")
                    .addArguments("-hls_time", Integer.toString(HLS_SEGMENT_SECONDS))
                    .addArguments("-hls_playlist_type", "vod")
                    .addArguments("-hls_flags", "independent_segments")
                    .addArguments("-hls_segment_type", "mpegts")
                    .addArguments("-hls_segment_filename",
                            FfmpegSafety.fileUrl(outDir.resolve(rendition.name() + "_%03d.ts")));
            ffmpeg.addOutput(output);
        }
        safety.run(ffmpeg, "hls", playlists);
        requireOutputs(playlists, "hls");

        List<Path> files = new ArrayList<>();
        StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (int i = 0; i < renditions.size(); i++) {
            RenditionOutput rendition = renditions.get(i);
            Path playlist = playlists.get(i);
            Variant variant = measure(playlist);
            files.add(playlist);
            files.addAll(variant.segments());
            MediaInfo info = infos.get(i);
            master.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(variant.peak())
                    .append(",AVERAGE-BANDWIDTH=").append(variant.average())
                    .append(",RESOLUTION=").append(rendition.width()).append('x').append(rendition.height())
                    .append(",CODECS=\"").append(codecs(info)).append('"');
            if (info.video() != null && info.video().frameRate() > 0) {
                master.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", info.video().frameRate()));
            }
            master.append('\n').append(playlist.getFileName()).append('\n');
        }
        Path masterFile = outDir.resolve("master.m3u8");
        try {
            Files.writeString(masterFile, master, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + masterFile.getFileName(), e);
        }
        files.add(0, masterFile);
        return new HlsOutput(masterFile, List.copyOf(playlists), List.copyOf(files));
    }

    private record Variant(long peak, long average, List<Path> segments) {
    }

    /** Peak and average bits per second over the segments a media playlist lists. */
    private static Variant measure(Path playlist) {
        List<String> lines;
        try {
            lines = Files.readAllLines(playlist, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + playlist.getFileName(), e);
        }
        double peak = 0;
        double totalBits = 0;
        double totalSeconds = 0;
        double duration = -1;
        List<Path> segments = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("#EXTINF:")) {
                String value = l.substring("#EXTINF:".length());
                int comma = value.indexOf(',');
                duration = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
            } else if (!l.isEmpty() && !l.startsWith("#") && duration >= 0) {
                Path segment = playlist.resolveSibling(l);
                long bits;
                try {
                    bits = Files.size(segment) * 8;
                } catch (IOException e) {
                    throw new UncheckedIOException("missing segment " + l, e);
                }
                segments.add(segment);
                totalBits += bits;
                totalSeconds += duration;
                if (duration > 0) {
                    peak = Math.max(peak, bits / duration);
                }
                duration = -1;
            }
        }
        long average = totalSeconds > 0 ? Math.round(totalBits / totalSeconds) : 0;
        return new Variant(Math.max(Math.round(peak), average), average, segments);
    }

    /** RFC 6381 codecs of an H.264 + AAC rendition, e.g. {@code avc1.64001f,mp4a.40.2}. */
    static String codecs(MediaInfo info) {
        List<String> codecs = new ArrayList<>();
        if (info.video() != null) {
            String profile = info.video().profile() == null ? "" : info.video().profile().toLowerCase(Locale.ROOT);
            int profileIdc = profile.contains("high") ? 0x64 : profile.contains("main") ? 0x4d : 0x42;
            int constraints = profile.contains("constrained baseline") ? 0xc0 : 0;
            int level = info.video().level() > 0 ? info.video().level() : 40;
            codecs.add(String.format(Locale.ROOT, "avc1.%02x%02x%02x", profileIdc, constraints, level));
        }
        if (info.audio() != null) {
            codecs.add("mp4a.40.2");
        }
        return String.join(",", codecs);
    }

    private static void deleteSegments(Path outDir, String name) {
        java.util.regex.Pattern segment = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(name)
                + "_\\d+\\.ts");
        try (var files = Files.list(outDir)) {
            for (Path file : files.toList()) {
                if (segment.matcher(file.getFileName().toString()).matches()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + outDir, e);
        }
    }

    static void requireOutputs(List<Path> files, String step) {
        for (Path file : files) {
            try {
                if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                    throw MediaProblem.corrupt(step + ": ffmpeg produced no output for " + file.getFileName()
                            + " (no decodable frames)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.getFileName(), e);
            }
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
