package routes.embedded.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The SNS actions: each reads its query parameters, works on the registry or delivers, and writes the
 * content of its {@code <ActionResult>} element (null for actions that return nothing).
 */
final class SnsActions {

    /** One action: reads the request, returns the result element's content or null. */
    @FunctionalInterface
    interface Action {
        XmlWriter handle(QueryRequest request);
    }

    static final int PAGE_SIZE = 100;
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final int MAX_BATCH_ENTRIES = 10;

    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\\.fifo");
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[^:]+:[^:]+:[A-Za-z0-9_.-]+");
    private static final Pattern SUBSCRIPTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:sns:[^:]+:[^:]+:[A-Za-z0-9_.-]+:[A-Za-z0-9-]+");
    private static final Pattern QUEUE_ARN =
            Pattern.compile("arn:aws[a-z-]*:sqs:[^:]+:[^:]+:[A-Za-z0-9_-]{1,80}(\\.fifo)?");
    private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern TOPIC_FEEDBACK_ATTRIBUTE =
            Pattern.compile("(Application|HTTP|Lambda|SQS|Firehose)(Success|Failure)Feedback(RoleArn|SampleRate)");
    private static final Set<String> TOPIC_ATTRIBUTES = Set.of("DisplayName", "Policy", "DeliveryPolicy",
            "KmsMasterKeyId", "SignatureVersion", "TracingConfig", "FifoTopic", "ContentBasedDeduplication",
            "FifoThroughputScope", "ArchivePolicy", "DataProtectionPolicy");
    private static final Set<String> SUBSCRIPTION_ATTRIBUTES = Set.of("RawMessageDelivery", "FilterPolicy",
            "FilterPolicyScope", "DeliveryPolicy", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy");
    private static final String EFFECTIVE_DELIVERY_POLICY = "{\"http\":{\"defaultHealthyRetryPolicy\":"
            + "{\"minDelayTarget\":20,\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,"
            + "\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},"
            + "\"disableSubscriptionOverrides\":false,"
            + "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}";

    private final SnsRegistry registry;
    private final SnsDelivery delivery;
    private final String region;
    private final String accountId;
    private final ObjectMapper json;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
    private final Map<String, Action> actions = Map.ofEntries(
            Map.entry("CreateTopic", this::createTopic),
            Map.entry("DeleteTopic", this::deleteTopic),
            Map.entry("ListTopics", this::listTopics),
            Map.entry("GetTopicAttributes", this::getTopicAttributes),
            Map.entry("SetTopicAttributes", this::setTopicAttributes),
            Map.entry("Subscribe", this::subscribe),
            Map.entry("Unsubscribe", this::unsubscribe),
            Map.entry("GetSubscriptionAttributes", this::getSubscriptionAttributes),
            Map.entry("SetSubscriptionAttributes", this::setSubscriptionAttributes),
            Map.entry("ListSubscriptions", this::listSubscriptions),
            Map.entry("ListSubscriptionsByTopic", this::listSubscriptionsByTopic),
            Map.entry("Publish", this::publish),
            Map.entry("PublishBatch", this::publishBatch));

    SnsActions(SnsRegistry registry, SnsDelivery delivery, String region, String accountId, ObjectMapper json) {
        this.registry = registry;
        this.delivery = delivery;
        this.region = region;
        this.accountId = accountId;
        this.json = json;
    }

    /** The action of that name; an unknown name is an {@code InvalidAction} error. */
    Action action(String name) {
        Action action = name == null ? null : actions.get(name);
        if (action == null) {
            throw new SnsException(400, "InvalidAction", "The action " + name + " is not valid for this endpoint.");
        }
        return action;
    }

    // ---- topics

    private XmlWriter createTopic(QueryRequest request) {
        String name = request.require("Name");
        if (!TOPIC_NAME.matcher(name).matches()) {
            throw SnsException.invalidParameter("Topic Name");
        }
        Map<String, String> attributes = request.map("Attributes");
        attributes.forEach(this::checkTopicAttribute);
        boolean fifoAttribute = "true".equalsIgnoreCase(attributes.get("FifoTopic"));
        if (name.endsWith(".fifo") != fifoAttribute) {
            throw SnsException.invalidParameter(
                    "Fifo Topic names must end with .fifo and they must have the FifoTopic attribute set to true");
        }
        if (!fifoAttribute && attributes.containsKey("ContentBasedDeduplication")) {
            throw SnsException.invalidParameter("ContentBasedDeduplication Reason: only for FIFO topics");
        }
        SnsTopic topic = registry.createTopic(new SnsTopic(topicArn(name), name, attributes));
        return new XmlWriter().element("TopicArn", topic.arn());
    }

    private XmlWriter deleteTopic(QueryRequest request) {
        registry.deleteTopic(checkedTopicArn(request.require("TopicArn")));
        return null;
    }

    private XmlWriter listTopics(QueryRequest request) {
        SnsRegistry.Page<SnsTopic> page = registry.listTopics(request.get("NextToken"), PAGE_SIZE);
        XmlWriter xml = new XmlWriter().open("Topics");
        page.items().forEach(topic -> xml.open("member").element("TopicArn", topic.arn()).close("member"));
        return xml.close("Topics").element("NextToken", page.nextToken());
    }

    private XmlWriter getTopicAttributes(QueryRequest request) {
        SnsTopic topic = registry.requireTopic(checkedTopicArn(request.require("TopicArn")));
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("TopicArn", topic.arn());
        attributes.put("Owner", accountId);
        attributes.put("DisplayName", "");
        attributes.put("Policy", defaultPolicy(topic));
        attributes.put("EffectiveDeliveryPolicy", EFFECTIVE_DELIVERY_POLICY);
        attributes.put("SubscriptionsConfirmed", String.valueOf(registry.subscriptionsOf(topic.arn()).size()));
        attributes.put("SubscriptionsPending", "0");
        attributes.put("SubscriptionsDeleted", "0");
        if (topic.fifo()) {
            attributes.put("FifoTopic", "true");
            attributes.put("ContentBasedDeduplication", "false");
        }
        attributes.putAll(topic.attributes());
        return new XmlWriter().map("Attributes", attributes);
    }

    private XmlWriter setTopicAttributes(QueryRequest request) {
        String topicArn = checkedTopicArn(request.require("TopicArn"));
        String name = request.require("AttributeName");
        String value = request.get("AttributeValue") == null ? "" : request.get("AttributeValue");
        checkTopicAttribute(name, value);
        registry.updateTopic(topicArn, topic -> {
            if (name.equals("FifoTopic")) {
                throw SnsException.invalidParameter("AttributeName Reason: FifoTopic cannot be changed");
            }
            if (name.equals("ContentBasedDeduplication") && !topic.fifo()) {
                throw SnsException.invalidParameter("ContentBasedDeduplication Reason: only for FIFO topics");
            }
            return topic.withAttribute(name, value);
        });
        return null;
    }

    private void checkTopicAttribute(String name, String value) {
        if (!TOPIC_ATTRIBUTES.contains(name) && !TOPIC_FEEDBACK_ATTRIBUTE.matcher(name).matches()) {
            throw SnsException.invalidParameter("AttributeName Reason: unknown topic attribute " + name);
        }
        if ((name.equals("FifoTopic") || name.equals("ContentBasedDeduplication"))
                && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw SnsException.invalidParameter(name + " Reason: must be true or false");
        }
    }

    private String defaultPolicy(SnsTopic topic) {
        ObjectNode policy = json.createObjectNode().put("Version", "2008-10-17").put("Id", "__default_policy_ID");
        ObjectNode statement = policy.putArray("Statement").addObject()
                .put("Sid", "__default_statement_ID")
                .put("Effect", "Allow");
        statement.putObject("Principal").put("AWS", "*");
        List.of("GetTopicAttributes", "SetTopicAttributes", "AddPermission", "RemovePermission", "DeleteTopic",
                "Subscribe", "ListSubscriptionsByTopic", "Publish")
                .forEach(action -> statement.withArray("Action").add("SNS:" + action));
        statement.put("Resource", topic.arn());
        statement.putObject("Condition").putObject("StringEquals").put("AWS:SourceOwner", accountId);
        return policy.toString();
    }

    // ---- subscriptions

    private XmlWriter subscribe(QueryRequest request) {
        String topicArn = checkedTopicArn(request.require("TopicArn"));
        String protocol = request.require("Protocol");
        if (!protocol.equals("sqs")) {
            throw SnsException.invalidParameter("Protocol Reason: only the sqs protocol is supported, not " + protocol);
        }
        String endpoint = request.require("Endpoint");
        if (!QUEUE_ARN.matcher(endpoint).matches()) {
            throw SnsException.invalidParameter("SQS endpoint ARN");
        }
        SnsTopic topic = registry.requireTopic(topicArn);
        if (endpoint.endsWith(".fifo") && !topic.fifo()) {
            throw SnsException.invalidParameter(
                    "Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
        }
        Map<String, String> attributes = checkedSubscriptionAttributes(request.map("Attributes"));
        String arn = topicArn + ":" + UUID.randomUUID();
        SnsSubscription subscription = registry.subscribe(new SnsSubscription(arn, topicArn, protocol, endpoint,
                attributes));
        // SQS subscriptions in the same account are confirmed at once, so the ARN is always returned.
        return new XmlWriter().element("SubscriptionArn", subscription.arn());
    }

    private XmlWriter unsubscribe(QueryRequest request) {
        registry.unsubscribe(checkedSubscriptionArn(request.require("SubscriptionArn")));
        return null;
    }

    private XmlWriter getSubscriptionAttributes(QueryRequest request) {
        SnsSubscription subscription =
                registry.requireSubscription(checkedSubscriptionArn(request.require("SubscriptionArn")));
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("SubscriptionArn", subscription.arn());
        attributes.put("TopicArn", subscription.topicArn());
        attributes.put("Owner", accountId);
        attributes.put("Protocol", subscription.protocol());
        attributes.put("Endpoint", subscription.endpoint());
        attributes.put("ConfirmationWasAuthenticated", "true");
        attributes.put("PendingConfirmation", "false");
        attributes.put("RawMessageDelivery", "false");
        if (subscription.filterPolicy() != null) {
            attributes.put("FilterPolicyScope", subscription.filterPolicyScope().attributeValue());
        }
        attributes.putAll(subscription.attributes());
        return new XmlWriter().map("Attributes", attributes);
    }

    private XmlWriter setSubscriptionAttributes(QueryRequest request) {
        String arn = checkedSubscriptionArn(request.require("SubscriptionArn"));
        String name = request.require("AttributeName");
        String value = request.get("AttributeValue") == null ? "" : request.get("AttributeValue");
        registry.updateSubscription(arn, subscription -> {
            Map<String, String> attributes = new TreeMap<>(subscription.attributes());
            attributes.put(name, value);
            return new SnsSubscription(subscription.arn(), subscription.topicArn(), subscription.protocol(),
                    subscription.endpoint(), checkedSubscriptionAttributes(attributes));
        });
        return null;
    }

    /**
     * Checks subscription attributes and puts them in stored form: booleans in lower case, an empty
     * filter policy ({@code ""} or {@code {}}) removed, and the filter policy valid for its scope.
     */
    private Map<String, String> checkedSubscriptionAttributes(Map<String, String> given) {
        Map<String, String> attributes = new TreeMap<>();
        given.forEach((name, value) -> {
            if (!SUBSCRIPTION_ATTRIBUTES.contains(name)) {
                throw SnsException.invalidParameter("Attributes Reason: unknown subscription attribute " + name);
            }
            if (name.equals("RawMessageDelivery")) {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw SnsException.invalidParameter("Attributes Reason: RawMessageDelivery: must be true or false");
                }
                attributes.put(name, value.toLowerCase());
            } else if (!name.equals("FilterPolicy") || !isEmptyPolicy(value)) {
                attributes.put(name, value);
            }
        });
        FilterPolicy.Scope scope;
        try {
            scope = FilterPolicy.Scope.of(attributes.get("FilterPolicyScope"));
        } catch (IllegalArgumentException e) {
            throw SnsException.invalidParameter("Attributes Reason: " + e.getMessage());
        }
        String policy = attributes.get("FilterPolicy");
        if (policy != null) {
            try {
                FilterPolicy.parse(policy, scope, json);
            } catch (IllegalArgumentException e) {
                throw SnsException.invalidParameter("Filter policy: " + e.getMessage());
            }
        }
        return attributes;
    }

    private static boolean isEmptyPolicy(String policy) {
        return policy.isBlank() || policy.replaceAll("\\s", "").equals("{}");
    }

    private XmlWriter listSubscriptions(QueryRequest request) {
        return subscriptionPage(registry.listSubscriptions(null, request.get("NextToken"), PAGE_SIZE));
    }

    private XmlWriter listSubscriptionsByTopic(QueryRequest request) {
        String topicArn = checkedTopicArn(request.require("TopicArn"));
        return subscriptionPage(registry.listSubscriptions(topicArn, request.get("NextToken"), PAGE_SIZE));
    }

    private XmlWriter subscriptionPage(SnsRegistry.Page<SnsSubscription> page) {
        XmlWriter xml = new XmlWriter().open("Subscriptions");
        page.items().forEach(subscription -> xml.open("member")
                .element("SubscriptionArn", subscription.arn())
                .element("Owner", accountId)
                .element("Protocol", subscription.protocol())
                .element("Endpoint", subscription.endpoint())
                .element("TopicArn", subscription.topicArn())
                .close("member"));
        return xml.close("Subscriptions").element("NextToken", page.nextToken());
    }

    // ---- publishing

    private XmlWriter publish(QueryRequest request) {
        if (request.get("PhoneNumber") != null) {
            throw SnsException.invalidParameter("PhoneNumber Reason: SMS is not supported by this server");
        }
        String topicArn = request.get("TopicArn");
        String targetArn = request.get("TargetArn");
        if (topicArn != null && targetArn != null) {
            throw SnsException.invalidParameter("TopicArn or TargetArn Reason: both are given, only one is allowed");
        }
        String arn = topicArn != null ? topicArn : targetArn;
        if (arn == null || arn.isEmpty()) {
            throw SnsException.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
        }
        SnsTopic topic = registry.requireTopic(checkedTopicArn(arn));
        if (size(request) > MAX_MESSAGE_BYTES) {
            throw SnsException.invalidParameter("Message too long");
        }
        SnsMessage message = message(topic, request);
        delivery.deliver(message, registry.subscriptionsOf(topic.arn()));
        return new XmlWriter()
                .element("MessageId", message.messageId())
                .element("SequenceNumber", message.sequenceNumber());
    }

    private XmlWriter publishBatch(QueryRequest request) {
        SnsTopic topic = registry.requireTopic(checkedTopicArn(request.require("TopicArn")));
        List<QueryRequest> entries = request.indexed("PublishBatchRequestEntries.member");
        if (entries.isEmpty()) {
            throw new SnsException(400, "EmptyBatchRequest", "The batch request doesn't contain any entries.");
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw new SnsException(400, "TooManyEntriesInBatchRequest",
                    "The batch request contains more entries than permissible.");
        }
        Set<String> ids = new HashSet<>();
        long totalSize = 0;
        for (QueryRequest entry : entries) {
            String id = entry.get("Id");
            if (id == null || !BATCH_ENTRY_ID.matcher(id).matches()) {
                throw new SnsException(400, "InvalidBatchEntryId",
                        "The Id of a batch entry in a batch request doesn't abide by the specification.");
            }
            if (!ids.add(id)) {
                throw new SnsException(400, "BatchEntryIdsNotDistinct",
                        "Two or more batch entries in the request have the same Id.");
            }
            totalSize += size(entry);
        }
        if (totalSize > MAX_MESSAGE_BYTES) {
            throw new SnsException(400, "BatchRequestTooLong",
                    "The length of all the messages put together is more than the limit.");
        }

        List<SnsSubscription> subscriptions = registry.subscriptionsOf(topic.arn());
        XmlWriter successful = new XmlWriter().open("Successful");
        XmlWriter failed = new XmlWriter().open("Failed");
        for (QueryRequest entry : entries) {
            String id = entry.get("Id");
            SnsMessage message;
            try {
                message = message(topic, entry);
            } catch (SnsException e) {
                failed.open("member")
                        .element("Id", id)
                        .element("Code", e.code())
                        .element("Message", e.getMessage())
                        .element("SenderFault", String.valueOf(e.status() < 500))
                        .close("member");
                continue;
            }
            delivery.deliver(message, subscriptions);
            successful.open("member")
                    .element("Id", id)
                    .element("MessageId", message.messageId())
                    .element("SequenceNumber", message.sequenceNumber())
                    .close("member");
        }
        return successful.close("Successful").append(failed.close("Failed"));
    }

    /** Reads and checks one message of Publish or of a PublishBatch entry. */
    private SnsMessage message(SnsTopic topic, QueryRequest request) {
        String body = request.get("Message");
        if (body == null || body.isEmpty()) {
            throw SnsException.invalidParameter("Empty message");
        }
        String subject = request.get("Subject");
        if (subject != null && (subject.isEmpty() || subject.length() > 100
                || subject.chars().anyMatch(c -> c < 0x20 || c > 0x7E))) {
            throw SnsException.invalidParameter("Subject");
        }
        Map<String, MessageAttribute> attributes = MessageAttribute.parse(request, json);
        String sqsMessage = messageForSqs(body, request.get("MessageStructure"));

        String groupId = null;
        String deduplicationId = request.get("MessageDeduplicationId");
        String sequenceNumber = null;
        if (topic.fifo()) {
            groupId = request.get("MessageGroupId");
            if (groupId == null || groupId.isEmpty()) {
                throw SnsException.invalidParameter("The MessageGroupId parameter is required for FIFO topics");
            }
            if (deduplicationId == null || deduplicationId.isEmpty()) {
                if (!topic.contentBasedDeduplication()) {
                    throw SnsException.invalidParameter("The topic should either have ContentBasedDeduplication "
                            + "enabled or MessageDeduplicationId provided explicitly");
                }
                deduplicationId = sha256(body);
            }
            sequenceNumber = String.format("%020d", sequence.incrementAndGet());
        } else if (deduplicationId != null) {
            throw SnsException.invalidParameter("MessageDeduplicationId Reason: The request includes "
                    + "MessageDeduplicationId parameter that is not valid for this topic type");
        }
        return new SnsMessage(UUID.randomUUID().toString(), topic.arn(), subject, sqsMessage,
                new LinkedHashMap<>(attributes), groupId, deduplicationId, sequenceNumber, Instant.now());
    }

    /** With {@code MessageStructure=json} the message is a JSON object: its {@code sqs} entry, else {@code default}. */
    private String messageForSqs(String body, String structure) {
        if (structure == null || structure.isEmpty()) {
            return body;
        }
        if (!structure.equals("json")) {
            throw SnsException.invalidParameter("MessageStructure");
        }
        JsonNode perProtocol;
        try {
            perProtocol = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw SnsException.invalidParameter("Message Structure - JSON message body failed to parse");
        }
        if (perProtocol == null || !perProtocol.isObject() || !perProtocol.path("default").isTextual()) {
            throw SnsException.invalidParameter("Message Structure - No default entry in JSON message body");
        }
        JsonNode sqs = perProtocol.path("sqs");
        return sqs.isTextual() ? sqs.textValue() : perProtocol.get("default").textValue();
    }

    /**
     * The bytes SNS counts against its message size limit: the message and the names, types and values of
     * its attributes (binary values at their decoded size). Nothing is checked here.
     */
    private static long size(QueryRequest request) {
        long size = utf8Length(request.get("Message"));
        for (QueryRequest attribute : request.indexed("MessageAttributes.entry")) {
            size += utf8Length(attribute.get("Name")) + utf8Length(attribute.get("Value.DataType"))
                    + utf8Length(attribute.get("Value.StringValue"));
            String binary = attribute.get("Value.BinaryValue");
            size += binary == null ? 0 : binary.length() * 3L / 4;
        }
        return size;
    }

    private static long utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    // ---- names

    private String topicArn(String name) {
        return "arn:aws:sns:" + region + ":" + accountId + ":" + name;
    }

    private static String checkedTopicArn(String arn) {
        if (!TOPIC_ARN.matcher(arn).matches()) {
            throw SnsException.invalidParameter("TopicArn");
        }
        return arn;
    }

    private static String checkedSubscriptionArn(String arn) {
        if (!SUBSCRIPTION_ARN.matcher(arn).matches()) {
            throw SnsException.invalidParameter("SubscriptionArn");
        }
        return arn;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
