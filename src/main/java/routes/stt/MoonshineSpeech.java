package routes.stt;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** Raw 16-bit little-endian samples as floats in [-1, 1], read through a mapping of the file. */
    static float[] samples(Path pcm) throws IOException {
        try (FileChannel channel = FileChannel.open(pcm, StandardOpenOption.READ)) {
            if (channel.size() / 2 > Integer.MAX_VALUE) {
                throw new IOException("the audio is too long to read at once: " + channel.size() + " bytes");
            }
            ShortBuffer shorts = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())
                    .order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            float[] samples = new float[shorts.remaining()];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = shorts.get(i) / 32768f;
            }
            return samples;
        }
    }

    @Override
    public void close() throws Exception {
        vad.close();
        recognizer.close();
    }
}
