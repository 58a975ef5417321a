package routes.stt.moonshine;

import java.util.ArrayList;
import java.util.List;

/**
 * Speech to timed words: Silero VAD cuts the audio into stretches of speech (at most 30 s each), Moonshine reads
 * each, and each word gets times within its stretch. Moonshine gives text, not times, so a stretch's words are laid
 * over its voiced frames (those the VAD scores as speech, so pauses inside a stretch get no word) in proportion to
 * their length in letters plus one (a word's onset and the gap after it), in order.
 */
public final class MoonshineEngine {

    /** A word, when it was said (seconds from the start of the audio) and the model's probability for it. */
    public record TimedWord(String word, double start, double end, double probability) {
    }

    /** A stretch of speech and its words. */
    public record Segment(double start, double end, String text, List<TimedWord> words) {
    }

    private final SileroVad vad;
    private final MoonshineRecognizer recognizer;

    public MoonshineEngine(SileroVad vad, MoonshineRecognizer recognizer) {
        this.vad = vad;
        this.recognizer = recognizer;
    }

    /** The stretches of speech in {@code samples} (mono, 16 kHz, in [-1, 1]) with their words; silence gives none. */
    public List<Segment> transcribe(float[] samples) {
        float[] probabilities = vad.probabilities(samples);
        List<Segment> out = new ArrayList<>();
        for (SileroVad.Segment stretch : vad.segmentsOf(probabilities, samples.length)) {
            float[] piece = new float[stretch.end() - stretch.start()];
            System.arraycopy(samples, stretch.start(), piece, 0, piece.length);
            List<MoonshineRecognizer.ReadWord> read = recognizer.read(piece);
            if (!read.isEmpty()) {
                out.add(new Segment(stretch.startSeconds(), stretch.endSeconds(),
                        String.join(" ", read.stream().map(MoonshineRecognizer.ReadWord::word).toList()),
                        timeWords(read, stretch, probabilities)));
            }
        }
        return out;
    }

    /** The words over the voiced frames of the stretch, by letters plus one. */
    static List<TimedWord> timeWords(List<MoonshineRecognizer.ReadWord> words, SileroVad.Segment stretch,
            float[] probabilities) {
        // the voiced frames of the stretch, as [start, end) sample ranges; none scored voiced: the whole stretch
        List<int[]> voiced = new ArrayList<>();
        int first = stretch.start() / SileroVad.FRAME;
        int last = Math.min(probabilities.length, (stretch.end() + SileroVad.FRAME - 1) / SileroVad.FRAME);
        for (int f = first; f < last; f++) {
            if (probabilities[f] >= 0.5f) {
                int from = Math.max(stretch.start(), f * SileroVad.FRAME);
                int to = Math.min(stretch.end(), (f + 1) * SileroVad.FRAME);
                if (!voiced.isEmpty() && voiced.get(voiced.size() - 1)[1] == from) {
                    voiced.get(voiced.size() - 1)[1] = to;
                } else {
                    voiced.add(new int[] {from, to});
                }
            }
        }
        if (voiced.isEmpty()) {
            voiced.add(new int[] {stretch.start(), stretch.end()});
        }
        long voicedSamples = voiced.stream().mapToLong(r -> r[1] - r[0]).sum();
        int weights = 0;
        for (MoonshineRecognizer.ReadWord w : words) {
            weights += w.word().length() + 1;
        }
        List<TimedWord> out = new ArrayList<>(words.size());
        int done = 0;
        for (MoonshineRecognizer.ReadWord w : words) {
            double start = at(voiced, voicedSamples * done / (double) weights);
            done += w.word().length() + 1;
            double end = at(voiced, voicedSamples * (done - 1) / (double) weights);
            out.add(new TimedWord(w.word(), start / SileroVad.SAMPLE_RATE, Math.max(start, end) / SileroVad.SAMPLE_RATE,
                    w.probability()));
        }
        return out;
    }

    /** The sample at {@code offset} voiced samples into the voiced ranges. */
    private static double at(List<int[]> voiced, double offset) {
        double left = offset;
        for (int[] range : voiced) {
            int length = range[1] - range[0];
            if (left <= length) {
                return range[0] + left;
            }
            left -= length;
        }
        return voiced.get(voiced.size() - 1)[1];
    }
}
