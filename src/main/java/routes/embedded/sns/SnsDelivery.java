package routes.embedded.sns;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Fans a published message out to the SQS queues subscribed to its topic, as SNS does: each subscription
 * whose filter policy matches gets the message, as the JSON envelope or, with raw message delivery, as the
 * bare message with the SNS message attributes turned into SQS message attributes. A failed delivery is
 * logged and does not stop the others.
 */
final class SnsDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SnsDelivery.class);

    private final SqsClient sqs;
    private final SnsEnvelope envelope;
    private final ObjectMapper json;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final Map<String, FilterPolicy> policies = new ConcurrentHashMap<>();

    SnsDelivery(SqsClient sqs, SnsEnvelope envelope, ObjectMapper json) {
        this.sqs = sqs;
        this.envelope = envelope;
        this.json = json;
    }

    /** Delivers to every matching subscription before returning. */
    void deliver(SnsMessage message, List<SnsSubscription> subscriptions) {
        for (SnsSubscription subscription : subscriptions) {
            try {
                if (accepts(subscription, message)) {
                    send(subscription, message);
                }
            } catch (RuntimeException e) {
                queueUrls.remove(subscription.queueName());
                LOG.warn("Could not deliver SNS message {} to {} ({})", message.messageId(), subscription.endpoint(),
                        subscription.arn(), e);
            }
        }
    }

    private boolean accepts(SnsSubscription subscription, SnsMessage message) {
        String policy = subscription.filterPolicy();
        if (policy == null) {
            return true;
        }
        FilterPolicy.Scope scope = subscription.filterPolicyScope();
        FilterPolicy filter = policies.computeIfAbsent(scope + " " + policy,
                key -> FilterPolicy.parse(policy, scope, json));
        return filter.matches(message.attributes(), message.message());
    }

    private void send(SnsSubscription subscription, SnsMessage message) {
        String queueName = subscription.queueName();
        SendMessageRequest.Builder request = SendMessageRequest.builder().queueUrl(queueUrl(queueName));
        if (subscription.rawMessageDelivery()) {
            request.messageBody(message.message()).messageAttributes(sqsAttributes(message.attributes()));
        } else {
            request.messageBody(envelope.notification(message, subscription.arn()));
        }
        if (queueName.endsWith(".fifo")) {
            request.messageGroupId(message.messageGroupId()).messageDeduplicationId(message.deduplicationId());
        }
        sqs.sendMessage(request.build());
    }

    private String queueUrl(String queueName) {
        return queueUrls.computeIfAbsent(queueName, name -> sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    }

    private static Map<String, MessageAttributeValue> sqsAttributes(Map<String, MessageAttribute> attributes) {
        Map<String, MessageAttributeValue> sqsAttributes = new LinkedHashMap<>();
        attributes.forEach((name, attribute) -> {
            MessageAttributeValue.Builder value = MessageAttributeValue.builder().dataType(attribute.dataType());
            if (attribute.binary()) {
                value.binaryValue(SdkBytes.fromByteArray(attribute.binaryValue()));
            } else {
                value.stringValue(attribute.stringValue());
            }
            sqsAttributes.put(name, value.build());
        });
        return sqsAttributes;
    }
}
