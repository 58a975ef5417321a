package routes.health;

import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import routes.aws.AwsConnection;
import routes.config.CaravanProperties;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One health indicator per AWS API (s3, sqs, sns, dynamodb), each a cheap read of a resource Caravan uses. They are
 * in the readiness group: a pod whose dependencies are unreachable takes no traffic but is not restarted.
 */
@Configuration(proxyBeanMethods = false)
public class AwsHealthConfiguration {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private static final Consumer<AwsRequestOverrideConfiguration.Builder> QUICK =
            o -> o.apiCallTimeout(PROBE_TIMEOUT).apiCallAttemptTimeout(PROBE_TIMEOUT);

    @Bean
    HealthIndicator s3(S3Client s3, CaravanProperties properties, AwsConnection connection) {
        String bucket = properties.storage().bucket();
        return () -> probe(connection, AwsConnection.S3, () -> {
            s3.headBucket(r -> r.bucket(bucket).overrideConfiguration(QUICK));
            return "bucket " + bucket;
        });
    }

    @Bean
    HealthIndicator sqs(SqsClient sqs, CaravanProperties properties, AwsConnection connection) {
        String queue = properties.queues().get(0).name();
        return () -> probe(connection, AwsConnection.SQS, () -> {
            sqs.getQueueUrl(r -> r.queueName(queue).overrideConfiguration(QUICK));
            return "queue " + queue;
        });
    }

    @Bean
    HealthIndicator sns(SnsClient sns, CaravanProperties properties, AwsConnection connection) {
        String topic = properties.messaging().topic();
        return () -> probe(connection, AwsConnection.SNS, () -> {
            boolean found = sns.listTopicsPaginator(r -> r.overrideConfiguration(QUICK)).topics().stream()
                    .anyMatch(t -> t.topicArn().endsWith(":" + topic));
            return found ? "topic " + topic : null;
        });
    }

    @Bean
    HealthIndicator dynamodb(DynamoDbClient dynamoDb, CaravanProperties properties, AwsConnection connection) {
        String table = properties.tables().jobs();
        return () -> probe(connection, AwsConnection.DYNAMODB, () -> {
            String status = dynamoDb.describeTable(r -> r.tableName(table).overrideConfiguration(QUICK)).table()
                    .tableStatusAsString();
            return "table " + table + " " + status;
        });
    }

    private static Health probe(AwsConnection connection, String service, CheckedProbe check) {
        Health.Builder health = new Health.Builder();
        Object endpoint = connection.endpoint(service) != null ? connection.endpoint(service) : "aws " + connection.region();
        health.withDetail("endpoint", endpoint.toString());
        try {
            String found = check.run();
            if (found == null) {
                return health.down().withDetail("error", "resource missing").build();
            }
            return health.up().withDetail("resource", found).build();
        } catch (RuntimeException e) {
            return health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }

    @FunctionalInterface
    private interface CheckedProbe {
        String run();
    }
}
