package routes.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class AudioExtractorTest {

    @TempDir
    static Path dir;

    private final FfmpegSafety safety = MediaFixtures.safety();
    private final MediaProber prober = new MediaProber(safety);
    private final AudioExtractor extractor = new AudioExtractor(safety);

    @Test
    void speechAudioFromAVideo() {
        Path source = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(source);

        Path wav = extractor.forSpeech(source, info, dir.resolve("out/landscape.wav"));

        assertSpeechWav(wav, info.durationSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wav", "mp3", "flac", "ogg", "m4a"})
    void speechAudioFromAudioFiles(String extension) {
        Path source = MediaFixtures.tone(dir, extension);
        MediaInfo info = prober.probe(source);

        Path wav = extractor.forSpeech(source, info, dir.resolve("speech-" + extension + ".wav"));

        assertSpeechWav(wav, info.durationSeconds());
    }

    @Test
    void mp3WithCoverArt() {
        Path source = MediaFixtures.mp3WithCover(dir);
        MediaInfo info = prober.probe(source);
        assertSpeechWav(extractor.forSpeech(source, info, dir.resolve("cover.wav")), info.durationSeconds());
    }

    @Test
    void videoWithoutAudio() {
        Path source = MediaFixtures.silent(dir);
        MediaInfo info = prober.probe(source);
        MediaProberTest.assertProblem(() -> extractor.forSpeech(source, info, dir.resolve("none.wav")),
                "no-audio-stream");
        assertThat(dir.resolve("none.wav")).doesNotExist();
    }

    /** A canonical 44-byte-header WAV, PCM 16-bit mono 16 kHz, as long as the source. */
    private void assertSpeechWav(Path wav, double sourceSeconds) {
        byte[] bytes = MediaFixtures.read(wav);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(bytes, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WAVE");
        assertThat(new String(bytes, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("fmt ");
        assertThat(header.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(header.getShort(22)).as("channels").isEqualTo((short) 1);
        assertThat(header.getInt(24)).as("sample rate").isEqualTo(16000);
        assertThat(header.getShort(34)).as("bits per sample").isEqualTo((short) 16);
        assertThat(new String(bytes, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        int dataBytes = header.getInt(40);
        assertThat(dataBytes).isEqualTo(bytes.length - 44);
        assertThat(dataBytes / 32000.0).isCloseTo(sourceSeconds, within(0.2));

        MediaInfo info = prober.probe(wav);
        assertThat(info.kind()).isEqualTo(MediaInfo.Kind.AUDIO);
        assertThat(info.audio().codec()).isEqualTo("pcm_s16le");
        assertThat(info.audio().sampleRate()).isEqualTo(16000);
        assertThat(info.audio().channels()).isEqualTo(1);
        assertThat(info.durationSeconds()).isCloseTo(sourceSeconds, within(0.2));
    }
}
