package routes.stt.moonshine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moonshine (Useful Sensors' English speech recognizer) on ONNX Runtime: an encoder over the raw 16 kHz samples and a
 * decoder with a key/value cache, decoded greedily, as the model's reference code does. Step 0 runs the decoder's
 * uncached branch from the start token and keeps every layer's keys and values (those of the audio are computed
 * once); each later step feeds the last token and replaces only the decoder's own keys and values. It stops at the
 * end token or after {@value #TOKENS_PER_SECOND} tokens per second of audio.
 *
 * <p>One call takes at most {@value #MAX_SECONDS} s of audio (longer audio is cut into segments first); less than
 * {@value #MIN_SAMPLES} samples, too short for the encoder's convolutions, is no speech. Safe for concurrent calls.
 */
public final class MoonshineRecognizer implements AutoCloseable {

    public static final int SAMPLE_RATE = 16_000;
    public static final int MAX_SECONDS = 64;
    static final int MIN_SAMPLES = 895;
    static final int TOKENS_PER_SECOND = 6;
    private static final long START_TOKEN = 1;
    private static final int END_TOKEN = 2;

    private final OrtEnvironment env;
    private final OrtSession encoder;
    private final OrtSession decoder;
    private final LlamaVocabulary vocabulary;
    /** The decoder's cache inputs, each with the shape of an empty cache. */
    private final Map<String, long[]> pastShapes = new HashMap<>();

    private MoonshineRecognizer(OrtEnvironment env, OrtSession encoder, OrtSession decoder, LlamaVocabulary vocabulary)
            throws OrtException {
        this.env = env;
        this.encoder = encoder;
        this.decoder = decoder;
        this.vocabulary = vocabulary;
        for (Map.Entry<String, NodeInfo> input : decoder.getInputInfo().entrySet()) {
            if (input.getKey().startsWith("past_key_values.")) {
                long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape().clone();
                // [batch, heads, length, head size]: one item, nothing cached yet
                shape[0] = 1;
                shape[2] = 0;
                pastShapes.put(input.getKey(), shape);
            }
        }
        if (pastShapes.isEmpty()) {
            throw new IllegalArgumentException("the decoder has no past_key_values inputs: not a Moonshine decoder");
        }
    }

    /**
     * The model in {@code dir}: {@code encoder_model.onnx}, {@code decoder_model_merged.onnx} and
     * {@code llama-vocab.txt}, each run on {@code threads} threads.
     */
    public static MoonshineRecognizer open(Path dir, int threads) throws IOException {
        for (String file : List.of("encoder_model.onnx", "decoder_model_merged.onnx", "llama-vocab.txt")) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IOException("no " + file + " in " + dir + " (bin/caravan run or test fetches the models)");
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            OrtSession encoder = env.createSession(dir.resolve("encoder_model.onnx").toString(), options);
            OrtSession decoder = env.createSession(dir.resolve("decoder_model_merged.onnx").toString(), options);
            return new MoonshineRecognizer(env, encoder, decoder, LlamaVocabulary.read(dir.resolve("llama-vocab.txt")));
        } catch (OrtException e) {
            throw new IOException("the Moonshine model in " + dir + " does not load: " + e.getMessage(), e);
        }
    }

    /** A word read, with the mean probability the model gave its tokens. */
    public record ReadWord(String word, double probability) {
    }

    /** The words in {@code samples} (mono, 16 kHz, in [-1, 1]); empty when there are none. */
    public String transcribe(float[] samples) {
        return String.join(" ", read(samples).stream().map(ReadWord::word).toList());
    }

    /**
     * The words in {@code samples}, each with its probability: its tokens are those from one that starts a word
     * ({@code ▁}) to the next, punctuation staying with the word before it.
     */
    public List<ReadWord> read(float[] samples) {
        Decoded decoded = decoded(samples);
        List<ReadWord> words = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= decoded.tokens().length; i++) {
            if (i == decoded.tokens().length || vocabulary.startsWord(decoded.tokens()[i])) {
                int[] ids = Arrays.copyOfRange(decoded.tokens(), from, i);
                String word = vocabulary.decode(ids).strip();
                if (!word.isEmpty()) {
                    double sum = 0;
                    for (int t = from; t < i; t++) {
                        sum += decoded.probabilities()[t];
                    }
                    words.add(new ReadWord(word, sum / (i - from)));
                }
                from = i;
            }
        }
        return words;
    }

    private record Decoded(int[] tokens, float[] probabilities) {
    }

    private Decoded decoded(float[] samples) {
        if (samples.length > MAX_SECONDS * SAMPLE_RATE) {
            throw new IllegalArgumentException("at most " + MAX_SECONDS + " s of audio at a time, not "
                    + samples.length / SAMPLE_RATE + " s");
        }
        int maxTokens = (int) ((long) samples.length * TOKENS_PER_SECOND / SAMPLE_RATE);
        if (samples.length < MIN_SAMPLES || maxTokens == 0) {
            return new Decoded(new int[0], new float[0]);
        }
        try {
            return decode(samples, maxTokens);
        } catch (OrtException e) {
            throw new IllegalStateException("the speech model failed: " + e.getMessage(), e);
        }
    }

    private Decoded decode(float[] samples, int maxTokens) throws OrtException {
        List<AutoCloseable> open = new ArrayList<>();
        int[] tokens = new int[maxTokens];
        float[] probabilities = new float[maxTokens];
        int count = 0;
        // the result whose decoder keys and values the next step reads; step 0's (the audio's) stays open to the end
        OrtSession.Result previous = null;
        try {
            OnnxTensor audio = track(open, OnnxTensor.createTensor(env, FloatBuffer.wrap(samples),
                    new long[] {1, samples.length}));
            OrtSession.Result encoded = track(open, encoder.run(Map.of("input_values", audio)));
            OnnxTensor hidden = (OnnxTensor) encoded.get("last_hidden_state").orElseThrow();
            Map<String, OnnxTensor> past = new HashMap<>();
            for (Map.Entry<String, long[]> cache : pastShapes.entrySet()) {
                past.put(cache.getKey(), track(open, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                        cache.getValue())));
            }
            OnnxTensor cached = track(open, OnnxTensor.createTensor(env, new boolean[] {true}));
            OnnxTensor uncached = track(open, OnnxTensor.createTensor(env, new boolean[] {false}));
            long next = START_TOKEN;
            for (int step = 0; step < maxTokens; step++) {
                OrtSession.Result result;
                try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {next}),
                        new long[] {1, 1})) {
                    Map<String, OnnxTensor> inputs = new HashMap<>(past);
                    inputs.put("input_ids", ids);
                    inputs.put("encoder_hidden_states", hidden);
                    inputs.put("use_cache_branch", step == 0 ? uncached : cached);
                    result = decoder.run(inputs);
                }
                if (step == 0) {
                    track(open, result);
                } else if (previous != null) {
                    previous.close();
                }
                previous = step == 0 ? null : result;
                FloatBuffer logits = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
                int token = argMax(logits);
                if (token == END_TOKEN) {
                    break;
                }
                probabilities[count] = probability(logits, token);
                tokens[count++] = token;
                next = token;
                for (Map.Entry<String, OnnxValue> output : result) {
                    String name = output.getKey();
                    // the audio's keys and values come from step 0 only: later steps give them back empty
                    if (name.startsWith("present.") && (step == 0 || name.contains(".decoder."))) {
                        past.put("past_key_values." + name.substring("present.".length()), (OnnxTensor) output.getValue());
                    }
                }
            }
            return new Decoded(Arrays.copyOf(tokens, count), Arrays.copyOf(probabilities, count));
        } finally {
            if (previous != null) {
                previous.close();
            }
            for (AutoCloseable resource : open) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // native memory of a tensor already released
                }
            }
        }
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> open, T resource) {
        open.add(resource);
        return resource;
    }

    /** The softmax of the logits at {@code token}. */
    private static float probability(FloatBuffer logits, int token) {
        float max = logits.get(token);
        double sum = 0;
        for (int i = 0; i < logits.limit(); i++) {
            sum += Math.exp(logits.get(i) - max);
        }
        return (float) (1 / sum);
    }

    private static int argMax(FloatBuffer logits) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.limit(); i++) {
            float value = logits.get(i);
            if (value > max) {
                max = value;
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() throws OrtException {
        encoder.close();
        decoder.close();
    }
}
