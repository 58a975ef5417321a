package routes.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import routes.aws.AwsConnection;
import routes.config.CaravanProperties;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Objects, queued messages, table rows and topics survive a stop and start of the embedded stack. */
class EmbeddedStackRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesARestart() {
        CaravanProperties properties = properties(dataDir);
        String queueUrl;
        try (EmbeddedStack stack = EmbeddedStack.start(properties)) {
            AwsConnection connection = stack.connection();
            try (S3Client s3 = s3(connection); SqsClient sqs = sqs(connection); DynamoDbClient ddb = ddb(connection);
                    SnsClient sns = sns(connection)) {
                s3.createBucket(r -> r.bucket("keep"));
                s3.putObject(r -> r.bucket("keep").key("a/b.txt"), RequestBody.fromString("kept"));
                queueUrl = sqs.createQueue(r -> r.queueName("keep-queue")).queueUrl();
                sqs.sendMessage(r -> r.queueUrl(sqs.getQueueUrl(q -> q.queueName("keep-queue")).queueUrl())
                        .messageBody("still here"));
                ddb.createTable(r -> r.tableName("keep-table").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
                ddb.putItem(r -> r.tableName("keep-table").item(Map.of("id", AttributeValue.fromS("row-1"),
                        "status", AttributeValue.fromS("SUCCEEDED"))));
                sns.createTopic(r -> r.name("keep-topic"));
            }
        }
        assertThat(queueUrl).isNotBlank();

        try (EmbeddedStack stack = EmbeddedStack.start(properties)) {
            AwsConnection connection = stack.connection();
            try (S3Client s3 = s3(connection); SqsClient sqs = sqs(connection); DynamoDbClient ddb = ddb(connection);
                    SnsClient sns = sns(connection)) {
                assertThat(s3.getObjectAsBytes(r -> r.bucket("keep").key("a/b.txt")).asUtf8String()).isEqualTo("kept");
                String url = sqs.getQueueUrl(r -> r.queueName("keep-queue")).queueUrl();
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages();
                assertThat(messages).extracting(Message::body).containsExactly("still here");
                assertThat(ddb.getItem(r -> r.tableName("keep-table").key(Map.of("id", AttributeValue.fromS("row-1"))))
                        .item().get("status").s()).isEqualTo("SUCCEEDED");
                assertThat(sns.listTopics().topics()).anySatisfy(t -> assertThat(t.topicArn()).endsWith(":keep-topic"));
            }
        }
    }

    static CaravanProperties properties(Path dataDir) {
        Map<String, String> settings = Map.ofEntries(
                Map.entry("caravan.data-dir", dataDir.toString()),
                Map.entry("caravan.embedded.s3-port", "0"),
                Map.entry("caravan.embedded.sqs-port", "0"),
                Map.entry("caravan.embedded.sns-port", "0"),
                Map.entry("caravan.embedded.dynamodb-port", "0"),
                Map.entry("caravan.embedded.stt-port", "0"),
                Map.entry("caravan.storage.bucket", "caravan-test"),
                Map.entry("caravan.messaging.topic", "caravan-test"),
                Map.entry("caravan.messaging.queues[0].name", "caravan-test"),
                Map.entry("caravan.tables.jobs", "jobs"),
                Map.entry("caravan.tables.assets", "assets"));
        return new Binder(new MapConfigurationPropertySource(settings)).bind("caravan", CaravanProperties.class).get();
    }

    private static S3Client s3(AwsConnection c) {
        return S3Client.builder().endpointOverride(c.endpoint(AwsConnection.S3)).region(Region.of(c.region()))
                .credentialsProvider(c.credentials()).forcePathStyle(true).build();
    }

    private static SqsClient sqs(AwsConnection c) {
        return SqsClient.builder().endpointOverride(c.endpoint(AwsConnection.SQS)).region(Region.of(c.region()))
                .credentialsProvider(c.credentials()).build();
    }

    private static SnsClient sns(AwsConnection c) {
        return SnsClient.builder().endpointOverride(c.endpoint(AwsConnection.SNS)).region(Region.of(c.region()))
                .credentialsProvider(c.credentials()).build();
    }

    private static DynamoDbClient ddb(AwsConnection c) {
        return DynamoDbClient.builder().endpointOverride(c.endpoint(AwsConnection.DYNAMODB)).region(Region.of(c.region()))
                .credentialsProvider(c.credentials()).build();
    }
}
