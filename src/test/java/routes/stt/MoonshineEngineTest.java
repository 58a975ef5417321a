package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import routes.stt.moonshine.MoonshineEngine;
import routes.stt.moonshine.MoonshineRecognizer;
import routes.stt.moonshine.SileroVad;

/**
 * Timed words on audio whose word times are known: every word synthesised on its own by espeak-ng, trimmed to its
 * sound, and laid end to end with short gaps into phrases, the phrases a second apart. The engine's stretches must
 * match the phrases within 0.1 s, and the words it reads back must start, in the median, within 0.25 s of where
 * those words were put.
 */
class MoonshineEngineTest {

    static final List<List<String>> PHRASES = List.of(
            List.of("the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"),
            List.of("a", "video", "editor", "cuts", "the", "interview", "into", "a", "short", "programme"),
            List.of("please", "call", "stella", "and", "ask", "her", "to", "bring", "these", "things"));
    static final double WORD_GAP = 0.06;
    static final double PHRASE_GAP = 1.0;

    @TempDir
    static Path dir;
    static SileroVad vad;
    static MoonshineRecognizer recognizer;

    @BeforeAll
    static void open() throws IOException {
        vad = SileroVad.open(SileroVadTest.MODEL, SileroVad.Settings.DEFAULTS);
        recognizer = MoonshineRecognizer.open(MoonshineRecognizerTest.MODELS, 1);
    }

    @AfterAll
    static void close() throws Exception {
        vad.close();
        recognizer.close();
    }

    @Test
    void wordsAndStretchesLineUpWithWhereTheyWereSaid() {
        List<String> words = new ArrayList<>();
        List<Double> starts = new ArrayList<>();
        List<double[]> phrases = new ArrayList<>();
        float[] audio = new float[0];
        int at = (int) (0.5 * SileroVad.SAMPLE_RATE);
        for (List<String> phrase : PHRASES) {
            double phraseStart = at / 16000.0;
            for (String word : phrase) {
                float[] sound = trimmed(SpeechFixtures.plainVoice(dir, "w" + words.size(), word));
                audio = Arrays.copyOf(audio, at + sound.length);
                System.arraycopy(sound, 0, audio, at, sound.length);
                words.add(word);
                starts.add(at / 16000.0);
                at += sound.length + (int) (WORD_GAP * SileroVad.SAMPLE_RATE);
            }
            phrases.add(new double[] {phraseStart, (at - WORD_GAP * SileroVad.SAMPLE_RATE) / 16000.0});
            at += (int) (PHRASE_GAP * SileroVad.SAMPLE_RATE);
        }
        audio = Arrays.copyOf(audio, at);

        List<MoonshineEngine.Segment> segments = new MoonshineEngine(vad, recognizer).transcribe(audio);

        assertThat(segments).hasSize(PHRASES.size());
        for (int i = 0; i < segments.size(); i++) {
            assertThat(segments.get(i).start()).as("start of phrase %d", i).isCloseTo(phrases.get(i)[0], Offset.offset(0.1));
            assertThat(segments.get(i).end()).as("end of phrase %d", i).isCloseTo(phrases.get(i)[1], Offset.offset(0.1));
        }
        List<MoonshineEngine.TimedWord> heard = segments.stream().flatMap(s -> s.words().stream()).toList();
        double previous = -1;
        for (MoonshineEngine.TimedWord w : heard) {
            assertThat(w.start()).as("monotonic, inside the audio").isGreaterThanOrEqualTo(previous)
                    .isLessThanOrEqualTo(w.end());
            assertThat(w.end()).isLessThanOrEqualTo(audio.length / 16000.0);
            previous = w.start();
        }
        // the start errors of the words read back as said (matched in order)
        List<Double> errors = new ArrayList<>();
        int j = 0;
        for (MoonshineEngine.TimedWord w : heard) {
            String plain = w.word().toLowerCase(Locale.ROOT).replaceAll("[^a-z']", "");
            for (int k = j; k < Math.min(words.size(), j + 3); k++) {
                if (words.get(k).equals(plain)) {
                    errors.add(Math.abs(w.start() - starts.get(k)));
                    j = k + 1;
                    break;
                }
            }
        }
        assertThat(errors.size()).as("words read back as said, of %d: %s", words.size(), heard)
                .isGreaterThanOrEqualTo(words.size() / 2);
        List<Double> sorted = errors.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        System.out.printf("word start error: median %.3f s, max %.3f s over %d words; heard %s%n", median,
                sorted.get(sorted.size() - 1), sorted.size(), segments.stream().map(MoonshineEngine.Segment::text).toList());
        assertThat(median).as("median word start error (s)").isLessThanOrEqualTo(0.25);
    }

    @Test
    void silenceNoiseAndMusicGiveNoWords() {
        MoonshineEngine engine = new MoonshineEngine(vad, recognizer);
        assertThat(engine.transcribe(new float[10 * SileroVad.SAMPLE_RATE])).as("silence").isEmpty();
        java.util.Random random = new java.util.Random(7);
        float[] noise = new float[10 * SileroVad.SAMPLE_RATE];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 0.1);
        }
        assertThat(engine.transcribe(noise)).as("noise").isEmpty();
        // a chord that changes every half second, with a beat: music, not speech
        float[] music = new float[10 * SileroVad.SAMPLE_RATE];
        double[][] chords = {{261.6, 329.6, 392.0}, {293.7, 370.0, 440.0}, {329.6, 415.3, 493.9}, {349.2, 440.0, 523.3}};
        for (int i = 0; i < music.length; i++) {
            double t = i / (double) SileroVad.SAMPLE_RATE;
            double[] chord = chords[(int) (t * 2) % chords.length];
            double v = 0;
            for (double f : chord) {
                v += Math.sin(2 * Math.PI * f * t);
            }
            double beat = (t * 2) % 1 < 0.1 ? 1 : 0.6;
            music[i] = (float) (0.2 * beat * v / chord.length);
        }
        List<MoonshineEngine.Segment> heard = engine.transcribe(music);
        assertThat(heard.stream().mapToLong(s -> s.words().size()).sum()).as("words in music: %s", heard)
                .isLessThanOrEqualTo(2);
    }

    /** The samples from the first to the last one louder than 1% of full scale. */
    static float[] trimmed(float[] samples) {
        int from = 0;
        int to = samples.length - 1;
        while (from < to && Math.abs(samples[from]) < 0.01f) {
            from++;
        }
        while (to > from && Math.abs(samples[to]) < 0.01f) {
            to--;
        }
        return Arrays.copyOfRange(samples, from, to + 1);
    }
}
