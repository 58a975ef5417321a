package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import routes.CaravanApplication;

/**
 * The app in a JVM of its own, started as an operator starts it: the main class, settings on the command line, a
 * working folder of its own. Its classpath is the test JVM's, so it runs the code under test without a package step.
 * Its HTTP port is a free one picked just before the start; everything it prints goes to {@code app.log} in its folder.
 */
public final class ChildApp implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private ChildApp(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the app in {@code dir} with these command-line settings and waits until it is ready
     * ({@code /actuator/health/readiness} answers 200). On a failure to start, the process is ended and the error
     * carries the end of its log.
     */
    public static ChildApp start(Path dir, Duration timeout, List<String> settings) {
        Path log = dir.resolve("app.log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp", System.getProperty("java.class.path"),
                CaravanApplication.class.getName(),
                "--server.port=" + port));
        command.addAll(settings);
        ChildApp app;
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            app = new ChildApp(process, log, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            app.awaitReady(timeout);
            return app;
        } catch (RuntimeException | Error e) {
            app.close();
            throw new AssertionError("the app did not get ready within " + timeout + ": " + e.getMessage()
                    + "\n--- end of " + log + ":\n" + app.logTail(60), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app stopped with exit code " + process.exitValue());
            }
            try {
                HttpResponse<Void> readiness = client.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                return readiness.statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The last lines the app printed. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Ends the app (a graceful stop first) and whatever it started (ffmpeg, the speech server). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            // the queue consumers' long polls hold a graceful stop for up to 20 s; nothing here needs one
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
