package routes.tus;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import routes.work.WorkFolders;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Resumable (tus) uploads: their table and their state (the endpoint is the API's: routes.api.TusEndpoint). */
@Configuration(proxyBeanMethods = false)
public class TusConfiguration {

    @Bean
    TusUploads tusUploads(DynamoDbClient dynamoDb, S3Client s3, AssetService assets, CaravanProperties properties,
            ObjectMapper json, Clock clock, WorkFolders work) {
        var limits = properties.limits();
        // an item outlives its upload by a day, so an expired upload still answers 410 for a while before it is gone
        var table = new VersionedTable<>(dynamoDb, properties.tables().uploads(), TusUpload.class,
                limits.resumableExpiry().plusDays(1), json, clock, upload -> java.util.Map.<String, String>of());
        return new TusUploads(table, assets, s3, properties.storage().bucket(), limits.upload().toBytes(),
                limits.resumableExpiry(), work, clock);
    }

    /** The uploads table, for provisioning. */
    @Bean
    TableSchema uploadsTable(CaravanProperties properties) {
        return TusUploads.schema(properties.tables().uploads());
    }
}
