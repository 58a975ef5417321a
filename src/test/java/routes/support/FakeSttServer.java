package routes.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A scripted OpenAI-like transcription server on loopback: answers are taken in turn, the last one repeats. */
public final class FakeSttServer implements AutoCloseable {

    public record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
        public static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body, 0);
        }
    }

    public record Request(String method, String path, Headers headers, byte[] body, long atNanos) {
    }

    public static final String VERBOSE = """
            {"task":"transcribe","language":"english","duration":2.5,"text":"Hello world.",
             "words":[{"word":"Hello","start":0.1,"end":0.5,"probability":0.9},
                      {"word":"world","start":0.6,"end":1.0}],
             "segments":[{"id":0,"start":0.0,"end":1.2,"text":"Hello world."}]}""";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-stt");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer last = Answer.json(200, VERBOSE);
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeSttServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders(), body, System.nanoTime()));
                Answer answer = next();
                if (answer.delayMillis() > 0) {
                    try {
                        Thread.sleep(answer.delayMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (IOException e) {
                // the client went away
            }
        });
        server.start();
    }

    /** Answers these in turn; the last one then answers every further request. */
    public FakeSttServer answer(Answer... answers) {
        script.addAll(List.of(answers));
        if (answers.length > 0) {
            last = answers[answers.length - 1];
        }
        return this;
    }

    private synchronized Answer next() {
        Answer a = script.poll();
        return a == null ? last : a;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int count() {
        return requests.size();
    }

    /** The requests it got, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets its script and its requests; it answers {@link #VERBOSE} until told otherwise. */
    public synchronized void reset() {
        script.clear();
        requests.clear();
        last = Answer.json(200, VERBOSE);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        server.stop(0);
    }

}
