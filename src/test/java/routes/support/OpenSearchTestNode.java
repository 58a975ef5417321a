package routes.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node OpenSearch 2.19 on 127.0.0.1 for tests, started once per test JVM in a JVM of its own (256 MB
 * heap) and stopped when the tests' JVM exits. Its class path is OpenSearch's own, built by the Maven project in
 * {@code test-servers/opensearch} into {@code target/opensearch-server}; when that is missing or older than the
 * project, it is built first (with the Maven that runs the tests, offline when it is).
 */
public final class OpenSearchTestNode {

    private static final long START_SECONDS = 90;
    private static URI url;

    private OpenSearchTestNode() {
    }

    /** The node's base URL, http://127.0.0.1:PORT; started on the first call. */
    public static synchronized URI url() {
        if (url == null) {
            try {
                url = start();
            } catch (IOException e) {
                throw new IllegalStateException("the OpenSearch test node did not start", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the OpenSearch test node", e);
            }
        }
        return url;
    }

    private static URI start() throws IOException, InterruptedException {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path project = base.resolve("test-servers/opensearch");
        Path build = base.resolve("target/opensearch-server");
        Path classpath = build.resolve("server.classpath");
        if (stale(classpath, project)) {
            buildServer(project, build);
        }
        Path home = Files.createTempDirectory("caravan-opensearch-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process node = new ProcessBuilder(List.of(java, "-Xms128m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", build.resolve("classes") + File.pathSeparator + Files.readString(classpath).strip(),
                "caravan.testserver.OpenSearchTestServer", home.toString()))
                .redirectErrorStream(true)
                .redirectOutput(build.resolve("node.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node, home), "opensearch-test-node-stop"));
        Path portFile = home.resolve("http.port");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!Files.exists(portFile)) {
            if (!node.isAlive()) {
                throw new IllegalStateException("the OpenSearch test node exited with " + node.exitValue()
                        + "; see " + build.resolve("node.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the OpenSearch test node did not start in " + START_SECONDS
                        + " s; see " + build.resolve("node.log"));
            }
            node.waitFor(50, TimeUnit.MILLISECONDS);
        }
        return URI.create("http://127.0.0.1:" + Files.readString(portFile, StandardCharsets.US_ASCII).strip());
    }

    /** Whether the class path file is missing or older than any file of the project. */
    private static boolean stale(Path classpath, Path project) throws IOException {
        if (!Files.exists(classpath)) {
            return true;
        }
        long built = Files.getLastModifiedTime(classpath).toMillis();
        try (Stream<Path> files = Files.walk(project)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.startsWith(project.resolve("target")))
                    .anyMatch(f -> f.toFile().lastModified() > built);
        }
    }

    private static void buildServer(Path project, Path build) throws IOException, InterruptedException {
        String home = System.getProperty("maven.home", "");
        String mvn = home.isBlank() || home.startsWith("$") ? "mvn" : Path.of(home, "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q"));
        if ("offline-true".equals(System.getProperty("maven.offline"))) {
            command.add("-o");
        }
        command.addAll(List.of("-f", project.resolve("pom.xml").toString(), "package",
                "-DbuildDir=" + build));
        Files.createDirectories(build);
        Path log = build.resolve("build.log");
        Process maven = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!maven.waitFor(10, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            throw new IllegalStateException("building the OpenSearch test server took over 10 minutes");
        }
        if (maven.exitValue() != 0) {
            throw new IllegalStateException("building the OpenSearch test server failed (" + String.join(" ", command)
                    + "):\n" + Files.readString(log));
        }
    }

    private static void stop(Process node, Path home) {
        try {
            node.getOutputStream().close();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException e) {
            // the node is gone with the JVM either way; its temporary folder stays
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
