package routes.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.config.CaravanProperties;
import routes.config.CaravanProperties.QueueSpec;
import routes.config.StartupCheckException;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates what Caravan needs when it is missing: the bucket, the topic, each queue with its dead-letter queue and
 * redrive policy, the topic's subscriptions with their filter policies, and the tables. Safe to run at every start.
 */
public class AwsProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(AwsProvisioner.class);

    private final CaravanProperties properties;
    private final AwsConnection connection;
    private final S3Client s3;
    private final SqsClient sqs;
    private final SnsClient sns;
    private final DynamoDbClient dynamoDb;
    private final List<TableSchema> tables;
    private final ObjectMapper json = new ObjectMapper();

    public AwsProvisioner(CaravanProperties properties, AwsConnection connection, S3Client s3, SqsClient sqs,
            SnsClient sns, DynamoDbClient dynamoDb, List<TableSchema> tables) {
        this.tables = List.copyOf(tables);
        this.properties = properties;
        this.connection = connection;
        this.s3 = s3;
        this.sqs = sqs;
        this.sns = sns;
        this.dynamoDb = dynamoDb;
    }

    /**
     * Fails fast, naming the setting, when nothing answers on a configured endpoint. Endpoints left to the SDK (AWS
     * itself) are not probed here: their faults show in health and the routes back off.
     */
    public void checkReachable() {
        for (String service : List.of(AwsConnection.S3, AwsConnection.SQS, AwsConnection.SNS, AwsConnection.DYNAMODB)) {
            URI endpoint = connection.endpoint(service);
            if (endpoint == null) {
                continue;
            }
            int port = endpoint.getPort() != -1 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
            int timeout = (int) properties.aws().connectTimeout().toMillis();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.getHost(), port), timeout);
            } catch (IOException | IllegalArgumentException e) {
                throw new StartupCheckException(properties.aws().settingFor(service),
                        "nothing answers for " + service + " at " + endpoint + " (" + rootMessage(e) + ")", e);
            }
        }
    }

    public void provision() {
        String bucket = properties.storage().bucket();
        call(AwsConnection.S3, "caravan.storage.bucket", () -> ensureBucket(bucket));
        String topicArn = call(AwsConnection.SNS, "caravan.messaging.topic",
                () -> sns.createTopic(r -> r.name(properties.messaging().topic())).topicArn());
        for (QueueSpec queue : properties.queues()) {
            String queueArn = call(AwsConnection.SQS, "caravan.messaging.queues", () -> ensureQueue(queue, topicArn));
            if (queue.subscribe()) {
                call(AwsConnection.SNS, "caravan.messaging.queues", () -> ensureSubscription(topicArn, queue, queueArn));
            }
        }
        for (TableSchema table : tables) {
            call(AwsConnection.DYNAMODB, "caravan.tables", () -> ensureTable(table));
        }
        LOG.info("Provisioned bucket {}, topic {}, {} queues with dead-letter queues, tables {}", bucket,
                properties.messaging().topic(), properties.queues().size(),
                tables.stream().map(TableSchema::name).toList());
    }

    private Void ensureBucket(String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(r -> r.bucket(bucket));
            LOG.info("Created bucket {}", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(r -> r.bucket(bucket));
            LOG.info("Created bucket {}", bucket);
        }
        return null;
    }

    /** One queue with its dead-letter queue and redrive policy, as provisioning makes them; returns its ARN. */
    public String provisionQueue(QueueSpec queue) {
        String topicArn = sns.createTopic(r -> r.name(properties.messaging().topic())).topicArn();
        String arn = ensureQueue(queue, topicArn);
        if (queue.subscribe()) {
            ensureSubscription(topicArn, queue, arn);
        }
        return arn;
    }

    /** The queue and its dead-letter queue; returns the queue's ARN. */
    private String ensureQueue(QueueSpec queue, String topicArn) {
        CaravanProperties.Messaging messaging = properties.messaging();
        String dlqUrl = createOrGet(messaging.dlqName(queue), Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(14 * 24 * 3600)));
        String dlqArn = arnOf(dlqUrl);
        ObjectNode redrive = json.createObjectNode()
                .put("deadLetterTargetArn", dlqArn)
                .put("maxReceiveCount", Integer.toString(messaging.maxReceiveCount() + messaging.spareReceives()));
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.REDRIVE_POLICY, redrive.toString());
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(messaging.visibilityTimeoutSeconds()));
        String url = createOrGet(queue.name(), attributes);
        String arn = arnOf(url);
        if (queue.subscribe()) {
            // Lets the topic deliver to the queue (AWS checks it; compatible servers may ignore it).
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                    topicDeliveryPolicy(arn, topicArn))));
        }
        return arn;
    }

    private String createOrGet(String name, Map<QueueAttributeName, String> attributes) {
        try {
            String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(attributes));
            return url;
        } catch (QueueDoesNotExistException e) {
            String url = sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
            LOG.info("Created queue {}", name);
            return url;
        }
    }

    private String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private String topicDeliveryPolicy(String queueArn, String topicArn) {
        ObjectNode policy = json.createObjectNode().put("Version", "2012-10-17");
        ObjectNode statement = policy.putArray("Statement").addObject()
                .put("Sid", "caravan-topic-delivery")
                .put("Effect", "Allow")
                .put("Action", "sqs:SendMessage")
                .put("Resource", queueArn);
        statement.putObject("Principal").put("Service", "sns.amazonaws.com");
        statement.putObject("Condition").putObject("ArnEquals").put("aws:SourceArn", topicArn);
        return policy.toString();
    }

    private Void ensureSubscription(String topicArn, QueueSpec queue, String queueArn) {
        List<Subscription> existing = sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn)).subscriptions()
                .stream().filter(s -> queueArn.equals(s.endpoint())).toList();
        Map<String, String> attributes = new HashMap<>();
        attributes.put("RawMessageDelivery", Boolean.toString(queue.rawDelivery()));
        if (queue.filterPolicy() != null && !queue.filterPolicy().isBlank()) {
            attributes.put("FilterPolicy", queue.filterPolicy());
        }
        if (existing.isEmpty()) {
            sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(attributes)
                    .returnSubscriptionArn(true));
            LOG.info("Subscribed queue {} to topic {}", queue.name(), topicArn);
        } else {
            String subscriptionArn = existing.get(0).subscriptionArn();
            attributes.forEach((name, value) -> sns.setSubscriptionAttributes(
                    r -> r.subscriptionArn(subscriptionArn).attributeName(name).attributeValue(value)));
        }
        return null;
    }

    /**
     * A table keyed by {@code id}, with the TTL and the indexes its schema names; an older table without one of the
     * indexes gets it added.
     */
    private Void ensureTable(TableSchema schema) {
        String table = schema.name();
        TableDescription existing;
        try {
            existing = dynamoDb.describeTable(r -> r.tableName(table)).table();
        } catch (ResourceNotFoundException e) {
            existing = null;
        }
        if (existing == null) {
            LOG.info("Creating table {}", table);
            Set<String> keys = new LinkedHashSet<>(List.of("id"));
            schema.indexes().forEach(i -> keys.addAll(List.of(i.partitionKey(), i.sortKey())));
            CreateTableRequest.Builder create = CreateTableRequest.builder().tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(keys.stream().map(AwsProvisioner::stringAttribute).toList());
            if (!schema.indexes().isEmpty()) {
                create.globalSecondaryIndexes(schema.indexes().stream().map(AwsProvisioner::index).toList());
            }
            dynamoDb.createTable(create.build());
            dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(table));
            if (schema.expires()) {
                dynamoDb.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(
                        t -> t.attributeName(VersionedTable.TTL_ATTRIBUTE).enabled(true)));
            }
            return null;
        }
        List<String> present = existing.globalSecondaryIndexes().stream().map(i -> i.indexName()).toList();
        for (TableSchema.Index index : schema.indexes()) {
            if (present.contains(index.name())) {
                continue;
            }
            LOG.info("Adding index {} to table {}", index.name(), table);
            GlobalSecondaryIndex made = index(index);
            dynamoDb.updateTable(r -> r.tableName(table)
                    .attributeDefinitions(stringAttribute(index.partitionKey()), stringAttribute(index.sortKey()))
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(made.indexName())
                            .keySchema(made.keySchema()).projection(made.projection()))));
        }
        return null;
    }

    private static GlobalSecondaryIndex index(TableSchema.Index index) {
        return GlobalSecondaryIndex.builder().indexName(index.name())
                .keySchema(KeySchemaElement.builder().attributeName(index.partitionKey()).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(index.sortKey()).keyType(KeyType.RANGE).build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    /** Runs one provisioning call; a failure becomes one line naming the setting behind it. */
    private <T> T call(String service, String setting, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkClientException e) {
            if (rootMessage(e).contains("Unable to load credentials")) {
                throw new StartupCheckException("AWS credentials", "none found in the default chain (set AWS_PROFILE,"
                        + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the pod or instance a role)", e);
            }
            throw new StartupCheckException(properties.aws().settingFor(service),
                    "cannot reach " + service + " at " + describe(service) + " (" + rootMessage(e) + ")", e);
        } catch (SdkException e) {
            throw new StartupCheckException(setting, service + " refused it: " + rootMessage(e), e);
        }
    }

    private String describe(String service) {
        URI endpoint = connection.endpoint(service);
        return endpoint != null ? endpoint.toString() : "the AWS endpoint of region " + properties.aws().region();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message);
    }
}
