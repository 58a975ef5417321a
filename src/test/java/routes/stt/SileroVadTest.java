package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import routes.stt.moonshine.SileroVad;
import routes.stt.moonshine.SileroVad.Segment;

/**
 * Silero VAD (from the npm registry, as bin/caravan fetches it) finds the spoken phrases of espeak-ng audio where an
 * independent reading of the samples (their amplitude) puts them, and nothing in silence or noise.
 */
class SileroVadTest {

    static final Path MODEL = MoonshineRecognizerTest.MODELS.resolveSibling("silero-vad").resolve("silero_vad_v5.onnx");

    @TempDir
    static Path dir;
    static SileroVad vad;

    @BeforeAll
    static void open() throws IOException {
        vad = SileroVad.open(MODEL, SileroVad.Settings.DEFAULTS);
    }

    @AfterAll
    static void close() throws Exception {
        vad.close();
    }

    @Test
    void findsEachPhraseWithinATenthOfASecond() {
        float[] samples = SpeechFixtures.samples16k(SpeechFixtures.twoSentences(dir, "two",
                "The quick brown fox jumps over the lazy dog.", "A video editor cuts the interview.", 1.2));
        List<double[]> truth = loudStretches(samples, 0.01, 0.5);
        assertThat(truth).as("the phrases by amplitude").hasSize(2);

        List<Segment> found = vad.segments(samples);

        assertThat(found).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(found.get(i).startSeconds()).as("start of phrase %d", i)
                    .isCloseTo(truth.get(i)[0], org.assertj.core.data.Offset.offset(0.1));
            assertThat(found.get(i).endSeconds()).as("end of phrase %d", i)
                    .isCloseTo(truth.get(i)[1], org.assertj.core.data.Offset.offset(0.1));
        }
    }

    @Test
    void audioReadFromAFileABlockAtATimeScoresAsTheSameAudioInMemory() throws IOException {
        float[] samples = SpeechFixtures.samples16k(SpeechFixtures.twoSentences(dir, "two",
                "The quick brown fox jumps over the lazy dog.", "A video editor cuts the interview.", 1.2));
        // repeated past several reads' worth of frames, with an odd tail
        float[] longer = new float[samples.length * 3 + 777];
        for (int i = 0; i < longer.length; i++) {
            longer[i] = samples[i % samples.length];
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(longer.length * 2)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : longer) {
            bytes.putShort((short) Math.round(f * 32768f));
        }
        Path pcm = java.nio.file.Files.write(dir.resolve("longer.pcm"), bytes.array());

        try (routes.stt.moonshine.Samples.File file = routes.stt.moonshine.Samples.pcm(pcm)) {
            assertThat(file.length()).isEqualTo(longer.length);
            assertThat(file.read(1000, 1010)).containsExactly(java.util.Arrays.copyOfRange(longer, 1000, 1010),
                    org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(vad.probabilities(file)).containsExactly(vad.probabilities(longer),
                    org.assertj.core.data.Offset.offset(1e-6f));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> file.read(0, longer.length + 1))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void silenceAndNoiseHoldNoSpeech() {
        assertThat(vad.segments(new float[5 * SileroVad.SAMPLE_RATE])).isEmpty();
        Random random = new Random(1);
        float[] noise = new float[5 * SileroVad.SAMPLE_RATE];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 0.05);
        }
        assertThat(vad.segments(noise)).isEmpty();
        assertThat(vad.segments(new float[100])).isEmpty();
    }

    @Test
    void aStretchLongerThanTheLongestIsCut() throws IOException {
        float[] samples = SpeechFixtures.samples16k(SpeechFixtures.speak16k(dir, "long",
                "A paper edit is cut from the transcript of an interview: the producer picks the lines that tell "
                        + "the story and puts them in order."));
        try (SileroVad short2s = SileroVad.open(MODEL, new SileroVad.Settings(0.5f, 250, 100, 30, 2_000))) {
            List<Segment> found = short2s.segments(samples);
            assertThat(found.size()).isGreaterThan(2);
            for (int i = 0; i < found.size(); i++) {
                Segment s = found.get(i);
                assertThat(s.endSeconds() - s.startSeconds()).as("segment %d", i).isLessThanOrEqualTo(2.06);
                if (i > 0) {
                    assertThat(s.start()).as("in order, apart").isGreaterThanOrEqualTo(found.get(i - 1).end());
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Stretches where |sample| passes {@code level}, joined across gaps shorter than {@code gapSeconds}. */
    static List<double[]> loudStretches(float[] samples, double level, double gapSeconds) {
        List<double[]> out = new ArrayList<>();
        int gap = (int) (gapSeconds * SileroVad.SAMPLE_RATE);
        int start = -1;
        int last = -1;
        for (int i = 0; i < samples.length; i++) {
            if (Math.abs(samples[i]) >= level) {
                if (start < 0 || i - last > gap) {
                    if (start >= 0) {
                        out.add(new double[] {start / 16000.0, last / 16000.0});
                    }
                    start = i;
                }
                last = i;
            }
        }
        if (start >= 0) {
            out.add(new double[] {start / 16000.0, last / 16000.0});
        }
        return out;
    }
}
