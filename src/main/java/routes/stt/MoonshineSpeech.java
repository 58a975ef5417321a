package routes.stt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import routes.stt.moonshine.MoonshineEngine;
import routes.stt.moonshine.MoonshineRecognizer;
import routes.stt.moonshine.SileroVad;

/**
 * The embedded server's default engine: Moonshine tiny with Silero VAD (models from the npm registry, fetched by
 * bin/caravan into {@code caravan.models-dir}), each stretch of speech an utterance, each word timed and with its
 * probability.
 */
public final class MoonshineSpeech implements SttServer.Recognizer, AutoCloseable {

    private final SileroVad vad;
    private final MoonshineRecognizer recognizer;
    private final MoonshineEngine engine;

    private MoonshineSpeech(SileroVad vad, MoonshineRecognizer recognizer) {
        this.vad = vad;
        this.recognizer = recognizer;
        this.engine = new MoonshineEngine(vad, recognizer);
    }

    /** The engine on the models in {@code modelsDir} ({@code moonshine-tiny/} and {@code silero-vad/}). */
    public static MoonshineSpeech open(Path modelsDir, int threads) throws IOException {
        SileroVad vad = SileroVad.open(modelsDir.resolve("silero-vad").resolve("silero_vad_v5.onnx"),
                SileroVad.Settings.DEFAULTS);
        try {
            return new MoonshineSpeech(vad, MoonshineRecognizer.open(modelsDir.resolve("moonshine-tiny"), threads));
        } catch (IOException | RuntimeException e) {
            try {
                vad.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public List<SttServer.Utterance> recognise(Path pcm, long deadline) throws IOException {
        List<SttServer.Utterance> out = new ArrayList<>();
        List<MoonshineEngine.Segment> segments;
        try {
            segments = engine.transcribe(samples(pcm), deadline);
        } catch (java.util.concurrent.CancellationException e) {
            throw new java.io.InterruptedIOException(e.getMessage());
        }
        for (MoonshineEngine.Segment segment : segments) {
            List<Transcript.Word> words = segment.words().stream()
                    .map(w -> new Transcript.Word(w.word(), w.start(), w.end(), w.probability())).toList();
            out.add(new SttServer.Utterance(segment.start(), segment.end(), words));
        }
        return out;
    }

    /** Raw 16-bit little-endian samples as floats in [-1, 1]. */
    static float[] samples(Path pcm) throws IOException {
        long bytes = Files.size(pcm);
        if (bytes / 2 > Integer.MAX_VALUE) {
            throw new IOException("the audio is too long to read at once: " + bytes + " bytes");
        }
        float[] samples = new float[(int) (bytes / 2)];
        byte[] chunk = new byte[1 << 16];
        int at = 0;
        try (InputStream in = Files.newInputStream(pcm)) {
            int n;
            int carry = -1;
            while ((n = in.read(chunk)) > 0) {
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n).order(ByteOrder.LITTLE_ENDIAN);
                if (carry >= 0 && buffer.hasRemaining()) {
                    samples[at++] = (short) ((carry & 0xff) | (buffer.get() << 8)) / 32768f;
                    carry = -1;
                }
                while (buffer.remaining() >= 2) {
                    samples[at++] = buffer.getShort() / 32768f;
                }
                if (buffer.hasRemaining()) {
                    carry = buffer.get();
                }
            }
        }
        return samples;
    }

    @Override
    public void close() throws Exception {
        vad.close();
        recognizer.close();
    }
}
