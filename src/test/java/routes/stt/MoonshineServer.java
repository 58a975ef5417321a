package routes.stt;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The embedded server on its default engine (Moonshine, one thread, models from bin/caravan's cache) on loopback. */
final class MoonshineServer implements AutoCloseable {

    private final MoonshineSpeech engine;
    private final SttServer server;

    MoonshineServer(Path workDir) throws IOException {
        engine = MoonshineSpeech.open(MoonshineRecognizerTest.MODELS.getParent(), 1);
        server = new SttServer("127.0.0.1", 0, workDir, 2, Duration.ofMinutes(2), engine, SttServer.DEFAULT_MAX_AUDIO);
        server.start();
    }

    /** The engine, for other servers a test starts on it. */
    MoonshineSpeech engine() {
        return engine;
    }

    URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        engine.close();
    }
}
