package routes.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.library.search.LibraryIndex;
import routes.media.AudioEncoder;
import routes.media.FfmpegSafety;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import routes.usage.UsageLake;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The media library: its table, items, playlists, pitch links, search index and usage lake. */
@Configuration(proxyBeanMethods = false)
public class LibraryConfiguration {

    @Bean
    LibraryService libraryService(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json,
            Clock clock, AssetService assets) {
        String table = properties.tables().library();
        return new LibraryService(
                new VersionedTable<>(dynamoDb, table, LibraryEntry.class, null, json, clock,
                        LibraryService::attributes),
                playlistTable(dynamoDb, table, json, clock), memberTable(dynamoDb, table, json, clock), assets);
    }

    @Bean
    Playlists playlists(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json, Clock clock,
            LibraryService library, AssetService assets) {
        String table = properties.tables().library();
        return new Playlists(playlistTable(dynamoDb, table, json, clock), memberTable(dynamoDb, table, json, clock),
                library, assets);
    }

    @Bean
    PitchLinks pitchLinks(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json, Clock clock,
            Playlists playlists, LibraryService library, AssetService assets) {
        return new PitchLinks(new VersionedTable<>(dynamoDb, properties.tables().library(), PitchLink.class, null,
                json, clock, PitchLinks::attributes), playlists, library, assets, clock);
    }

    @Bean
    RangedObjects rangedObjects(S3Client s3, CaravanProperties properties) {
        return new RangedObjects(s3, properties.storage().bucket());
    }

    @Bean
    Downloads downloads(S3Client s3, CaravanProperties properties, RangedObjects objects, FfmpegSafety safety) {
        return new Downloads(s3, properties.storage().bucket(), objects, new AudioEncoder(safety));
    }

    @Bean
    PitchAnswers pitchAnswers() {
        return new PitchAnswers();
    }

    @Bean
    Deliveries deliveries() {
        return new Deliveries();
    }

    @Bean(destroyMethod = "close")
    LibraryIndexing libraryIndexing(CaravanProperties properties, DynamoDbClient dynamoDb, ObjectMapper json,
            Clock clock, AssetService assets, LibraryService library, S3Client s3) {
        Path dir = properties.library().indexDir(properties.dataDir());
        return new LibraryIndexing(() -> LibraryIndex.open(dir), assets, new VersionedTable<>(dynamoDb, properties.tables().assets(), Asset.class, null, json, clock,
                AssetService::attributes), library, new VersionedTable<>(dynamoDb, properties.tables().library(),
                        LibraryEntry.class, null, json, clock, LibraryService::attributes),
                s3, properties.storage().bucket(), json);
    }

    @Bean
    UsageRecords usageRecords(Clock clock) {
        return new UsageRecords(clock);
    }

    @Bean
    UsageBatches usageBatches(ObjectMapper json, SqsClient sqs) {
        return new UsageBatches(json, sqs);
    }

    @Bean
    UsageLake usageLake(CaravanProperties properties) {
        return new UsageLake(properties.library().usagePrefix());
    }

    /** The library table, for provisioning. */
    @Bean
    TableSchema libraryTable(CaravanProperties properties) {
        return LibraryService.schema(properties.tables().library());
    }

    private static VersionedTable<Playlist> playlistTable(DynamoDbClient dynamoDb, String table, ObjectMapper json,
            Clock clock) {
        return new VersionedTable<>(dynamoDb, table, Playlist.class, null, json, clock, Playlists::attributes);
    }

    private static VersionedTable<PlaylistMember> memberTable(DynamoDbClient dynamoDb, String table,
            ObjectMapper json, Clock clock) {
        return new VersionedTable<>(dynamoDb, table, PlaylistMember.class, null, json, clock, Playlists::attributes);
    }
}
