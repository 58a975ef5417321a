package routes.embedded.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.ListTopicsResponse;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Drives {@link SnsServer} with the real AWS SDK clients against an in-process ElasticMQ, checking that
 * topics, subscriptions and deliveries behave as they do on Amazon SNS. Deliveries are synchronous, so
 * every receive below uses a short long-poll and nothing sleeps.
 */
@Timeout(60)
class SnsServerContractTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private static final String ACCOUNT = "000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SQSRestServer elasticMq;
    private static SqsClient sqs;

    @TempDir
    Path tempDir;

    private Path stateFile;
    private SnsServer server;
    private SnsClient sns;

    /** A queue created for one test, with the ARN SNS subscriptions point at. */
    private record Queue(String url, String arn) {
    }

    @BeforeAll
    static void startSqs() {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(0).start();
        int port = elasticMq.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        elasticMq.stopAndWait();
    }

    @BeforeEach
    void startSns() throws IOException {
        stateFile = tempDir.resolve("sns-state.json");
        server = startServer();
        sns = client(server);
    }

    @AfterEach
    void stopSns() {
        sns.close();
        server.stop();
    }

    // ---- topics

    @Test
    void createTopicIsIdempotentAndKeepsItsAttributes() {
        String arn = sns.createTopic(b -> b.name("orders").attributes(Map.of("DisplayName", "Orders"))).topicArn();
        assertThat(arn).isEqualTo("arn:aws:sns:us-east-1:" + ACCOUNT + ":orders");

        assertThat(sns.createTopic(b -> b.name("orders")).topicArn()).isEqualTo(arn);
        assertThat(sns.createTopic(b -> b.name("orders").attributes(Map.of("DisplayName", "Orders"))).topicArn())
                .isEqualTo(arn);
        assertThat(sns.listTopics().topics()).extracting(Topic::topicArn).containsExactly(arn);

        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
        assertThat(attributes)
                .containsEntry("TopicArn", arn)
                .containsEntry("DisplayName", "Orders")
                .containsEntry("SubscriptionsConfirmed", "0")
                .containsEntry("Owner", ACCOUNT)
                .containsKey("Policy");

        assertThatThrownBy(() -> sns.createTopic(b -> b.name("orders").attributes(Map.of("DisplayName", "Other"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.createTopic(b -> b.name("not a valid name")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void listTopicsPagesOneHundredAtATime() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            String name = "topic-" + i;
            created.add(sns.createTopic(b -> b.name(name)).topicArn());
        }

        ListTopicsResponse first = sns.listTopics();
        assertThat(first.topics()).hasSize(100);
        assertThat(first.nextToken()).isNotBlank();
        ListTopicsResponse second = sns.listTopics(b -> b.nextToken(first.nextToken()));
        assertThat(second.topics()).hasSize(50);
        assertThat(second.nextToken()).isNull();

        Set<String> listed = new HashSet<>();
        first.topics().forEach(topic -> listed.add(topic.topicArn()));
        second.topics().forEach(topic -> listed.add(topic.topicArn()));
        assertThat(listed).isEqualTo(created);
        assertThat(sns.listTopicsPaginator().topics()).hasSize(150);

        sns.deleteTopic(b -> b.topicArn(first.topics().get(0).topicArn()));
        assertThat(sns.listTopicsPaginator().topics()).hasSize(149);
    }

    @Test
    void unknownTopicsAreNotFound() {
        String missing = "arn:aws:sns:us-east-1:" + ACCOUNT + ":missing";
        Queue queue = createQueue("nowhere");

        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(missing).message("hello")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.publish(b -> b.targetArn(missing).message("hello")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(missing)
                .publishBatchRequestEntries(PublishBatchRequestEntry.builder().id("1").message("m").build())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn(missing)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(missing).protocol("sqs").endpoint(queue.arn())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.listSubscriptionsByTopic(b -> b.topicArn(missing)))
                .isInstanceOf(NotFoundException.class);
        String missingSubscription = missing + ":" + UUID.randomUUID();
        assertThatThrownBy(() -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(missingSubscription)))
                .isInstanceOf(NotFoundException.class);
    }

    // ---- subscriptions

    @Test
    void subscriptionsAreConfirmedAtOnceAndSubscribingTwiceGivesTheSameOne() {
        String topicArn = sns.createTopic(b -> b.name("subs")).topicArn();
        Queue queue = createQueue("subs");

        String first = subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));
        String again = subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));
        assertThat(again).isEqualTo(first).startsWith(topicArn + ":");
        assertThatThrownBy(() -> subscribe(topicArn, queue, Map.of("RawMessageDelivery", "false")))
                .isInstanceOf(InvalidParameterException.class);

        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions())
                .singleElement()
                .satisfies(subscription -> {
                    assertThat(subscription.subscriptionArn()).isEqualTo(first);
                    assertThat(subscription.protocol()).isEqualTo("sqs");
                    assertThat(subscription.endpoint()).isEqualTo(queue.arn());
                    assertThat(subscription.topicArn()).isEqualTo(topicArn);
                });
        assertThat(sns.listSubscriptions().subscriptions()).extracting(s -> s.subscriptionArn()).contains(first);
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(first)).attributes())
                .containsEntry("PendingConfirmation", "false")
                .containsEntry("RawMessageDelivery", "true")
                .containsEntry("Endpoint", queue.arn());
        assertThat(sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes())
                .containsEntry("SubscriptionsConfirmed", "1");

        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topicArn).protocol("email").endpoint("a@b.example")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> subscribe(topicArn, queue, Map.of("FilterPolicy", "{\"color\": \"red\"}")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> subscribe(topicArn, queue, Map.of("FilterPolicy", "not json")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void unsubscribeStopsDelivery() {
        String topicArn = sns.createTopic(b -> b.name("unsubscribe")).topicArn();
        Queue queue = createQueue("unsubscribe");
        String subscriptionArn = subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));

        sns.publish(b -> b.topicArn(topicArn).message("before"));
        assertThat(receive(queue, 1)).extracting(Message::body).containsExactly("before");

        sns.unsubscribe(b -> b.subscriptionArn(subscriptionArn));
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions()).isEmpty();
        sns.publish(b -> b.topicArn(topicArn).message("after"));
        assertThat(receiveAll(queue)).isEmpty();
    }

    // ---- delivery

    @Test
    void publishFansOutToEverySubscribedQueueThatTheFilterPolicyLetsThrough() {
        String topicArn = sns.createTopic(b -> b.name("fan-out")).topicArn();
        Queue everything = createQueue("everything");
        Queue redOnly = createQueue("red-only");
        subscribe(topicArn, everything, Map.of());
        subscribe(topicArn, redOnly, Map.of("FilterPolicy", "{\"color\": [\"red\"]}"));

        sns.publish(b -> b.topicArn(topicArn).message("a blue one").messageAttributes(Map.of("color", text("blue"))));
        assertThat(receive(everything, 1)).extracting(m -> envelope(m).get("Message").asText())
                .containsExactly("a blue one");
        assertThat(receiveAll(redOnly)).isEmpty();

        sns.publish(b -> b.topicArn(topicArn).message("a red one").messageAttributes(Map.of("color", text("red"))));
        assertThat(receive(everything, 1)).extracting(m -> envelope(m).get("Message").asText())
                .containsExactly("a red one");
        assertThat(receive(redOnly, 1)).extracting(m -> envelope(m).get("Message").asText())
                .containsExactly("a red one");
    }

    @Test
    void aFailedDeliveryDoesNotStopTheOthers() {
        String topicArn = sns.createTopic(b -> b.name("partly-broken")).topicArn();
        Queue gone = createQueue("gone");
        Queue working = createQueue("working");
        subscribe(topicArn, gone, Map.of("RawMessageDelivery", "true"));
        subscribe(topicArn, working, Map.of("RawMessageDelivery", "true"));
        sqs.deleteQueue(b -> b.queueUrl(gone.url()));

        assertThat(sns.publish(b -> b.topicArn(topicArn).message("still delivered")).messageId()).isNotBlank();
        assertThat(receive(working, 1)).extracting(Message::body).containsExactly("still delivered");
    }

    @Test
    void deliveryWithoutRawMessageDeliveryWrapsTheMessageInTheSnsEnvelope() {
        String topicArn = sns.createTopic(b -> b.name("envelope")).topicArn();
        Queue queue = createQueue("envelope");
        String subscriptionArn = subscribe(topicArn, queue, Map.of());

        PublishResponse published = sns.publish(b -> b.topicArn(topicArn)
                .subject("Greeting")
                .message("{\"hello\":\"world\"}")
                .messageAttributes(Map.of(
                        "color", text("red"),
                        "price", number("4.5"),
                        "blob", MessageAttributeValue.builder().dataType("Binary")
                                .binaryValue(SdkBytes.fromUtf8String("bytes")).build())));

        JsonNode envelope = envelope(receive(queue, 1).get(0));
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.get("MessageId").asText()).isEqualTo(published.messageId());
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topicArn);
        assertThat(envelope.get("Subject").asText()).isEqualTo("Greeting");
        assertThat(envelope.get("Message").asText()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(envelope.get("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(envelope.get("SignatureVersion").asText()).isEqualTo("1");
        assertThat(envelope.get("Signature").asText()).isNotBlank();
        assertThat(envelope.get("SigningCertURL").asText()).startsWith(server.endpoint().toString());
        assertThat(envelope.get("UnsubscribeURL").asText()).contains("Action=Unsubscribe");
        JsonNode attributes = envelope.get("MessageAttributes");
        assertThat(attributes.get("color").get("Type").asText()).isEqualTo("String");
        assertThat(attributes.get("color").get("Value").asText()).isEqualTo("red");
        assertThat(attributes.get("price").get("Type").asText()).isEqualTo("Number");
        assertThat(attributes.get("price").get("Value").asText()).isEqualTo("4.5");
        assertThat(attributes.get("blob").get("Type").asText()).isEqualTo("Binary");
        assertThat(attributes.get("blob").get("Value").asText())
                .isEqualTo(Base64.getEncoder().encodeToString("bytes".getBytes(StandardCharsets.UTF_8)));

        sns.publish(b -> b.topicArn(topicArn).message("plain"));
        JsonNode plain = envelope(receive(queue, 1).get(0));
        assertThat(plain.has("Subject")).isFalse();
        assertThat(plain.has("MessageAttributes")).isFalse();

        // the UnsubscribeURL works, as on SNS
        URI unsubscribeUrl = URI.create(plain.get("UnsubscribeURL").asText());
        HttpResponse<String> unsubscribed =
                http(HttpRequest.newBuilder(unsubscribeUrl).timeout(Duration.ofSeconds(20)).GET().build());
        assertThat(unsubscribed.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void rawMessageDeliveryCarriesTheBodyAndTheAttributesAsSqsAttributes() {
        String topicArn = sns.createTopic(b -> b.name("raw")).topicArn();
        Queue queue = createQueue("raw");
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));

        sns.publish(b -> b.topicArn(topicArn)
                .message("just the body")
                .messageAttributes(Map.of(
                        "color", text("red"),
                        "price", number("12"),
                        "tags", MessageAttributeValue.builder().dataType("String.Array").stringValue("[\"a\",\"b\"]")
                                .build(),
                        "blob", MessageAttributeValue.builder().dataType("Binary")
                                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build())));

        Message received = receive(queue, 1).get(0);
        assertThat(received.body()).isEqualTo("just the body");
        var attributes = received.messageAttributes();
        assertThat(attributes.get("color").dataType()).isEqualTo("String");
        assertThat(attributes.get("color").stringValue()).isEqualTo("red");
        assertThat(attributes.get("price").dataType()).isEqualTo("Number");
        assertThat(attributes.get("price").stringValue()).isEqualTo("12");
        assertThat(attributes.get("tags").dataType()).isEqualTo("String.Array");
        assertThat(attributes.get("tags").stringValue()).isEqualTo("[\"a\",\"b\"]");
        assertThat(attributes.get("blob").dataType()).isEqualTo("Binary");
        assertThat(attributes.get("blob").binaryValue().asByteArray()).containsExactly(1, 2, 3);

        // MessageStructure=json delivers the sqs entry (or the default one) to SQS subscribers
        sns.publish(b -> b.topicArn(topicArn).messageStructure("json")
                .message("{\"default\":\"for everyone\",\"sqs\":\"for queues\"}"));
        assertThat(receive(queue, 1)).extracting(Message::body).containsExactly("for queues");
    }

    @Test
    void filterPoliciesOnMessageAttributesMatchAsOnSns() throws Exception {
        String topicArn = sns.createTopic(b -> b.name("filters")).topicArn();
        Map<String, String> policies = new LinkedHashMap<>();
        policies.put("numeric-range", "{\"price\": [{\"numeric\": [\">\", 0, \"<=\", 5]}]}");
        policies.put("numeric-equals", "{\"price\": [{\"numeric\": [\"=\", 7.5]}]}");
        policies.put("number", "{\"price\": [3]}");
        policies.put("prefix", "{\"store\": [{\"prefix\": \"eu-\"}]}");
        policies.put("suffix", "{\"store\": [{\"suffix\": \"-1\"}]}");
        policies.put("anything-but", "{\"store\": [{\"anything-but\": [\"eu-west\", \"eu-north\"]}]}");
        policies.put("anything-but-prefix", "{\"store\": [{\"anything-but\": {\"prefix\": \"eu-\"}}]}");
        policies.put("exists", "{\"tags\": [{\"exists\": true}]}");
        policies.put("not-exists", "{\"store\": [{\"exists\": false}]}");
        policies.put("or", "{\"$or\": [{\"color\": [\"red\"]}, {\"size\": [\"L\"]}]}");
        policies.put("and", "{\"color\": [\"red\"], \"size\": [\"L\"]}");
        policies.put("string-array", "{\"tags\": [\"b\"]}");
        Map<String, Queue> queues = new LinkedHashMap<>();
        policies.forEach((name, policy) -> {
            Queue queue = createQueue(name);
            subscribe(topicArn, queue, Map.of("FilterPolicy", policy, "RawMessageDelivery", "true"));
            queues.put(name, queue);
        });

        publish(topicArn, "m1", Map.of("price", number("3"), "store", text("eu-west"), "color", text("red"),
                "size", text("L"), "tags", stringArray("[\"a\",\"b\"]")));
        publish(topicArn, "m2", Map.of("price", number("0"), "store", text("us-east"), "color", text("blue")));
        publish(topicArn, "m3", Map.of("price", number("5"), "store", text("eu-north"), "size", text("L")));
        publish(topicArn, "m4", Map.of("price", number("7.5"), "store", text("ap-south-1"),
                "tags", stringArray("[\"c\"]")));
        publish(topicArn, "m5", Map.of());
        publish(topicArn, "m6", Map.of("price", text("3"), "color", text("RED")));

        Map<String, Set<String>> received = receiveAllInParallel(queues);
        assertThat(received.get("numeric-range")).containsExactlyInAnyOrder("m1", "m3");
        assertThat(received.get("numeric-equals")).containsExactlyInAnyOrder("m4");
        assertThat(received.get("number")).containsExactlyInAnyOrder("m1");
        assertThat(received.get("prefix")).containsExactlyInAnyOrder("m1", "m3");
        assertThat(received.get("suffix")).containsExactlyInAnyOrder("m4");
        assertThat(received.get("anything-but")).containsExactlyInAnyOrder("m2", "m4");
        assertThat(received.get("anything-but-prefix")).containsExactlyInAnyOrder("m2", "m4");
        assertThat(received.get("exists")).containsExactlyInAnyOrder("m1", "m4");
        assertThat(received.get("not-exists")).containsExactlyInAnyOrder("m5", "m6");
        assertThat(received.get("or")).containsExactlyInAnyOrder("m1", "m3");
        assertThat(received.get("and")).containsExactlyInAnyOrder("m1");
        assertThat(received.get("string-array")).containsExactlyInAnyOrder("m1");
    }

    @Test
    void filterPoliciesCanBeScopedToTheMessageBody() {
        String topicArn = sns.createTopic(b -> b.name("body-filter")).topicArn();
        Queue queue = createQueue("body-filter");
        subscribe(topicArn, queue, Map.of(
                "FilterPolicyScope", "MessageBody",
                "FilterPolicy", "{\"order\": {\"total\": [{\"numeric\": [\">\", 100]}]}}",
                "RawMessageDelivery", "true"));

        sns.publish(b -> b.topicArn(topicArn).message("{\"order\": {\"total\": 50}}"));
        sns.publish(b -> b.topicArn(topicArn).message("not json"));
        sns.publish(b -> b.topicArn(topicArn).message("{\"order\": {\"total\": 150}}"));
        assertThat(receiveAll(queue)).extracting(Message::body).containsExactly("{\"order\": {\"total\": 150}}");
    }

    @Test
    void setSubscriptionAttributesChangesHowMessagesAreDelivered() {
        String topicArn = sns.createTopic(b -> b.name("set-attributes")).topicArn();
        Queue queue = createQueue("set-attributes");
        String subscriptionArn = subscribe(topicArn, queue, Map.of());

        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)
                .attributeName("RawMessageDelivery").attributeValue("true"));
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)
                .attributeName("FilterPolicy").attributeValue("{\"kind\": [\"wanted\"]}"));
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)).attributes())
                .containsEntry("RawMessageDelivery", "true")
                .containsEntry("FilterPolicy", "{\"kind\": [\"wanted\"]}")
                .containsEntry("FilterPolicyScope", "MessageAttributes");
        assertThatThrownBy(() -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)
                .attributeName("RawMessageDelivery").attributeValue("maybe")))
                .isInstanceOf(InvalidParameterException.class);

        publish(topicArn, "unwanted", Map.of("kind", text("other")));
        publish(topicArn, "wanted", Map.of("kind", text("wanted")));
        assertThat(receiveAll(queue)).extracting(Message::body).containsExactly("wanted");
    }

    @Test
    void publishBatchDeliversEachEntryAndReportsTheFailedOnes() {
        String topicArn = sns.createTopic(b -> b.name("batch")).topicArn();
        Queue queue = createQueue("batch");
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));

        PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(
                entry("one", "first"),
                entry("two", "second"),
                PublishBatchRequestEntry.builder().id("three").message("third")
                        .messageAttributes(Map.of("color", text("red"))).build(),
                entry("empty", "")));

        assertThat(response.successful()).extracting(e -> e.id()).containsExactly("one", "two", "three");
        assertThat(response.successful()).allSatisfy(e -> assertThat(e.messageId()).isNotBlank());
        assertThat(response.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.id()).isEqualTo("empty");
            assertThat(failure.code()).isEqualTo("InvalidParameter");
            assertThat(failure.senderFault()).isTrue();
        });
        List<Message> received = receive(queue, 3);
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("first", "second", "third");
        assertThat(received).filteredOn(m -> m.body().equals("third")).singleElement()
                .satisfies(m -> assertThat(m.messageAttributes().get("color").stringValue()).isEqualTo("red"));

        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(topicArn)
                .publishBatchRequestEntries(entry("same", "a"), entry("same", "b"))))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class);
        List<PublishBatchRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(entry("e" + i, "message " + i));
        }
        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(eleven)))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class);
        assertThat(receiveAll(queue)).isEmpty();
    }

    @Test
    void fifoTopicsPassTheGroupAndDeduplicationIdsToFifoQueues() {
        String topicArn = sns.createTopic(b -> b.name("events.fifo").attributes(Map.of("FifoTopic", "true")))
                .topicArn();
        String queueName = "events-" + UUID.randomUUID().toString().substring(0, 8) + ".fifo";
        String url = sqs.createQueue(b -> b.queueName(queueName)
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        Queue queue = new Queue(url, queueArn(url));
        subscribe(topicArn, queue, Map.of("RawMessageDelivery", "true"));

        PublishResponse published = sns.publish(b -> b.topicArn(topicArn).message("ordered")
                .messageGroupId("group-1").messageDeduplicationId("dedup-1"));
        assertThat(published.sequenceNumber()).isNotBlank();

        List<Message> received = receive(queue, 1);
        assertThat(received).extracting(Message::body).containsExactly("ordered");
        assertThat(received.get(0).attributes())
                .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "group-1")
                .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "dedup-1");

        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topicArn).message("no group")))
                .isInstanceOf(InvalidParameterException.class);
        String standardTopic = sns.createTopic(b -> b.name("standard")).topicArn();
        assertThatThrownBy(() -> subscribe(standardTopic, queue, Map.of()))
                .isInstanceOf(InvalidParameterException.class);
    }

    // ---- robustness and persistence

    @Test
    void badRequestsGetErrorRepliesAndTheServerKeepsServing() {
        HttpResponse<String> unknown = post("Action=DoSomethingElse&Version=2010-03-31");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("<Code>InvalidAction</Code>").contains("<Type>Sender</Type>");

        assertThat(post("Version=2010-03-31").statusCode()).isEqualTo(400);
        assertThat(post("Action=CreateTopic&Name=%zz").statusCode()).isEqualTo(400);
        assertThat(post("Action=Publish&TopicArn=not-an-arn&Message=x").body()).contains("InvalidParameter");

        HttpResponse<String> tooLarge = post("Action=Publish&Message=" + "x".repeat(SnsServer.MAX_BODY_BYTES));
        assertThat(tooLarge.statusCode()).isEqualTo(400);

        String topicArn = sns.createTopic(b -> b.name("still-serving")).topicArn();
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topicArn).message("x".repeat(256 * 1024 + 1))))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(sns.publish(b -> b.topicArn(topicArn).message("x".repeat(256 * 1024))).messageId()).isNotBlank();
    }

    @Test
    void topicsAndSubscriptionsSurviveARestart() throws IOException {
        String topicArn = sns.createTopic(b -> b.name("durable").attributes(Map.of("DisplayName", "Durable")))
                .topicArn();
        Queue queue = createQueue("durable");
        String subscriptionArn = subscribe(topicArn, queue,
                Map.of("RawMessageDelivery", "true", "FilterPolicy", "{\"kind\": [\"kept\"]}"));

        JsonNode state = JSON.readTree(stateFile.toFile());
        assertThat(state.get("topics")).singleElement().satisfies(topic -> {
            assertThat(topic.fieldNames()).toIterable().containsExactlyInAnyOrder("arn", "name", "attributes");
            assertThat(topic.get("arn").asText()).isEqualTo(topicArn);
            assertThat(topic.get("attributes").get("DisplayName").asText()).isEqualTo("Durable");
        });
        assertThat(state.get("subscriptions")).singleElement().satisfies(subscription -> {
            assertThat(subscription.fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("arn", "topicArn", "protocol", "endpoint", "attributes");
            assertThat(subscription.get("arn").asText()).isEqualTo(subscriptionArn);
            assertThat(subscription.get("endpoint").asText()).isEqualTo(queue.arn());
            assertThat(subscription.get("attributes").get("RawMessageDelivery").asText()).isEqualTo("true");
        });

        sns.close();
        server.stop();
        server = startServer();
        sns = client(server);

        assertThat(sns.listTopics().topics()).extracting(Topic::topicArn).containsExactly(topicArn);
        assertThat(sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes())
                .containsEntry("DisplayName", "Durable");
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)).attributes())
                .containsEntry("RawMessageDelivery", "true")
                .containsEntry("FilterPolicy", "{\"kind\": [\"kept\"]}")
                .containsEntry("Endpoint", queue.arn());

        publish(topicArn, "dropped", Map.of("kind", text("other")));
        publish(topicArn, "kept", Map.of("kind", text("kept")));
        assertThat(receiveAll(queue)).extracting(Message::body).containsExactly("kept");
    }

    // ---- helpers

    private SnsServer startServer() throws IOException {
        SnsServer started = new SnsServer("127.0.0.1", 0, "us-east-1", ACCOUNT, stateFile, sqs);
        started.start();
        assertThat(started.port()).isPositive();
        return started;
    }

    private static SnsClient client(SnsServer target) {
        return SnsClient.builder()
                .endpointOverride(target.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static Queue createQueue(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        return new Queue(url, queueArn(url));
    }

    private static String queueArn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private String subscribe(String topicArn, Queue queue, Map<String, String> attributes) {
        return sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn())
                .attributes(attributes).returnSubscriptionArn(true)).subscriptionArn();
    }

    private void publish(String topicArn, String message, Map<String, MessageAttributeValue> attributes) {
        sns.publish(b -> b.topicArn(topicArn).message(message).messageAttributes(attributes));
    }

    private static PublishBatchRequestEntry entry(String id, String message) {
        return PublishBatchRequestEntry.builder().id(id).message(message).build();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static MessageAttributeValue number(String value) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(value).build();
    }

    private static MessageAttributeValue stringArray(String json) {
        return MessageAttributeValue.builder().dataType("String.Array").stringValue(json).build();
    }

    /** Receives (and deletes) until {@code expected} messages came, long-polling a second at a time. */
    private static List<Message> receive(Queue queue, int expected) {
        List<Message> received = new ArrayList<>();
        while (received.size() < expected) {
            List<Message> batch = receiveBatch(queue);
            if (batch.isEmpty()) {
                break;
            }
            received.addAll(batch);
        }
        assertThat(received).hasSize(expected);
        return received;
    }

    /** Receives (and deletes) until a one-second long poll comes back empty. */
    private static List<Message> receiveAll(Queue queue) {
        List<Message> received = new ArrayList<>();
        for (List<Message> batch = receiveBatch(queue); !batch.isEmpty(); batch = receiveBatch(queue)) {
            received.addAll(batch);
        }
        return received;
    }

    private static List<Message> receiveBatch(Queue queue) {
        List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue.url())
                .maxNumberOfMessages(10)
                .waitTimeSeconds(1)
                .messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        batch.forEach(message ->
                sqs.deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(message.receiptHandle())));
        return batch;
    }

    /** The bodies each queue holds, drained side by side so the final empty polls overlap. */
    private static Map<String, Set<String>> receiveAllInParallel(Map<String, Queue> queues) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(queues.size());
        try {
            Map<String, CompletableFuture<Set<String>>> pending = new LinkedHashMap<>();
            queues.forEach((name, queue) -> pending.put(name, CompletableFuture.supplyAsync(() -> {
                Set<String> bodies = new HashSet<>();
                receiveAll(queue).forEach(message -> bodies.add(message.body()));
                return bodies;
            }, pool)));
            Map<String, Set<String>> received = new LinkedHashMap<>();
            for (var entry : pending.entrySet()) {
                received.put(entry.getKey(), entry.getValue().get());
            }
            return received;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode envelope(Message message) {
        try {
            return JSON.readTree(message.body());
        } catch (IOException e) {
            throw new AssertionError("The message body is not JSON: " + message.body(), e);
        }
    }

    private HttpResponse<String> post(String form) {
        return http(HttpRequest.newBuilder(server.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    private static HttpResponse<String> http(HttpRequest request) {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
