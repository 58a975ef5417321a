package routes.tus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real tus client, tus-js-client on Node, uploads a file in 5 MiB chunks, dies in the middle of its second chunk,
 * and a new process resumes the same upload URL to its end. Needs node and npm (tus-js-client is installed from
 * src/test/node/tus-client's lockfile into target/tus-client); without them the test is skipped, saying so.
 */
class TusClientTest extends CaravanTestSupport {

    static final Path CLIENT_SOURCE = Path.of("src", "test", "node", "tus-client");
    static final Path CLIENT = Path.of("target", "tus-client");
    static final int MIB = 1024 * 1024;

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;

    @BeforeAll
    static void installClient() throws Exception {
        for (String tool : List.of("node", "npm")) {
            Assumptions.assumeTrue(runs(tool, "--version"), () -> "SKIPPED: " + tool + " is not installed (or does not"
                    + " run): the tus-js-client test needs Node 18+ and npm on the PATH");
        }
        Files.createDirectories(CLIENT);
        for (String file : List.of("package.json", "package-lock.json", "upload.mjs")) {
            Files.copy(CLIENT_SOURCE.resolve(file), CLIENT.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(CLIENT.resolve("node_modules").resolve("tus-js-client"))) {
            Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
            assertThat(install.exit()).as("npm ci: " + install.output()).isZero();
        }
    }

    @Test
    void anUploadCutOffInTheMiddleIsResumedFromItsUrlAndArrivesWhole() throws Exception {
        byte[] file = TusUploadsApiTest.randomBytes(12 * MIB + 4321, 7);
        Path path = CLIENT.resolve("resumed-clip.mp4");
        Files.write(path, file);
        String endpoint = "http://127.0.0.1:" + port + TusUploadsApiTest.TUS;

        Run first = node(endpoint, path, "stop-after=" + (5 * MIB + 3 * MIB / 2));
        assertThat(first.exit()).as(first.output()).isZero();
        String uploadUrl = event(first, "uploadUrl").asText();
        assertThat(event(first, "stoppedAt").asLong()).isGreaterThan(5 * MIB);
        assertThat(event(first, "accepted").asLong()).as("the first chunk was taken").isEqualTo(5 * MIB);

        Run second = node(endpoint, path, "resume=" + uploadUrl);
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(event(second, "resumedFrom").asLong()).as("resumed, not started again")
                .isBetween((long) 5 * MIB, (long) file.length - 1);
        assertThat(event(second, "done").asText()).isEqualTo(uploadUrl);
        assertThat(event(second, "uploadUrl").asText()).as("the same upload, no new one").isEqualTo(uploadUrl);

        Http http = new Http(port, token());
        Path fileCopy = Files.createTempFile(CLIENT, "stored-", ".bin");
        try {
            JsonNode asset = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Http.json(http.get("/api/v1/assets?limit=20")).get("items"),
                            items -> find(items, "resumed-clip.mp4") != null);
            JsonNode found = find(asset, "resumed-clip.mp4");
            assertThat(found.get("status").asText()).isEqualTo("READY");
            JsonNode view = Http.json(http.get("/api/v1/assets/" + found.get("id").asText()));
            Files.delete(fileCopy);
            s3.getObject(r -> r.bucket(properties.storage().bucket()).key(view.at("/original/key").asText()),
                    fileCopy);
            assertThat(Files.readAllBytes(fileCopy)).as("the bytes in S3 are the file's").isEqualTo(file);
            assertThat(Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Http.json(http.get(
                    "/api/v1/jobs?assetId=" + found.get("id").asText())).get("items"), j -> !j.isEmpty()))
                    .as("its pipeline job started").hasSize(1);
        } finally {
            Files.deleteIfExists(fileCopy);
            Files.deleteIfExists(path);
        }
    }

    private static JsonNode find(JsonNode items, String filename) {
        for (JsonNode item : items) {
            if (item.get("filename").asText().equals(filename)) {
                return item;
            }
        }
        return null;
    }

    private Run node(String endpoint, Path file, String mode) throws Exception {
        return run(List.of("node", "upload.mjs", endpoint, token(), file.toAbsolutePath().toString(), "video/mp4",
                mode), Duration.ofMinutes(2));
    }

    /** The value of the first event line of the client's output that names {@code name}. */
    private static JsonNode event(Run run, String name) throws IOException {
        for (String line : run.output().split("\n")) {
            if (line.startsWith("{")) {
                JsonNode event = new ObjectMapper().readTree(line);
                if (event.has(name)) {
                    return event.get(name);
                }
            }
        }
        throw new AssertionError("no " + name + " in the client's output:\n" + run.output());
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, Duration timeout) throws Exception {
        Path log = Files.createTempFile("tus-client-", ".log");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).directory(CLIENT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not end within " + timeout + ":\n"
                        + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
