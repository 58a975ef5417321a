package routes.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class MediaProberTest {

    @TempDir
    static Path dir;

    private final MediaProber prober = new MediaProber(MediaFixtures.safety());

    @Test
    void landscapeVideoWithAudio() throws Exception {
        Path file = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(file);

        assertThat(info.kind()).isEqualTo(MediaInfo.Kind.VIDEO);
        assertThat(info.format()).startsWith("mov,mp4");
        assertThat(info.demuxer()).isEqualTo("mov");
        assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.1));
        assertThat(info.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(info.bitRate()).isPositive();
        assertThat(info.tags()).containsKey("major_brand");

        MediaInfo.VideoStream video = info.video();
        assertThat(video.codec()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(1280);
        assertThat(video.height()).isEqualTo(720);
        assertThat(video.displayWidth()).isEqualTo(1280);
        assertThat(video.displayHeight()).isEqualTo(720);
        assertThat(video.rotation()).isZero();
        assertThat(video.frameRate()).isCloseTo(25.0, within(0.01));
        assertThat(video.pixFmt()).isEqualTo("yuv420p");
        assertThat(video.portrait()).isFalse();

        MediaInfo.AudioStream audio = info.audio();
        assertThat(audio.codec()).isEqualTo("aac");
        assertThat(audio.sampleRate()).isEqualTo(44100);
        assertThat(audio.channels()).isEqualTo(2);
    }

    @Test
    void aMovsTimecodeTrackGivesTheStartTimecode() {
        Path file = dir.resolve("camera.mov");
        MediaFixtures.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30000/1001:duration=1", "-c:v",
                "libx264", "-preset", "ultrafast", "-timecode", "10:00:00;00", file.toString());
        MediaInfo info = prober.probe(file);
        assertThat(info.tags()).containsEntry("timecode", "10:00:00;00");
        assertThat(prober.probe(MediaFixtures.landscape(dir)).tags()).doesNotContainKey("timecode");
    }

    @Test
    void rotatedVideoReportsItsDisplayedSize() {
        MediaInfo.VideoStream video = prober.probe(MediaFixtures.rotated(dir)).video();
        assertThat(video.width()).isEqualTo(1280);
        assertThat(video.height()).isEqualTo(720);
        assertThat(video.rotation()).isIn(90, 270);
        assertThat(video.displayWidth()).isEqualTo(720);
        assertThat(video.displayHeight()).isEqualTo(1280);
        assertThat(video.portrait()).isTrue();
        assertThat(video.frameRate()).isCloseTo(30.0, within(0.01));
    }

    @Test
    void oddSizedVideo() {
        MediaInfo.VideoStream video = prober.probe(MediaFixtures.odd(dir)).video();
        assertThat(video.width()).isEqualTo(641);
        assertThat(video.height()).isEqualTo(359);
        assertThat(video.pixFmt()).isEqualTo("yuv444p");
    }

    @ParameterizedTest
    @CsvSource({"wav,pcm_s16le,wav", "mp3,mp3,mp3", "flac,flac,flac", "ogg,vorbis,ogg", "m4a,aac,mov"})
    void audioOnlyFiles(String extension, String codec, String demuxer) {
        MediaInfo info = prober.probe(MediaFixtures.tone(dir, extension));
        assertThat(info.kind()).isEqualTo(MediaInfo.Kind.AUDIO);
        assertThat(info.video()).isNull();
        assertThat(info.demuxer()).isEqualTo(demuxer);
        assertThat(info.audio().codec()).isEqualTo(codec);
        assertThat(info.audio().channels()).isEqualTo(2);
        assertThat(info.audio().sampleRate()).isEqualTo(44100);
        assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.15));
    }

    @Test
    void coverArtDoesNotMakeAnMp3AVideo() {
        MediaInfo info = prober.probe(MediaFixtures.mp3WithCover(dir));
        assertThat(info.kind()).isEqualTo(MediaInfo.Kind.AUDIO);
        assertThat(info.video()).isNull();
    }

    static Stream<Arguments> hostileFiles() {
        return Stream.of(
                Arguments.of("empty file", (Function<Path, Path>) MediaFixtures::empty, "corrupt-media"),
                Arguments.of("first half of an mp4", (Function<Path, Path>) MediaFixtures::truncated,
                        "corrupt-media"),
                Arguments.of("faststart mp4 cut short", (Function<Path, Path>) MediaFixtures::truncatedFaststart,
                        "corrupt-media"),
                Arguments.of("text named .mp4", (Function<Path, Path>) MediaFixtures::text, "unsupported-media"),
                Arguments.of("HLS playlist named .mp4", (Function<Path, Path>) MediaFixtures::hlsPlaylist,
                        "unsupported-media"),
                Arguments.of("HLS playlist to the network", (Function<Path, Path>) MediaFixtures::hlsRemote,
                        "unsupported-media"),
                Arguments.of("concat list named .mp4", (Function<Path, Path>) MediaFixtures::concatList,
                        "unsupported-media"),
                Arguments.of("concat list .txt", (Function<Path, Path>) MediaFixtures::concatText,
                        "unsupported-media"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void hostileOrCorruptFilesAreRefused(String what, Function<Path, Path> fixture, String reason) {
        Path file = fixture.apply(dir);
        assertThatThrownBy(() -> prober.probe(file))
                .isInstanceOfSatisfying(MediaProblem.class, p -> {
                    assertThat(p.reason()).isEqualTo(reason);
                    assertThat(p.isTransient()).isFalse();
                    assertThat(p.getMessage()).isNotBlank();
                });
    }

    @Test
    void limits() {
        Path file = MediaFixtures.landscape(dir);
        FfmpegSafety safety = MediaFixtures.safety();
        assertProblem(() -> new MediaProber(safety.withLimits(safety.limits().withMaxDuration(Duration.ofSeconds(2))))
                .probe(file), "too-long");
        assertProblem(() -> new MediaProber(safety.withLimits(safety.limits().withMaxBytes(10_000))).probe(file),
                "too-large");
        assertProblem(() -> new MediaProber(safety.withLimits(safety.limits().withMaxSize(640, 360))).probe(file),
                "too-large");
        // the picture limits do not depend on orientation: a portrait 720x1280 fits 1280x720
        MediaProber hd = new MediaProber(safety.withLimits(safety.limits().withMaxSize(1280, 720)));
        assertThat(hd.probe(MediaFixtures.rotated(dir)).video().displayHeight()).isEqualTo(1280);
        // describe() reads without the limits
        assertThat(new MediaProber(safety.withLimits(safety.limits().withMaxDuration(Duration.ofSeconds(1))))
                .describe(file).durationSeconds()).isCloseTo(3.0, within(0.1));
    }

    @Test
    void probeTimesOut() {
        Path file = MediaFixtures.landscape(dir);
        FfmpegSafety hurried = MediaFixtures.safety().withLimits(
                MediaLimits.defaults().withTimeout(Duration.ofMillis(1)));
        assertProblem(() -> new MediaProber(hurried).probe(file), "timeout");
    }

    static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MediaProblem.class,
                p -> assertThat(p.reason()).isEqualTo(reason));
    }
}
