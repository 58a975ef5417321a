package routes.stt.moonshine;

import java.util.ArrayList;
import java.util.List;

/**
 * Speech to timed words: Silero VAD finds the stretches of speech; consecutive stretches are read together by
 * Moonshine, up to {@value #CHUNK_SECONDS} s at a time with {@value #CONTEXT_MS} ms of audio around them (the model
 * reads a sentence better with the ones around it than alone); the words read are shared out to the stretches
 * ({@link #allot}); within its stretch each word gets times over the voiced frames (those the VAD scores as speech,
 * so pauses get no word) in proportion to its length in letters plus one (a word's onset and the gap after it), in
 * order. Each stretch with words is a segment.
 */
public final class MoonshineEngine {

    static final int CHUNK_SECONDS = 20;
    static final int CONTEXT_MS = 300;

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
        return transcribe(Samples.of(samples), Long.MAX_VALUE);
    }

    /**
     * The same for audio read a range at a time: memory holds one chunk of it (and a probability per frame), however
     * long it is; given up between two chunks once {@link System#nanoTime()} passes {@code deadline}
     * ({@link java.util.concurrent.CancellationException}).
     */
    public List<Segment> transcribe(Samples audio, long deadline) {
        float[] probabilities = vad.probabilities(audio);
        List<SileroVad.Segment> stretches = vad.segmentsOf(probabilities, audio.length());
        int context = CONTEXT_MS * SileroVad.SAMPLE_RATE / 1000;
        int longest = CHUNK_SECONDS * SileroVad.SAMPLE_RATE;
        List<Segment> out = new ArrayList<>();
        int first = 0;
        while (first < stretches.size()) {
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
                throw new java.util.concurrent.CancellationException("past the deadline after "
                        + stretches.get(first).startSeconds() + " s of audio");
            }
            int last = first;
            while (last + 1 < stretches.size()
                    && stretches.get(last + 1).end() - stretches.get(first).start() <= longest) {
                last++;
            }
            int from = Math.max(0, stretches.get(first).start() - context);
            int to = Math.min(audio.length(), stretches.get(last).end() + context);
            List<MoonshineRecognizer.ReadWord> read = recognizer.read(audio.read(from, to));
            List<SileroVad.Segment> chunk = stretches.subList(first, last + 1);
            int[] cuts = allot(read, chunk, probabilities);
            for (int i = 0; i < chunk.size(); i++) {
                List<MoonshineRecognizer.ReadWord> own = read.subList(cuts[i], cuts[i + 1]);
                if (!own.isEmpty()) {
                    SileroVad.Segment stretch = chunk.get(i);
                    List<TimedWord> timed = timeWords(own, stretch, probabilities);
                    out.add(new Segment(stretch.startSeconds(), stretch.endSeconds(),
                            String.join(" ", own.stream().map(MoonshineRecognizer.ReadWord::word).toList()), timed));
                }
            }
            first = last + 1;
        }
        return out;
    }

    /**
     * Which words of a chunk each of its stretches holds: {@code cuts[i]..cuts[i + 1]} are stretch {@code i}'s. The
     * words are cut into consecutive groups whose shares of the letters (plus one a word) come closest to the
     * stretches' shares of the voiced time, a cut after a punctuation mark (the end of a sentence or clause, which
     * a pause often is) counting as a little closer.
     */
    static int[] allot(List<MoonshineRecognizer.ReadWord> words, List<SileroVad.Segment> stretches,
            float[] probabilities) {
        int n = words.size();
        int k = stretches.size();
        double[] weight = new double[n + 1];
        for (int i = 0; i < n; i++) {
            weight[i + 1] = weight[i] + words.get(i).word().length() + 1;
        }
        double[] voiced = new double[k];
        double totalVoiced = 0;
        for (int j = 0; j < k; j++) {
            voiced[j] = length(voicedRanges(stretches.get(j), probabilities));
            totalVoiced += voiced[j];
        }
        double total = Math.max(weight[n], 1);
        double[][] cost = new double[k + 1][n + 1];
        int[][] from = new int[k + 1][n + 1];
        for (double[] row : cost) {
            java.util.Arrays.fill(row, Double.MAX_VALUE);
        }
        cost[0][0] = 0;
        for (int j = 1; j <= k; j++) {
            for (int c = 0; c <= n; c++) {
                if (j == k && c != n) {
                    continue;
                }
                for (int b = 0; b <= c; b++) {
                    if (cost[j - 1][b] == Double.MAX_VALUE) {
                        continue;
                    }
                    double share = (weight[c] - weight[b]) / total - voiced[j - 1] / totalVoiced;
                    double bonus = j < k && c > 0 && endsClause(words.get(c - 1).word()) ? 0.01 : 0;
                    double candidate = cost[j - 1][b] + share * share - bonus;
                    if (candidate < cost[j][c]) {
                        cost[j][c] = candidate;
                        from[j][c] = b;
                    }
                }
            }
        }
        int[] cuts = new int[k + 1];
        cuts[k] = n;
        for (int j = k; j > 0; j--) {
            cuts[j - 1] = from[j][cuts[j]];
        }
        return cuts;
    }

    private static boolean endsClause(String word) {
        char last = word.charAt(word.length() - 1);
        return last == '.' || last == ',' || last == '?' || last == '!' || last == ';' || last == ':';
    }

    /** The words over the voiced frames of the stretch, by letters plus one. */
    static List<TimedWord> timeWords(List<MoonshineRecognizer.ReadWord> words, SileroVad.Segment stretch,
            float[] probabilities) {
        List<int[]> voiced = voicedRanges(stretch, probabilities);
        long voicedSamples = length(voiced);
        int weights = 0;
        for (MoonshineRecognizer.ReadWord w : words) {
            weights += w.word().length() + 1;
        }
        List<TimedWord> out = new ArrayList<>(words.size());
        int done = 0;
        for (MoonshineRecognizer.ReadWord w : words) {
            double startOffset = voicedSamples * done / (double) weights;
            double start = at(voiced, startOffset);
            done += w.word().length() + 1;
            double end = at(voiced, voicedSamples * (done - 1) / (double) weights);
            // a word does not span a pause: it ends where the voiced stretch it starts in ends
            end = Math.min(end, rangeEnd(voiced, startOffset));
            out.add(new TimedWord(w.word(), start / SileroVad.SAMPLE_RATE, Math.max(start, end) / SileroVad.SAMPLE_RATE,
                    w.probability()));
        }
        return out;
    }

    /**
     * The voiced frames of the stretch (scored as speech by the VAD), as {@code [start, end)} sample ranges, neighbours
     * joined; none scored voiced: the whole stretch.
     */
    static List<int[]> voicedRanges(SileroVad.Segment stretch, float[] probabilities) {
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
        return voiced;
    }

    private static long length(List<int[]> ranges) {
        return ranges.stream().mapToLong(r -> r[1] - r[0]).sum();
    }

    /** The end of the voiced range that holds the sample {@code offset} voiced samples in. */
    private static double rangeEnd(List<int[]> voiced, double offset) {
        double left = offset;
        for (int[] range : voiced) {
            int length = range[1] - range[0];
            if (left < length) {
                return range[1];
            }
            left -= length;
        }
        return voiced.get(voiced.size() - 1)[1];
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
