package routes.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import routes.stt.PocketsphinxSttServer;

/** Speech-to-text: pocketsphinx behind the OpenAI-compatible transcription API. */
final class EmbeddedStt implements EmbeddedService {

    private final PocketsphinxSttServer server;
    private final URI endpoint;

    EmbeddedStt(String host, int port, Path workDir, int concurrency, Duration timeout) {
        this.server = new PocketsphinxSttServer(host, port, workDir, concurrency, timeout);
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
    }
}
