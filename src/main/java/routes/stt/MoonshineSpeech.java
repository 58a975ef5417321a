package routes.stt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import routes.stt.moonshine.MoonshineEngine;
import routes.stt.moonshine.MoonshineRecognizer;
import routes.stt.moonshine.Samples;
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
        try (Samples.File audio = Samples.pcm(pcm)) {
            segments = engine.transcribe(audio, deadline);
        } catch (java.util.concurrent.CancellationException e) {
            throw new java.io.InterruptedIOException(e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        for (MoonshineEngine.Segment segment : segments) {
            List<Transcript.Word> words = segment.words().stream()
                    .map(w -> new Transcript.Word(w.word(), w.start(), w.end(), w.probability())).toList();
            out.add(new SttServer.Utterance(segment.start(), segment.end(), words));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        vad.close();
        recognizer.close();
    }
}
