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
import routes.CaravanApplication;

/**
 * The app in a JVM of its own, started as an operator starts it: the main class, settings on the command line, a
 * working folder of its own. Its classpath is the test JVM's, so it runs the code under test without a package step.
 * Its HTTP port is a free one picked just before the start; everything it prints goes to {@code app.log} in its folder.
 */
public final class ChildApp implements AutoCloseable {

    /** Beyond this a start is stuck, not slow. */
    private static final Duration LONGEST_START = Duration.ofMinutes(15);

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
     * ({@code /actuator/health/readiness} answers 200), for as long as it keeps printing: {@code stall} is how long it
     * may print nothing. On a failure to start, the process is ended and the error carries the end of its log.
     */
    public static ChildApp start(Path dir, Duration stall, List<String> settings) {
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
            app.awaitReady(stall);
            return app;
        } catch (RuntimeException | Error e) {
            app.close();
            throw new AssertionError("the app did not get ready: " + e.getMessage()
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

    /**
     * Waits while the app is starting: as long as it is alive and its log keeps growing, however slow the machine;
     * it fails when the app stops, prints nothing for {@code stall}, or is still not ready after {@link #LONGEST_START}.
     */
    private void awaitReady(Duration stall) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long started = System.nanoTime();
        long lastSize = -1;
        long lastGrowth = started;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app stopped with exit code " + process.exitValue());
            }
            try {
                HttpResponse<Void> readiness = client.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (readiness.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the app was starting", e);
            }
            long now = System.nanoTime();
            long size = log.toFile().length();
            if (size != lastSize) {
                lastSize = size;
                lastGrowth = now;
            }
            if (now - lastGrowth > stall.toNanos()) {
                throw new IllegalStateException("the app printed nothing for " + stall + " and is not ready");
            }
            if (now - started > LONGEST_START.toNanos()) {
                throw new IllegalStateException("the app is still not ready after " + LONGEST_START);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the app was starting", e);
            }
        }
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
