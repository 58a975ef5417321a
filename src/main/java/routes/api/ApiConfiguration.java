package routes.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.events.EventPublisher;
import routes.jobs.Job;
import routes.jobs.JobService;
import routes.jobs.JobStore;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import routes.webhooks.CallbackPolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The beans behind the REST API; the routes in routes.yaml call them by name. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JobStore jobStore(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json, Clock clock) {
        return new JobStore(new VersionedTable<>(dynamoDb, properties.tables().jobs(), Job.class,
                properties.limits().jobRetention(), json, clock, JobStore::attributes));
    }

    @Bean
    AssetService assetService(DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner, EventPublisher events,
            CaravanProperties properties, ObjectMapper json, Clock clock,
            List<AssetService.DerivativeLocator> derivatives) {
        return new AssetService(new VersionedTable<>(dynamoDb, properties.tables().assets(), Asset.class, null, json,
                clock, AssetService::attributes), s3, presigner, events, properties, derivatives);
    }

    /** The tables provisioning makes, as their stores describe them. */
    @Bean
    TableSchema jobsTable(CaravanProperties properties) {
        return JobStore.schema(properties.tables().jobs());
    }

    @Bean
    TableSchema assetsTable(CaravanProperties properties) {
        return AssetService.schema(properties.tables().assets());
    }

    @Bean
    CallbackPolicy callbackPolicy(CaravanProperties properties) {
        return new CallbackPolicy(properties.webhooks().allowPrivateAddresses());
    }

    @Bean
    JobService jobService(JobStore jobs, AssetService assets, CallbackPolicy callbacks) {
        return new JobService(jobs, assets, callbacks);
    }
}
