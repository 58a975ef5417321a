package routes.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FfmpegSafetyTest {

    @TempDir
    static Path dir;

    private final FfmpegSafety safety = MediaFixtures.safety();

    @Test
    void everyInputIsLocalOnlyWithAcceptedDemuxersAndTheProbedFormatForced() {
        MediaInfo info = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 3, 100, 100, null,
                new MediaInfo.AudioStream(0, "aac", 44100, 2), Map.of());
        Path source = dir.resolve("-i evil name.mp4");
        FFmpeg ffmpeg = safety.ffmpeg().addInput(safety.input(source, info))
                .addOutput(safety.output(dir.resolve("out.wav")));
        List<String> args = FfmpegSafety.arguments(ffmpeg);
        int input = args.indexOf("-i");
        assertThat(args.get(input + 1)).isEqualTo("file:" + source.toAbsolutePath());
        List<String> inputOptions = args.subList(0, input);
        assertThat(inputOptions).containsSequence("-protocol_whitelist", "file");
        assertThat(inputOptions).containsSequence("-f", "mov");
        int whitelist = inputOptions.indexOf("-format_whitelist");
        assertThat(inputOptions.get(whitelist + 1).split(","))
                .contains("mov", "matroska", "mp3", "wav", "flac", "ogg")
                .doesNotContain("hls", "concat", "sdp", "tty", "image2");
        assertThat(args.get(args.size() - 1)).isEqualTo("file:" + dir.resolve("out.wav").toAbsolutePath());
    }

    @Test
    void playlistAndListFormatsAreRefused() {
        for (String format : List.of("hls", "applehttp", "concat", "sdp", "tty", "dash", "image2", "png_pipe")) {
            assertThatThrownBy(() -> FfmpegSafety.refuseFormat(format))
                    .isInstanceOfSatisfying(MediaProblem.class,
                            p -> assertThat(p.reason()).isEqualTo("unsupported-media"));
        }
        FfmpegSafety.refuseFormat("mov,mp4,m4a,3gp,3g2,mj2");
        FfmpegSafety.refuseFormat("matroska,webm");
        FfmpegSafety.refuseFormat("mp3");
    }

    @Test
    void ffprobeItselfRefusesAPlaylistWhateverItsName() {
        // straight to ffprobe, past the byte sniffing MediaProber does first
        for (Path playlist : List.of(MediaFixtures.hlsPlaylist(dir), MediaFixtures.concatList(dir),
                MediaFixtures.concatText(dir))) {
            assertThatThrownBy(() -> safety.ffprobe(playlist))
                    .isInstanceOfSatisfying(MediaProblem.class,
                            p -> assertThat(p.reason()).isEqualTo("unsupported-media"));
        }
    }

    @Test
    void sniffing() {
        assertThat(FfmpegSafety.sniff(MediaFixtures.empty(dir))).isEqualTo(FfmpegSafety.Signature.EMPTY);
        assertThat(FfmpegSafety.sniff(MediaFixtures.hlsPlaylist(dir))).isEqualTo(FfmpegSafety.Signature.PLAYLIST);
        assertThat(FfmpegSafety.sniff(MediaFixtures.concatList(dir))).isEqualTo(FfmpegSafety.Signature.PLAYLIST);
        assertThat(FfmpegSafety.sniff(MediaFixtures.text(dir))).isEqualTo(FfmpegSafety.Signature.UNKNOWN);
        assertThat(FfmpegSafety.sniff(MediaFixtures.truncated(dir))).isEqualTo(FfmpegSafety.Signature.CONTAINER);
        for (String ext : List.of("wav", "mp3", "flac", "ogg", "m4a")) {
            assertThat(FfmpegSafety.sniff(MediaFixtures.tone(dir, ext))).as(ext)
                    .isEqualTo(FfmpegSafety.Signature.CONTAINER);
        }
    }

    @Test
    void isoBoxes() {
        Path plain = MediaFixtures.landscape(dir);
        assertThat(IsoBoxes.faststart(plain)).isFalse();
        assertThat(IsoBoxes.truncated(plain)).isFalse();
        assertThat(IsoBoxes.topLevel(plain)).extracting(IsoBoxes.Box::type)
                .containsExactlyElementsOf(MediaFixtures.topLevelBoxes(plain));
        assertThat(IsoBoxes.truncated(MediaFixtures.truncated(dir))).isTrue();
        Path cut = MediaFixtures.truncatedFaststart(dir);
        assertThat(IsoBoxes.faststart(cut)).isTrue();
        assertThat(IsoBoxes.truncated(cut)).isTrue();
        assertThat(IsoBoxes.topLevel(MediaFixtures.text(dir))).isEmpty();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> MediaLimits.defaults().withTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MediaLimits.defaults().maxWidth()).isEqualTo(7680);
    }
}
