package routes.embedded.sns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A small Amazon SNS-compatible endpoint for the AWS SDK's {@code SnsClient}, delivering to SQS queues.
 *
 * <p>It speaks the AWS query protocol ({@code POST /} with a form-encoded {@code Action=...} body, XML
 * replies in the {@code 2010-03-31} namespace) and accepts any credentials without checking signatures.
 * Topics and subscriptions are kept in a JSON state file and survive restarts. Only the {@code sqs}
 * protocol is supported; publishing delivers to the subscribed queues before the reply is sent.
 *
 * <p>Not supported: other protocols (http, email, lambda, SMS, mobile push), verifiable message signatures,
 * FIFO deduplication at the topic (the FIFO queue still deduplicates), the {@code cidr} filter operator,
 * tags, permissions and data protection policies.
 */
public final class SnsServer {

    private static final Logger LOG = LoggerFactory.getLogger(SnsServer.class);

    /**
     * The largest request body read. A form-encoded body can be up to three times the size of the
     * 256 KiB message it carries ({@code %XX} escapes), plus the other parameters.
     */
    static final int MAX_BODY_BYTES = 3 * SnsActions.MAX_MESSAGE_BYTES + 64 * 1024;
    /** How much of a refused body is read past before the connection is dropped instead. */
    private static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;
    private static final int HTTP_THREADS = 4;

    static {
        // The JDK server writes the headers and the body of a reply separately; without TCP_NODELAY every
        // reply waits out the client's delayed ACK (~40 ms). Read once, when the JDK server first starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String host;
    private final int requestedPort;
    private final String region;
    private final String accountId;
    private final SqsClient sqs;
    private final ObjectMapper json = new ObjectMapper();
    private final SnsRegistry registry;

    private HttpServer server;
    private ExecutorService executor;
    private SnsActions actions;

    /**
     * @param host the loopback address or name to bind to
     * @param port the port, or 0 for any free one
     * @param region the region written into topic ARNs
     * @param accountId the account id written into topic ARNs
     * @param stateFile where topics and subscriptions are saved
     * @param sqs the client that delivers to the subscribed queues
     */
    public SnsServer(String host, int port, String region, String accountId, Path stateFile, SqsClient sqs) {
        this.host = host;
        this.requestedPort = port;
        this.region = region;
        this.accountId = accountId;
        this.sqs = sqs;
        this.registry = new SnsRegistry(stateFile, json);
    }

    /** Loads the saved state and starts serving. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("The SNS server is already running");
        }
        registry.load();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), requestedPort), 0);
        server = http;
        URI endpoint = endpoint();
        actions = new SnsActions(registry, new SnsDelivery(sqs, new SnsEnvelope(json, endpoint), json), region,
                accountId, json);
        executor = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads());
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
        LOG.info("SNS server listening on {}", endpoint);
    }

    /** Stops serving; the state stays in the state file. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        server = null;
        executor = null;
        LOG.info("SNS server stopped");
    }

    /** The port being served, or the requested one before {@link #start()}. */
    public synchronized int port() {
        return server == null ? requestedPort : server.getAddress().getPort();
    }

    /** {@code http://host:port}. */
    public URI endpoint() {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + hostPart + ":" + port());
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        try {
            int status = 200;
            String body;
            try {
                QueryRequest request = read(exchange);
                String action = request.get("Action");
                if (action == null || action.isEmpty()) {
                    throw new SnsException(400, "MissingAction", "The request must contain the parameter Action.");
                }
                body = XmlWriter.response(action, actions.action(action).handle(request), requestId);
            } catch (SnsException e) {
                status = e.status();
                body = XmlWriter.error(e, requestId);
            } catch (RuntimeException e) {
                LOG.error("SNS request {} failed", requestId, e);
                SnsException error = new SnsException(500, "InternalError", "The request failed on the server.");
                status = error.status();
                body = XmlWriter.error(error, requestId);
            }
            reply(exchange, status, body, requestId);
        } catch (IOException e) {
            LOG.debug("Could not answer SNS request {}", requestId, e);
        } finally {
            exchange.close();
        }
    }

    /** The query parameters of the URL and of a form-encoded body, at most {@link #MAX_BODY_BYTES} long. */
    private static QueryRequest read(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("POST") && !method.equals("GET")) {
            throw new SnsException(405, "MethodNotAllowed", "Only GET and POST are supported.");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                drain(in, MAX_DRAINED_BYTES);
                throw new SnsException(400, "InvalidParameter",
                        "Invalid parameter: the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
        }
        return QueryRequest.parse(exchange.getRequestURI().getRawQuery(), new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Reads past the rest of a refused body, up to a limit, so that the client, still sending, gets the
     * error reply instead of a reset connection. ({@code skip} is not used: on the JDK server's body
     * stream it reads past the end of the body.)
     */
    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        int read;
        while (drained < limit && (read = in.read(buffer)) > 0) {
            drained += read;
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, String requestId) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=UTF-8");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "sns-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
