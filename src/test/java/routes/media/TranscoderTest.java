package routes.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class TranscoderTest {

    @TempDir
    static Path dir;

    private final FfmpegSafety safety = MediaFixtures.safety();
    private final MediaProber prober = new MediaProber(safety);
    private final Transcoder transcoder = new Transcoder(safety);

    @Test
    void ladderFrom720pSkips1080pAndMakesH264AacFaststartMp4s() throws IOException {
        Path source = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(source);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.defaults());
        List<Integer> progress = new CopyOnWriteArrayList<>();
        Path out = dir.resolve("landscape-out");

        List<RenditionOutput> outputs = transcoder.ladder(source, info, plan, out, progress::add);

        assertThat(outputs).extracting(RenditionOutput::name, RenditionOutput::width, RenditionOutput::height)
                .containsExactly(tuple("720p", 1280, 720), tuple("480p", 854, 480));
        assertThat(outputs).extracting(RenditionOutput::path)
                .containsExactly(out.resolve("720p.mp4"), out.resolve("480p.mp4"));
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("720p.mp4", "480p.mp4");
        }
        for (RenditionOutput output : outputs) {
            assertPlayableMp4(output, info.durationSeconds(), true);
        }
        // the smaller rendition is the smaller file
        assertThat(Files.size(outputs.get(1).path())).isLessThan(Files.size(outputs.get(0).path()));

        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(100);
        assertThat(progress).allSatisfy(p -> assertThat(p).isBetween(0, 100));
        assertThat(Collections.frequency(progress, 100)).isEqualTo(1);
    }

    @Test
    void oneFfmpegRunDecodesOnceAndFeedsEveryRendition() {
        Path source = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(source);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.defaults());
        Transcoder.LadderRun run = transcoder.prepareLadder(source, info, plan, dir.resolve("unused"));
        List<String> args = FfmpegSafety.arguments(run.ffmpeg());

        assertThat(Collections.frequency(args, "-i")).isEqualTo(1);
        String graph = args.get(args.indexOf("-filter_complex") + 1);
        assertThat(graph).startsWith("[0:0]split=2[s0][s1];")
                .contains("[s0]scale=w=1280:h=720,setsar=1,format=pix_fmts=yuv420p[v0]")
                .contains("[s1]scale=w=854:h=480,setsar=1,format=pix_fmts=yuv420p[v1]");
        assertThat(Collections.frequency(args, "libx264")).isEqualTo(2);
        assertThat(args).containsSequence("-map", "[v0]").containsSequence("-map", "[v1]")
                .containsSequence("-preset", "veryfast").containsSequence("-profile:v", "high")
                .containsSequence("-g", "50", "-keyint_min", "50", "-sc_threshold", "0")
                .containsSequence("-movflags", "+faststart");
    }

    @Test
    void rotatedPhoneVideoBecomesUprightPortraitRenditions() {
        Path source = MediaFixtures.rotated(dir);
        MediaInfo info = prober.probe(source);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.defaults());
        assertThat(plan).extracting(PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple(720, 1280), tuple(480, 854));

        List<RenditionOutput> outputs = transcoder.ladder(source, info, plan, dir.resolve("rotated-out"),
                ProgressListener.NONE);

        for (RenditionOutput output : outputs) {
            MediaInfo.VideoStream video = assertPlayableMp4(output, info.durationSeconds(), true);
            // the picture itself is upright: no rotation left for the player to apply
            assertThat(video.rotation()).isZero();
        }
    }

    @Test
    void oddSizedSourceSmallerThanEveryRungIsKeptAtItsEvenSize() {
        Path source = MediaFixtures.odd(dir);
        MediaInfo info = prober.probe(source);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.defaults());

        List<RenditionOutput> outputs = transcoder.ladder(source, info, plan, dir.resolve("odd-out"), null);

        assertThat(outputs).extracting(RenditionOutput::name, RenditionOutput::width, RenditionOutput::height)
                .containsExactly(tuple("358p", 640, 358));
        assertPlayableMp4(outputs.get(0), info.durationSeconds(), true);
    }

    @Test
    void videoWithoutAudioAndRedeliveryOverwritesTheSameFiles() throws IOException {
        Path source = MediaFixtures.silent(dir);
        MediaInfo info = prober.probe(source);
        Ladder ladder = Ladder.of(Rung.of("360p", 360, 800, 856, 1200, 64),
                new Rung("240p", 240, 400, 428, 600, 48, 30));
        List<PlannedRendition> plan = LadderPlanner.plan(info, ladder);
        Path out = dir.resolve("silent-out");

        List<RenditionOutput> first = transcoder.ladder(source, info, plan, out, ProgressListener.NONE);
        List<RenditionOutput> again = transcoder.ladder(source, info, plan, out, ProgressListener.NONE);

        assertThat(again).isEqualTo(first);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("360p.mp4", "240p.mp4");
        }
        assertThat(first).extracting(RenditionOutput::width, RenditionOutput::height)
                .containsExactly(tuple(640, 360), tuple(426, 240));
        for (RenditionOutput output : again) {
            assertPlayableMp4(output, info.durationSeconds(), false);
        }
    }

    @Test
    void hlsPackagesTheRenditionsWithAMasterPlaylist() throws IOException {
        Path source = MediaFixtures.odd(dir);
        MediaInfo info = prober.probe(source);
        Ladder ladder = Ladder.of(Rung.of("358p", 358, 800, 856, 1200, 64),
                Rung.of("240p", 240, 400, 428, 600, 48));
        List<RenditionOutput> mp4s = transcoder.ladder(source, info, LadderPlanner.plan(info, ladder),
                dir.resolve("hls-mp4"), ProgressListener.NONE);
        Path out = dir.resolve("hls");

        HlsOutput hls = transcoder.hls(mp4s, out);

        assertThat(hls.master()).isEqualTo(out.resolve("master.m3u8"));
        assertThat(hls.playlists()).containsExactly(out.resolve("358p.m3u8"), out.resolve("240p.m3u8"));
        String master = Files.readString(hls.master(), StandardCharsets.UTF_8);
        assertThat(master).startsWith("#EXTM3U\n")
                .contains("RESOLUTION=640x358", "RESOLUTION=428x240", "CODECS=\"avc1.64", "mp4a.40.2\"",
                        "\n358p.m3u8\n", "\n240p.m3u8\n");
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:BANDWIDTH="))).hasSize(2);
        for (Path playlist : hls.playlists()) {
            String media = Files.readString(playlist, StandardCharsets.UTF_8);
            assertThat(media).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST");
            List<String> segments = media.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertThat(segments).isNotEmpty().allSatisfy(s -> {
                assertThat(s).doesNotContain("/");
                assertThat(out.resolve(s)).isRegularFile();
            });
        }
        assertThat(hls.files()).contains(hls.master()).allSatisfy(f -> assertThat(f).isRegularFile());
        // a segment is MPEG-TS with the same H.264 and AAC
        Path segment = hls.files().stream().filter(f -> f.toString().endsWith(".ts")).findFirst().orElseThrow();
        MediaInfo segmentInfo = prober.probe(segment);
        assertThat(segmentInfo.demuxer()).isEqualTo("mpegts");
        assertThat(segmentInfo.video().codec()).isEqualTo("h264");
        assertThat(segmentInfo.audio().codec()).isEqualTo("aac");
        // and the package's own playlist is refused as an input, like any playlist
        MediaProberTest.assertProblem(() -> prober.probe(hls.master()), "unsupported-media");
    }

    @Test
    void aRunPastTheTimeoutIsStoppedAndLeavesNothingBehind() throws InterruptedException {
        Path source = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(source);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.defaults());
        Transcoder hurried = new Transcoder(safety.withLimits(safety.limits().withTimeout(Duration.ofMillis(1))));
        Path out = dir.resolve("timeout-out");

        MediaProberTest.assertProblem(() -> hurried.ladder(source, info, plan, out, ProgressListener.NONE),
                "timeout");

        assertThat(out.resolve("720p.mp4")).doesNotExist();
        assertThat(out.resolve("480p.mp4")).doesNotExist();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!MediaFixtures.runningFfmpeg().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(MediaFixtures.runningFfmpeg()).isEmpty();
    }

    @Test
    void audioOnlyMediaHasNoVideoToTranscode() {
        Path source = MediaFixtures.tone(dir, "mp3");
        MediaInfo info = prober.probe(source);
        MediaProberTest.assertProblem(() -> transcoder.ladder(source, info,
                List.of(new PlannedRendition("x", 2, 2, Ladder.defaults().smallest())), dir.resolve("none"),
                ProgressListener.NONE), "no-video-stream");
    }

    /** Probes an output: H.264 High yuv420p at the announced size, AAC (or no audio), duration, faststart. */
    private MediaInfo.VideoStream assertPlayableMp4(RenditionOutput output, double sourceSeconds,
            boolean withAudio) {
        MediaInfo info = prober.probe(output.path());
        assertThat(info.demuxer()).isEqualTo("mov");
        MediaInfo.VideoStream video = info.video();
        assertThat(video.codec()).isEqualTo("h264");
        assertThat(video.profile()).isEqualTo("High");
        assertThat(video.pixFmt()).isEqualTo("yuv420p");
        assertThat(video.displayWidth()).isEqualTo(output.width());
        assertThat(video.displayHeight()).isEqualTo(output.height());
        assertThat(video.width() % 2).isZero();
        assertThat(video.height() % 2).isZero();
        assertThat(video.sampleAspectRatio()).isEqualTo(1.0);
        if (withAudio) {
            assertThat(info.audio()).isNotNull();
            assertThat(info.audio().codec()).isEqualTo("aac");
        } else {
            assertThat(info.audio()).isNull();
        }
        assertThat(info.durationSeconds()).isCloseTo(sourceSeconds, within(0.2));
        List<String> boxes = MediaFixtures.topLevelBoxes(output.path());
        assertThat(boxes).contains("moov", "mdat");
        assertThat(boxes.indexOf("moov")).as("moov before mdat in " + boxes).isLessThan(boxes.indexOf("mdat"));
        return video;
    }
}
