package routes.assets;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.config.CaravanProperties;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import routes.work.WorkFolders;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Uploads and assets, and the table they are kept in. */
@Configuration(proxyBeanMethods = false)
public class AssetsConfiguration {

    @Bean
    AssetService assetService(DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner,
            CaravanProperties properties, ObjectMapper json, Clock clock,
            List<AssetService.DerivativeLocator> derivatives, WorkFolders work) {
        return new AssetService(new VersionedTable<>(dynamoDb, properties.tables().assets(), Asset.class, null, json,
                clock, AssetService::attributes), s3, presigner, properties, derivatives, work);
    }

    /** The assets table, for provisioning. */
    @Bean
    TableSchema assetsTable(CaravanProperties properties) {
        return AssetService.schema(properties.tables().assets());
    }
}
