package routes.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.io.IOException;
import routes.stt.MoonshineSpeech;
import routes.stt.SttServer;

/** Speech-to-text: Moonshine (or pocketsphinx) behind the OpenAI-compatible transcription API. */
final class EmbeddedStt implements EmbeddedService {

    private final SttServer server;
    private final URI endpoint;

    private final MoonshineSpeech moonshine;

    EmbeddedStt(String host, int port, Path workDir, int concurrency, Duration timeout, String engine, Path modelsDir,
                Duration maxAudio) throws IOException {
        this.moonshine = engine.equals("moonshine") ? MoonshineSpeech.open(modelsDir, 1) : null;
        this.server = moonshine == null ? new SttServer(host, port, workDir, concurrency, timeout)
                : new SttServer(host, port, workDir, concurrency, timeout, moonshine, maxAudio);
        this.endpoint = URI.create("http://" + host + ":" + port);
    }

    @Override
    public String name() {
        return "stt";
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void stop() {
        server.stop();
        if (moonshine != null) {
            try {
                moonshine.close();
            } catch (Exception e) {
                // the models' native memory goes with the process anyway
            }
        }
    }
}
