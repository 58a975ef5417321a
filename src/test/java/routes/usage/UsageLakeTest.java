package routes.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import routes.problems.Refusal;
import routes.usage.UsageLake.LakeFile;

/** The usage lake's files, laid out as in S3 and read back by DuckDB, a reader that shares no code with the writer. */
class UsageLakeTest {

    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    private final UsageLake lake = new UsageLake("lake/usage");

    @TempDir
    Path bucket;

    private Connection duck;

    @BeforeEach
    void openDuckDb() throws SQLException {
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void closeDuckDb() throws SQLException {
        duck.close();
    }

    /** Writes the files where their keys say, under the temporary bucket. */
    private List<LakeFile> put(List<UsageEvent> batch) throws IOException {
        List<LakeFile> files = lake.write(batch);
        for (LakeFile file : files) {
            Path path = bucket.resolve(file.key());
            Files.createDirectories(path.getParent());
            Files.write(path, file.bytes());
        }
        return files;
    }

    private String usage() {
        return "read_parquet('" + bucket.resolve("lake/usage") + "/*/*.parquet', hive_partitioning = true)";
    }

    /** The rows of {@code sql} (with {@code USAGE} for the whole lake), each as a list of column values. */
    private List<List<Object>> query(String sql) throws SQLException {
        try (Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery(sql.replace("USAGE", usage()))) {
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private Object one(String sql) throws SQLException {
        return query(sql).get(0).get(0);
    }

    /** One event of each kind, with the details its kind has. */
    private static List<UsageEvent> aMorning() {
        return List.of(
                UsageEvent.builder("play", NOON).user("u-1").assetId("a-1").client("Mozilla/5.0").build(),
                UsageEvent.builder("stream", NOON.plusSeconds(1)).user("u-1").assetId("a-1").seconds(31.25)
                        .bytes(512_000L).build(),
                UsageEvent.builder("download", NOON.plusSeconds(2)).user("u-2").assetId("a-2").format("mp3")
                        .bytes(4_800_000L).build(),
                UsageEvent.builder("search", NOON.plusSeconds(3)).user("u-2").query("rain piano").results(12).build(),
                UsageEvent.builder("share", NOON.plusSeconds(4)).user("u-1").playlistId("p-1").linkId("l-1")
                        .recipient("buyer@example.com").build(),
                UsageEvent.builder("link_open", NOON.plusSeconds(5)).linkId("l-1").recipient("buyer@example.com")
                        .playlistId("p-1").build(),
                UsageEvent.builder("stream", NOON.plusSeconds(6)).linkId("l-1").assetId("a-1").seconds(12.5)
                        .bytes(200_000L).build());
    }

    @Test
    void aBatchOfOneDayIsOneFileWhoseRowsDuckDbCountsByType() throws Exception {
        List<LakeFile> files = put(aMorning());

        assertThat(files).hasSize(1);
        LakeFile file = files.get(0);
        assertThat(file.key()).matches("lake/usage/dt=2026-03-01/usage-20260301T120000Z-[0-9a-f]{8}\\.parquet");
        assertThat(file.rows()).isEqualTo(7);
        assertThat(file.date()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(query("SELECT type, count(*) FROM USAGE GROUP BY type ORDER BY type")).containsExactly(
                List.of("download", 1L), List.of("link_open", 1L), List.of("play", 1L), List.of("search", 1L),
                List.of("share", 1L), List.of("stream", 2L));
        assertThat(query("SELECT DISTINCT CAST(dt AS VARCHAR) FROM USAGE")).containsExactly(List.of("2026-03-01"));
    }

    @Test
    void theColumnsAreTypedAsDocumentedAndPagesAreSnappy() throws Exception {
        put(aMorning());

        Map<String, String> types = new TreeMap<>();
        for (List<Object> row : query("DESCRIBE SELECT * FROM USAGE")) {
            types.put((String) row.get(0), (String) row.get(1));
        }
        assertThat(types).containsEntry("event_id", "VARCHAR").containsEntry("type", "VARCHAR")
                .containsEntry("event_time", "TIMESTAMP WITH TIME ZONE").containsEntry("user_id", "VARCHAR")
                .containsEntry("asset_id", "VARCHAR").containsEntry("playlist_id", "VARCHAR")
                .containsEntry("link_id", "VARCHAR").containsEntry("recipient", "VARCHAR")
                .containsEntry("seconds", "DOUBLE").containsEntry("bytes", "BIGINT")
                .containsEntry("query", "VARCHAR").containsEntry("results", "INTEGER")
                .containsEntry("format", "VARCHAR").containsEntry("client", "VARCHAR").hasSize(15);
        String file = bucket.resolve("lake/usage") + "/*/*.parquet";
        assertThat(query("SELECT name, repetition_type FROM parquet_schema('" + file + "') WHERE name IN "
                + "('event_id', 'type', 'event_time', 'user_id', 'seconds') ORDER BY name")).containsExactly(
                List.of("event_id", "REQUIRED"), List.of("event_time", "REQUIRED"), List.of("seconds", "OPTIONAL"),
                List.of("type", "REQUIRED"), List.of("user_id", "OPTIONAL"));
        assertThat(query("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')"))
                .containsExactly(List.of("SNAPPY"));
    }

    @Test
    void detailsRoundTripAndMissingOnesAreNull() throws Exception {
        put(aMorning());

        assertThat(query("SELECT user_id, asset_id, playlist_id, link_id, recipient, seconds, bytes, query, results, "
                + "format, client FROM USAGE ORDER BY event_time")).containsExactly(
                nullable("u-1", "a-1", null, null, null, null, null, null, null, null, "Mozilla/5.0"),
                nullable("u-1", "a-1", null, null, null, 31.25, 512_000L, null, null, null, null),
                nullable("u-2", "a-2", null, null, null, null, 4_800_000L, null, null, "mp3", null),
                nullable("u-2", null, null, null, null, null, null, "rain piano", 12, null, null),
                nullable("u-1", null, "p-1", "l-1", "buyer@example.com", null, null, null, null, null, null),
                nullable(null, null, "p-1", "l-1", "buyer@example.com", null, null, null, null, null, null),
                nullable(null, "a-1", null, "l-1", null, 12.5, 200_000L, null, null, null, null));
        assertThat(one("SELECT count(*) FROM USAGE WHERE user_id IS NULL")).isEqualTo(2L);
    }

    private static List<Object> nullable(Object... values) {
        return Arrays.asList(values);
    }

    @Test
    void timesRoundTripToTheMicrosecondAsTimestampsWithTimeZone() throws Exception {
        Instant precise = Instant.parse("2026-03-01T08:15:30.123456Z");
        Instant finer = Instant.parse("2026-03-01T08:15:31.987654321Z");
        put(List.of(UsageEvent.builder("play", precise).eventId("e-1").build(),
                UsageEvent.builder("play", finer).eventId("e-2").build()));

        long preciseMicros = ChronoUnit.MICROS.between(Instant.EPOCH, precise);
        long finerMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2026-03-01T08:15:31.987654Z"));
        assertThat(query("SELECT event_id, epoch_us(event_time), typeof(event_time) FROM USAGE ORDER BY event_time"))
                .containsExactly(List.of("e-1", preciseMicros, "TIMESTAMP WITH TIME ZONE"),
                        List.of("e-2", finerMicros, "TIMESTAMP WITH TIME ZONE"));
        assertThat(one("SELECT strftime(event_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') FROM USAGE "
                + "WHERE event_id = 'e-1'")).isEqualTo("2026-03-01T08:15:30.123456Z");
    }

    @Test
    void nonAsciiTextRoundTripsAsText() throws Exception {
        String recipient = "Zoë Ångström 日本 🎧";
        String query = "café 音楽 🎵";
        put(List.of(UsageEvent.builder("search", NOON).user("ü-1").query(query).results(0).build(),
                UsageEvent.builder("link_open", NOON).linkId("l-é").recipient(recipient).build()));

        assertThat(query("SELECT user_id, query, recipient, link_id FROM USAGE ORDER BY type DESC")).containsExactly(
                nullable("ü-1", query, null, null), nullable(null, null, recipient, "l-é"));
        assertThat(one("SELECT typeof(recipient) FROM USAGE LIMIT 1")).isEqualTo("VARCHAR");
        assertThat(one("SELECT length(recipient) FROM USAGE WHERE recipient IS NOT NULL")).isEqualTo(17L);
    }

    @Test
    void anEventIdTwiceInABatchIsWrittenOnceAndRowsAreInTimeOrder() throws Exception {
        UsageEvent late = UsageEvent.builder("play", NOON.plusSeconds(60)).eventId("e-late").build();
        UsageEvent early = UsageEvent.builder("play", NOON).eventId("e-early").build();
        UsageEvent again = UsageEvent.builder("play", NOON.plusSeconds(60)).eventId("e-late").build();

        List<LakeFile> files = put(List.of(late, early, again, early));

        assertThat(files).singleElement().extracting(LakeFile::rows).isEqualTo(2);
        assertThat(query("SELECT event_id FROM read_parquet('" + bucket.resolve(files.get(0).key())
                + "', file_row_number = true) ORDER BY file_row_number"))
                .containsExactly(List.of("e-early"), List.of("e-late"));
    }

    @Test
    void aBatchAcrossMidnightUtcIsTwoFilesInTwoPartitions() throws Exception {
        Instant beforeMidnight = Instant.parse("2026-03-01T23:59:58.5Z");
        Instant afterMidnight = Instant.parse("2026-03-02T00:00:01Z");
        List<LakeFile> files = put(List.of(
                UsageEvent.builder("play", afterMidnight).build(),
                UsageEvent.builder("stream", beforeMidnight).seconds(1.5).build(),
                UsageEvent.builder("search", afterMidnight.plusSeconds(2)).query("x").results(1).build()));

        assertThat(files).extracting(LakeFile::date, LakeFile::rows).containsExactly(
                tuple(LocalDate.parse("2026-03-01"), 1),
                tuple(LocalDate.parse("2026-03-02"), 2));
        assertThat(files.get(0).key()).matches("lake/usage/dt=2026-03-01/usage-20260301T235958Z-[0-9a-f]{8}\\.parquet");
        assertThat(files.get(1).key()).matches("lake/usage/dt=2026-03-02/usage-20260302T000001Z-[0-9a-f]{8}\\.parquet");
        assertThat(query("SELECT CAST(dt AS VARCHAR), CAST(CAST(event_time AT TIME ZONE 'UTC' AS DATE) AS VARCHAR), type "
                + "FROM USAGE ORDER BY event_time")).containsExactly(
                List.of("2026-03-01", "2026-03-01", "stream"),
                List.of("2026-03-02", "2026-03-02", "play"),
                List.of("2026-03-02", "2026-03-02", "search"));
    }

    @Test
    void anEmptyBatchIsNoFile() {
        assertThat(lake.write(List.of())).isEmpty();
    }

    @Test
    void anUnknownTypeIsRefusedAlsoFromJson() {
        assertThatThrownBy(() -> UsageEvent.builder("rate", NOON).build())
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.kind()).isEqualTo(Refusal.Kind.INVALID);
                    assertThat(r.detail()).contains("play, stream, download, search, link_open, share", "rate");
                });
        assertThatThrownBy(() -> UsageEvent.builder(null, NOON).build()).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> UsageEvent.builder("play", null).build()).isInstanceOf(Refusal.class);
        String rate = "{\"eventId\":\"e-1\",\"type\":\"rate\",\"at\":\"2026-03-01T12:00:00Z\"}";
        assertThatThrownBy(() -> json().readValue(rate, UsageEvent.class)).hasRootCauseInstanceOf(Refusal.class);
    }

