package routes.stt.moonshine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the speech is in 16 kHz audio, by Silero VAD v5 on ONNX Runtime: a speech probability per 32 ms frame (512
 * samples, fed with the 64 before them, the model's state carried from frame to frame, as Silero's own wrapper does),
 * then stretches as Silero's {@code get_speech_timestamps} makes them: speech starts at a frame at or above
 * {@link Settings#threshold}, ends once the probability has stayed below {@code threshold - 0.15} for
 * {@link Settings#minSilenceMs}; stretches shorter than {@link Settings#minSpeechMs} are dropped, each is padded by
 * {@link Settings#padMs} on both sides (never past its neighbours), and one longer than {@link Settings#maxSpeechMs}
 * is cut at its quietest frame in its second half. Safe for concurrent calls.
 */
public final class SileroVad implements AutoCloseable {

    public static final int SAMPLE_RATE = 16_000;
    static final int FRAME = 512;
    static final int CONTEXT = 64;
    static final int FRAMES_PER_READ = 256;
    private static final float[] NO_SAMPLES = new float[0];

    /** A stretch of speech, in samples: {@code [start, end)}. */
    public record Segment(int start, int end) {

        public double startSeconds() {
            return start / (double) SAMPLE_RATE;
        }

        public double endSeconds() {
            return end / (double) SAMPLE_RATE;
        }
    }

    /** How stretches are made of the frames' probabilities (Silero's defaults but the longest stretch). */
    public record Settings(float threshold, int minSpeechMs, int minSilenceMs, int padMs, int maxSpeechMs) {

        public static final Settings DEFAULTS = new Settings(0.5f, 250, 100, 30, 30_000);
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Settings settings;

    private SileroVad(OrtEnvironment env, OrtSession session, Settings settings) {
        this.env = env;
        this.session = session;
        this.settings = settings;
    }

    public static SileroVad open(Path model, Settings settings) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IOException("no " + model + " (bin/caravan run or test fetches the models)");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return new SileroVad(env, env.createSession(model.toString(), options), settings);
        } catch (OrtException e) {
            throw new IOException("the Silero VAD model " + model + " does not load: " + e.getMessage(), e);
        }
    }

    /** The speech probability of each whole 512-sample frame of {@code samples}. */
    public float[] probabilities(float[] samples) {
        return probabilities(Samples.of(samples));
    }

    /**
     * The speech probability of each whole 512-sample frame of {@code audio}, read {@value #FRAMES_PER_READ} frames at
     * a time.
     */
    public float[] probabilities(Samples audio) {
        int frames = audio.length() / FRAME;
        float[] out = new float[frames];
        float[] input = new float[CONTEXT + FRAME];
        float[] block = NO_SAMPLES;
        int blockStart = 0;
        try (OnnxTensor rate = OnnxTensor.createTensor(env, (long) SAMPLE_RATE)) {
            OnnxTensor state = OnnxTensor.createTensor(env, FloatBuffer.allocate(2 * 128), new long[] {2, 1, 128});
            OrtSession.Result last = null;
            try {
                for (int f = 0; f < frames; f++) {
                    // the 64 samples before the frame (zeros before the first), then the frame
                    System.arraycopy(input, FRAME, input, 0, CONTEXT);
                    if (f % FRAMES_PER_READ == 0) {
                        blockStart = f * FRAME;
                        block = audio.read(blockStart, Math.min(frames, f + FRAMES_PER_READ) * FRAME);
                    }
                    System.arraycopy(block, f * FRAME - blockStart, input, CONTEXT, FRAME);
                    OrtSession.Result result;
                    try (OnnxTensor frame = OnnxTensor.createTensor(env, FloatBuffer.wrap(input),
                            new long[] {1, CONTEXT + FRAME})) {
                        result = session.run(Map.of("input", frame, "state", state, "sr", rate));
                    }
                    out[f] = ((float[][]) result.get("output").orElseThrow().getValue())[0][0];
                    if (last != null) {
                        last.close();
                    } else {
                        state.close();
                    }
                    last = result;
                    state = (OnnxTensor) result.get("stateN").orElseThrow();
                }
            } finally {
                if (last != null) {
                    last.close();
                } else {
                    state.close();
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the VAD model failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** The stretches of speech in {@code samples} (mono, 16 kHz, in [-1, 1]), in order. */
    public List<Segment> segments(float[] samples) {
        return segments(probabilities(samples == null ? NO_SAMPLES : samples), samples == null ? 0 : samples.length,
                settings);
    }

    /** The stretches of speech from the frames' probabilities ({@link #probabilities}) of {@code length} samples. */
    public List<Segment> segmentsOf(float[] probabilities, int length) {
        return segments(probabilities, length, settings);
    }

    /** Stretches from frame probabilities, as Silero's get_speech_timestamps makes them. */
    static List<Segment> segments(float[] probabilities, int length, Settings settings) {
        float negative = settings.threshold() - 0.15f;
        int minSpeech = samples(settings.minSpeechMs());
        int minSilence = samples(settings.minSilenceMs());
        int maxSpeech = samples(settings.maxSpeechMs());
        List<int[]> raw = new ArrayList<>();
        boolean speaking = false;
        int start = 0;
        int silentSince = -1;
        for (int f = 0; f < probabilities.length; f++) {
            float p = probabilities[f];
            int at = f * FRAME;
            if (p >= settings.threshold()) {
                silentSince = -1;
                if (!speaking) {
                    speaking = true;
                    start = at;
                }
            } else if (speaking && p < negative) {
                if (silentSince < 0) {
                    silentSince = at;
                }
                if (at + FRAME - silentSince >= minSilence) {
                    raw.add(new int[] {start, silentSince});
                    speaking = false;
                    silentSince = -1;
                }
            }
        }
        if (speaking) {
            raw.add(new int[] {start, silentSince >= 0 ? silentSince : Math.min(length, probabilities.length * FRAME)});
        }
        List<int[]> kept = new ArrayList<>();
        for (int[] s : raw) {
            if (s[1] - s[0] >= minSpeech) {
                split(s[0], s[1], probabilities, maxSpeech, kept);
            }
        }
        int pad = samples(settings.padMs());
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            int[] s = kept.get(i);
            int before = i == 0 ? 0 : (kept.get(i - 1)[1] + s[0]) / 2;
            int after = i == kept.size() - 1 ? length : (s[1] + kept.get(i + 1)[0]) / 2;
            out.add(new Segment(Math.max(before, s[0] - pad), Math.min(after, s[1] + pad)));
        }
        return out;
    }

    /** Cuts a stretch longer than {@code max} at the quietest frame of its second half, again and again. */
    private static void split(int start, int end, float[] probabilities, int max, List<int[]> out) {
        while (end - start > max) {
            int from = (start + max / 2) / FRAME;
            int to = Math.min(probabilities.length, (start + max) / FRAME);
            int cut = from;
            for (int f = from; f < to; f++) {
                if (probabilities[f] < probabilities[cut]) {
                    cut = f;
                }
            }
            out.add(new int[] {start, cut * FRAME});
            start = cut * FRAME;
        }
        out.add(new int[] {start, end});
    }

    private static int samples(int ms) {
        return (int) ((long) ms * SAMPLE_RATE / 1000);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
