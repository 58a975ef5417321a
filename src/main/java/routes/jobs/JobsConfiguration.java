package routes.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import routes.webhooks.CallbackPolicy;
import routes.work.WorkFolders;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Jobs: the resource, the pipeline job an upload starts, and the life of a step, as the routes call them. */
@Configuration(proxyBeanMethods = false)
public class JobsConfiguration {

    @Bean
    JobStore jobStore(DynamoDbClient dynamoDb, CaravanProperties properties, ObjectMapper json, Clock clock) {
        return new JobStore(new VersionedTable<>(dynamoDb, properties.tables().jobs(), Job.class,
                properties.limits().jobRetention(), json, clock, JobStore::attributes));
    }

    /** The jobs table, for provisioning. */
    @Bean
    TableSchema jobsTable(CaravanProperties properties) {
        return JobStore.schema(properties.tables().jobs());
    }

    @Bean
    JobService jobService(JobStore jobs, AssetService assets, CallbackPolicy callbacks) {
        return new JobService(jobs, assets, callbacks);
    }

    @Bean
    PipelineJobs pipelineJobs(JobStore jobs, CaravanProperties properties) {
        return new PipelineJobs(jobs, properties.pipeline());
    }

    @Bean
    Receives receives() {
        return new Receives();
    }

    @Bean
    JobSteps jobSteps(JobStore jobs, AssetService assets) {
        return new JobSteps(jobs, assets);
    }

    @Bean
    StepFiles stepFiles(S3Client s3, CaravanProperties properties, WorkFolders work) {
        return new StepFiles(s3, properties.storage().bucket(), work);
    }
}
