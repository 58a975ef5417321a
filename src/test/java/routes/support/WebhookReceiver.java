package routes.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook receiver on loopback, as a job's caller would run: it can refuse the first deliveries. */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final BlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();
    private final AtomicInteger refusalsLeft = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            attempts.incrementAndGet();
            if (refusalsLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                received.add(Map.of("body", body,
                        "timestamp", exchange.getRequestHeaders().getFirst("X-Caravan-Timestamp"),
                        "signature", exchange.getRequestHeaders().getFirst("X-Caravan-Signature")));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answers 503 to the next {@code count} deliveries. */
    public void refuse(int count) {
        refusalsLeft.set(count);
    }

    /** Deliveries tried so far, refused or taken. */
    public int attempts() {
        return attempts.get();
    }

    /** Whether every refusal asked for was used. */
    public boolean refusalsUsed() {
        return refusalsLeft.get() < 0;
    }

    /** The next delivery (body, timestamp, signature), or null after {@code seconds}. */
    public Map<String, String> next(int seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
