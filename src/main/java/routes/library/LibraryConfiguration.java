package routes.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.config.StartupCheckException;
import routes.library.search.LibraryIndex;
import routes.library.search.OpenSearchLibraryIndex;
import routes.library.search.OpenSearchTransports;
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
    Downloads downloads(S3Client s3, CaravanProperties properties, RangedObjects objects, FfmpegSafety safety,
            routes.work.WorkFolders work) {
        return new Downloads(s3, properties.storage().bucket(), objects, new AudioEncoder(safety), work);
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
            Clock clock, AssetService assets, LibraryService library, routes.stt.Transcripts transcripts) {
        return new LibraryIndexing(indexOpener(properties), assets, new VersionedTable<>(dynamoDb, properties.tables().assets(), Asset.class, null, json, clock,
                AssetService::attributes), library, new VersionedTable<>(dynamoDb, properties.tables().library(),
                        LibraryEntry.class, null, json, clock, LibraryService::attributes),
                transcripts);
    }

    /**
     * What opens the library index, as caravan.library.engine says: the embedded index in its folder, or the
     * OpenSearch cluster's. Settings that cannot work are refused here, at start.
     */
    static Supplier<LibraryIndex> indexOpener(CaravanProperties properties) {
        CaravanProperties.Library library = properties.library();
        if (!library.onOpenSearch()) {
            Path dir = library.indexDir(properties.dataDir());
            return () -> LibraryIndex.open(dir);
        }
        CaravanProperties.Library.OpenSearch cluster = library.opensearch();
        URI endpoint = cluster.endpoint();
        String setting = "caravan.library.opensearch.endpoint";
        if (endpoint == null) {
            throw new StartupCheckException(setting, "is needed when caravan.library.engine is opensearch", null);
        }
        if (endpoint.getHost() == null || !("http".equals(endpoint.getScheme())
                || "https".equals(endpoint.getScheme()))) {
            throw new StartupCheckException(setting, "is '" + endpoint + "'; it must be an http:// or https:// URL",
                    null);
        }
        boolean user = cluster.user() != null && !cluster.user().isBlank();
        boolean password = cluster.password() != null && !cluster.password().isEmpty();
        boolean aws = cluster.awsRegion() != null && !cluster.awsRegion().isBlank();
        if (user != password) {
            throw new StartupCheckException("caravan.library.opensearch.user", "and password go together "
                    + "(CARAVAN_LIBRARY_OPENSEARCH_USER, CARAVAN_LIBRARY_OPENSEARCH_PASSWORD)", null);
        }
        if (user && aws) {
            throw new StartupCheckException("caravan.library.opensearch.aws-region", "signs requests with AWS "
                    + "credentials; set it or a user and password, not both", null);
        }
        if (aws && !"https".equals(endpoint.getScheme())) {
            throw new StartupCheckException(setting, "is '" + endpoint + "'; a domain signed for with "
                    + "aws-region is reached over https", null);
        }
        return () -> new OpenSearchLibraryIndex(aws ? OpenSearchTransports.aws(endpoint, cluster.awsRegion())
                : OpenSearchTransports.http(endpoint, cluster.user(), cluster.password()), cluster.index());
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
