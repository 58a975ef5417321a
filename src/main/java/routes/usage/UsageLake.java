package routes.usage;

import static org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MICROS;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timestampType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * Turns a batch of {@link UsageEvent}s into Parquet files of the usage lake, one per UTC date of the batch, keyed
 * {@code {prefix}/dt=YYYY-MM-DD/usage-{yyyyMMdd'T'HHmmss'Z'}-{8 hex}.parquet} (the time of the file's earliest event
 * and a random suffix), a Hive-style layout that Athena, DuckDB and Spark read as a {@code dt} partition.
 * <p>
 * In a file, an event id appears once (the first of a batch's duplicates is kept) and rows are in the order of
 * {@code event_time}. Pages are Snappy-compressed. The schema, message {@code usage}:
 * <pre>
 * event_id     BINARY (STRING)                  required
 * type         BINARY (STRING)                  required  play, stream, download, search, link_open or share
 * event_time   INT64 (TIMESTAMP(MICROS, true))  required  UTC, microseconds (finer parts dropped)
 * user_id      BINARY (STRING)                  optional  the subject; null for an outside recipient
 * asset_id     BINARY (STRING)                  optional
 * playlist_id  BINARY (STRING)                  optional
 * link_id      BINARY (STRING)                  optional
 * recipient    BINARY (STRING)                  optional
 * seconds      DOUBLE                           optional  seconds listened
 * bytes        INT64                            optional  bytes sent
 * query        BINARY (STRING)                  optional
 * results      INT32                            optional
 * format       BINARY (STRING)                  optional
 * client       BINARY (STRING)                  optional  user agent, at most 200 characters
 * </pre>
 * Writing needs no Hadoop at run time: the file is an in-memory {@link MemoryFile}, the configuration a plain one and
 * the compressor {@link SnappyPages}.
 */
public class UsageLake {

    /** A file of the lake: its object key, its bytes, how many rows it holds and the date of its partition. */
    public record LakeFile(String key, byte[] bytes, int rows, LocalDate date) {
    }

    /** The schema of every file. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(BINARY).as(stringType()).named("event_id")
            .required(BINARY).as(stringType()).named("type")
            .required(INT64).as(timestampType(true, MICROS)).named("event_time")
            .optional(BINARY).as(stringType()).named("user_id")
            .optional(BINARY).as(stringType()).named("asset_id")
            .optional(BINARY).as(stringType()).named("playlist_id")
            .optional(BINARY).as(stringType()).named("link_id")
            .optional(BINARY).as(stringType()).named("recipient")
            .optional(DOUBLE).named("seconds")
            .optional(INT64).named("bytes")
            .optional(BINARY).as(stringType()).named("query")
            .optional(INT32).named("results")
            .optional(BINARY).as(stringType()).named("format")
            .optional(BINARY).as(stringType()).named("client")
            .named("usage");

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String prefix;

    /** A lake whose keys start with {@code prefix}, e.g. {@code lake/usage}. */
    public UsageLake(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The files of {@code batch}, one per UTC date of its events, in date order; none for an empty batch. */
    public List<LakeFile> write(List<UsageEvent> batch) {
        Map<String, UsageEvent> unique = new LinkedHashMap<>();
        batch.forEach(e -> unique.putIfAbsent(e.eventId(), e));
        Map<LocalDate, List<UsageEvent>> days = new TreeMap<>();
        for (UsageEvent e : unique.values()) {
            days.computeIfAbsent(LocalDate.ofInstant(e.at(), ZoneOffset.UTC), d -> new ArrayList<>()).add(e);
        }
        List<LakeFile> files = new ArrayList<>();
        days.forEach((date, events) -> {
            events.sort(Comparator.comparing(UsageEvent::at).thenComparing(UsageEvent::eventId));
            files.add(new LakeFile(key(date, events.get(0).at()), parquet(events), events.size(), date));
        });
        return files;
    }

    private String key(LocalDate date, Instant earliest) {
        return prefix + "/dt=" + date + "/usage-" + STAMP.format(earliest) + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".parquet";
    }

    private static byte[] parquet(List<UsageEvent> events) {
        MemoryFile file = new MemoryFile();
        SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(file)
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withCodecFactory(new SnappyPages())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (UsageEvent e : events) {
                writer.write(row(rows.newGroup(), e));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a usage file", e);
        }
        return file.bytes();
    }

    private static Group row(Group row, UsageEvent e) {
        row.append("event_id", e.eventId()).append("type", e.type()).append("event_time", micros(e.at()));
        text(row, "user_id", e.user());
        text(row, "asset_id", e.assetId());
        text(row, "playlist_id", e.playlistId());
        text(row, "link_id", e.linkId());
        text(row, "recipient", e.recipient());
        if (e.seconds() != null) {
            row.append("seconds", e.seconds());
        }
        if (e.bytes() != null) {
            row.append("bytes", e.bytes());
        }
        text(row, "query", e.query());
        if (e.results() != null) {
            row.append("results", e.results());
        }
        text(row, "format", e.format());
        text(row, "client", e.client());
        return row;
    }

    private static void text(Group row, String column, String value) {
        if (value != null) {
            row.append(column, value);
        }
    }

    /** Microseconds since the epoch, rounded down. */
    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }
}
