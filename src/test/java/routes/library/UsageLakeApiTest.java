package routes.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.library.LibraryFixtures.Track;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A day's worth of use through the API (pitch-link opens, plays and seeks, downloads, searches: a few thousand
 * events), then the usage lake read back from the bucket with DuckDB: its counts are the ones the API reports, and
 * the usage queue is empty.
 */
class UsageLakeApiTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    SqsClient sqs;
    @Autowired
    CaravanProperties properties;

    @Test
    void theLakeCountsWhatTheApiCounts() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String user = "lake-" + run;
        Http owner = new Http(port, token(user));
        LibraryFixtures.awaitRoutes(owner);
        Path dir = Files.createTempDirectory("lake");
        String a = LibraryFixtures.upload(owner, LibraryFixtures.make(dir, new Track("a.mp3", "audio/mpeg", "A",
                "Lake", "Day", 1, 2025, "Test"), false, 2), "audio/mpeg");
        String b = LibraryFixtures.upload(owner, LibraryFixtures.make(dir, new Track("b.mp3", "audio/mpeg", "B",
                "Lake", "Day", 2, 2025, "Test"), false, 2), "audio/mpeg");
        String playlist = Http.json(owner.postJson("/api/v1/playlists", "{\"name\":\"Day\"}")).get("id").asText();
        owner.postJson("/api/v1/playlists/" + playlist + "/items", "{\"assetId\":\"" + a + "\"}");
        owner.postJson("/api/v1/playlists/" + playlist + "/items", "{\"assetId\":\"" + b + "\"}");
        JsonNode link = Http.json(owner.postJson("/api/v1/pitch-links", "{\"playlistId\":\"" + playlist
                + "\",\"recipient\":{\"name\":\"Day\",\"email\":\"day@example.com\"},\"download\":\"original\"}"));
        String url = link.get("url").asText();
        String token = link.get("id").asText();

        HttpClient recipient = HttpClient.newHttpClient();
        Random random = new Random(20261205);
        Map<String, Integer> done = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            String item = random.nextBoolean() ? a : b;
            int what = random.nextInt(10);
            String path;
            String range = null;
            String kind;
            if (what < 2) {
                path = url;
                kind = "open";
            } else if (what < 5) {
                path = url + "/items/" + item + "/stream";
                range = "bytes=0-";
                kind = "play";
            } else if (what < 8) {
                path = url + "/items/" + item + "/stream";
                range = "bytes=" + (1000 + random.nextInt(5000)) + "-";
                kind = "seek";
            } else if (what < 9) {
                path = url + "/items/" + item + "/download";
                kind = "download";
            } else {
                assertThat(owner.get("/api/v1/library/items?q=lake" + i).statusCode()).isEqualTo(200);
                done.merge("search", 1, Integer::sum);
                continue;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Accept", "application/json");
            if (range != null) {
                request.header("Range", range);
            }
            HttpResponse<byte[]> answer = recipient.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.statusCode()).as(kind + " " + path).isIn(200, 206);
            done.merge(kind, 1, Integer::sum);
        }

        JsonNode stats = Http.json(owner.get("/api/v1/pitch-links/" + token));
        assertThat(stats.get("opens").asInt()).isEqualTo(done.get("open"));
        assertThat(stats.get("plays").asInt()).isEqualTo(done.get("play"));
        assertThat(stats.get("downloads").asInt()).isEqualTo(done.get("download"));

        Path lake = Files.createTempDirectory("usage-lake");
        String bucket = properties.storage().bucket();
        String sql = "SELECT type, count(DISTINCT event_id) FROM read_parquet('" + lake
                + "/lake/usage/*/*.parquet', hive_partitioning = true) WHERE link_id = '" + token
                + "' OR (type = 'search' AND user_id = '" + user + "') GROUP BY type";
        Map<String, Long> expected = Map.of("link_open", stats.get("opens").asLong(), "play", stats.get("plays")
                .asLong(), "stream", (long) done.get("play") + done.get("seek"), "download", stats.get("downloads")
                .asLong(), "search", (long) done.get("search"), "share", 1L);
        Map<String, Long> counted = Awaitility.await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("lake/usage/"))
                            .contents()) {
                        Path file = lake.resolve(object.key());
                        if (!Files.exists(file)) {
                            Files.createDirectories(file.getParent());
                            s3.getObject(r -> r.bucket(bucket).key(object.key()), file);
                        }
                    }
                    return Files.exists(lake.resolve("lake/usage")) ? counts(sql) : Map.<String, Long>of();
                }, expected::equals);
        assertThat(counted).isEqualTo(expected);

        // the seconds streamed: the part of each file sent, times its duration
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet rows = statement.executeQuery("SELECT min(seconds), max(seconds), count(*) FROM "
                        + "read_parquet('" + lake + "/lake/usage/*/*.parquet', hive_partitioning = true) WHERE "
                        + "link_id = '" + token + "' AND type = 'stream' AND bytes > 0")) {
            rows.next();
            assertThat(rows.getDouble(1)).isGreaterThan(0);
            assertThat(rows.getDouble(2)).isLessThanOrEqualTo(2.2);
        }

        String queue = sqs.getQueueUrl(r -> r.queueName("caravan-usage")).queueUrl();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return List.of(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                    attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }, List.of("0", "0")::equals);
    }

    private static Map<String, Long> counts(String sql) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }
}