    /** Mapped as the app's ObjectMapper does: Java time, ISO dates. */
    private static ObjectMapper json() {
        return JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }

    @Test
    void anEventTravelsAsJsonWithoutItsNullsAndWithItsClientCut() throws Exception {
        UsageEvent stream = UsageEvent.builder("stream", Instant.parse("2026-03-01T12:00:00.123456Z")).user("u-1")
                .assetId("a-1").seconds(31.25).bytes(512_000L).client("x".repeat(199) + "🎧 and more").build();

        String text = json().writeValueAsString(stream);

        assertThat(stream.eventId()).hasSize(36);
        assertThat(stream.client()).hasSize(199).isEqualTo("x".repeat(199));
        assertThat(text).contains("\"at\":\"2026-03-01T12:00:00.123456Z\"").doesNotContain("null", "playlistId");
        assertThat(json().readValue(text, UsageEvent.class)).isEqualTo(stream);
    }

    @Test
    void aDaysUseInSeveralBatchesCountsOnceEvenWhenABatchIsDeliveredTwice() throws Exception {
        String[] types = UsageEvent.TYPES.toArray(String[]::new);
        int[] weights = {30, 35, 8, 15, 7, 5};
        Random random = new Random(20260301);
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        List<UsageEvent> events = new ArrayList<>();
        Map<String, Long> generated = new TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            int pick = random.nextInt(100);
            int t = 0;
            for (int sum = weights[0]; pick >= sum; sum += weights[++t]) {
            }
            Instant at = day.plus(random.nextLong(86_400_000_000L), ChronoUnit.MICROS);
            UsageEvent.Builder event = UsageEvent.builder(types[t], at)
                    .user(types[t].equals("link_open") ? null : "u-" + random.nextInt(40))
                    .assetId("a-" + random.nextInt(500)).client("Caravan/1.0 (test)");
            switch (types[t]) {
                case "stream" -> event.seconds(random.nextDouble() * 300).bytes(random.nextLong(10_000_000L));
                case "download" -> event.format(List.of("original", "mp3", "aac").get(random.nextInt(3)))
                        .bytes(random.nextLong(100_000_000L));
                case "search" -> event.assetId(null).query("q " + random.nextInt(1000)).results(random.nextInt(50));
                case "link_open", "share" -> event.linkId("l-" + random.nextInt(30))
                        .recipient("r" + i + "@example.com");
                default -> { }
            }
            events.add(event.build());
            generated.merge(types[t], 1L, Long::sum);
        }
        List<List<UsageEvent>> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); from += 700) {
            batches.add(events.subList(from, Math.min(events.size(), from + 700)));
        }
        for (List<UsageEvent> batch : batches) {
            put(batch);
        }

        assertThat(counts("count(*)")).isEqualTo(generated);
        assertThat(one("SELECT count(*) FROM USAGE WHERE CAST(dt AS VARCHAR) <> '2026-03-01'")).isEqualTo(0L);

        put(batches.get(3)); // SQS delivered it again
        assertThat(one("SELECT count(*) FROM USAGE")).isEqualTo(5_000L + batches.get(3).size());
        assertThat(one("SELECT count(DISTINCT event_id) FROM USAGE")).isEqualTo(5_000L);
        assertThat(counts("count(DISTINCT event_id)")).isEqualTo(generated);
        try (var files = Files.walk(bucket)) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).hasSize(batches.size() + 1);
        }
    }

    private Map<String, Long> counts(String count) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (List<Object> row : query("SELECT type, " + count + " FROM USAGE GROUP BY type")) {
            counts.put((String) row.get(0), (Long) row.get(1));
        }
        return counts;
    }
}
