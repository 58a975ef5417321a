package routes.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import routes.support.Http;

/** Tagged music files made with ffmpeg's {@code -metadata}, as a user's library holds them, and uploads of them. */
final class LibraryFixtures {

    private LibraryFixtures() {
    }

    /** A track's tags, as the file is written with them. */
    record Track(String file, String type, String title, String artist, String album, int track, int year,
            String genre) {
    }

    /** A file of a couple of seconds of tone with these tags (mp3, flac or m4a by the file's extension). */
    static Path make(Path dir, Track t, boolean withCover, double seconds) throws Exception {
        Path out = dir.resolve(t.file());
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=" + (300 + t.track() * 40) + ":duration=" + seconds));
        if (withCover) {
            command.addAll(List.of("-f", "lavfi", "-i", "testsrc2=size=120x90:duration=1", "-map", "0:a", "-map",
                    "1:v", "-frames:v", "1", "-c:v", "mjpeg", "-disposition:v", "attached_pic"));
        }
        command.addAll(List.of("-metadata", "title=" + t.title(), "-metadata", "artist=" + t.artist(), "-metadata",
                "album=" + t.album(), "-metadata", "track=" + t.track() + "/10", "-metadata", "date=" + t.year(),
                "-metadata", "genre=" + t.genre()));
        if (t.file().endsWith(".mp3")) {
            command.addAll(List.of("-metadata", "ISRC=GBAYE97000" + String.format("%02d", t.track()),
                    "-id3v2_version", "3"));
        }
        command.add(out.toString());
        run(command.toArray(String[]::new));
        return out;
    }

    /** Waits for the API's routes, which the supervising route controller starts after the app. */
    static void awaitRoutes(Http user) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> user.get("/api/v1/library/items").statusCode() == 200);
    }

    /** Uploads a file as {@code user}; its asset id. */
    static String upload(Http user, Path file, String type) throws Exception {
        HttpResponse<String> made = user.post("/api/v1/assets?filename=" + file.getFileName(), type,
                Files.readAllBytes(file));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return Http.json(made).get("id").asText();
    }

    /** The library listing of {@code path} once {@code until} holds for it (the index follows events). */
    static JsonNode library(Http user, String path, Predicate<JsonNode> until) {
        return Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.json(user.get(path)), until);
    }

    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output.strip();
    }
}
