package routes.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.problems.Refusal;
import routes.config.CaravanProperties;
import routes.config.CaravanProperties.QueueSpec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What an operator needs of the dead-letter queues: how full each is, what is in one, and moving its messages back
 * to the work queue once the cause is fixed (redrive). Messages keep their body and attributes when moved.
 */
public class DeadLetters {

    public static final int MAX_PEEK = 10;
    public static final int MAX_REDRIVE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final SqsClient sqs;
    private final CaravanProperties properties;

    public DeadLetters(SqsClient sqs, CaravanProperties properties) {
        this.sqs = sqs;
        this.properties = properties;
    }

    /** A work queue: how many messages wait on it and on its dead-letter queue. */
    public record QueueDepth(String queue, String deadLetterQueue, long messages, long deadLetters) {
    }

    /** A message of a dead-letter queue, as it was sent, with how often it was received. */
    public record DeadLetter(String messageId, String body, Map<String, String> attributes, String receiveCount,
            String sentTimestamp) {
    }

    /** How many messages a redrive moved back to their queue. */
    public record Redriven(String queue, int moved) {
    }

    /** Every work queue with its depth and its DLQ's depth. */
    public List<QueueDepth> overview() {
        List<QueueDepth> queues = new ArrayList<>();
        for (QueueSpec queue : properties.queues()) {
            String dlq = properties.messaging().dlqName(queue);
            queues.add(new QueueDepth(queue.name(), dlq, depth(queue.name()), depth(dlq)));
        }
        return queues;
    }

    /** Up to {@code max} messages of a queue's DLQ, for a look. They stay on the DLQ, visible again at once. */
    public List<DeadLetter> peek(String queue, Integer max) {
        String dlqUrl = url(dlqOf(queue));
        int count = max == null ? MAX_PEEK : max;
        if (count < 1 || count > MAX_PEEK) {
            throw Refusal.invalid("bad-limit", "max must be between 1 and " + MAX_PEEK);
        }
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(count)
                .visibilityTimeout(5).waitTimeSeconds(1).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        List<DeadLetter> view = new ArrayList<>();
        for (Message message : messages) {
            sqs.changeMessageVisibility(r -> r.queueUrl(dlqUrl).receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
            Map<String, String> attributes = new LinkedHashMap<>();
            message.messageAttributes().forEach((name, value) -> attributes.put(name, value.stringValue()));
            view.add(new DeadLetter(message.messageId(), message.body(), attributes,
                    message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT),
                    message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)));
        }
        return view;
    }

    /** Moves up to {@code max} messages from the queue's DLQ back to the queue; returns how many moved. */
    public Redriven redrive(String queue, Integer max) {
        String dlqUrl = url(dlqOf(queue));
        String workUrl = url(queue);
        int limit = max == null ? MAX_REDRIVE : max;
        if (limit < 1 || limit > MAX_REDRIVE) {
            throw Refusal.invalid("bad-limit", "max must be between 1 and " + MAX_REDRIVE);
        }
        int moved = 0;
        while (moved < limit) {
            int batch = Math.min(10, limit - moved);
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(batch)
                    .visibilityTimeout(30).waitTimeSeconds(1).messageAttributeNames("All")).messages();
            if (messages.isEmpty()) {
                break;
            }
            for (Message message : messages) {
                sqs.sendMessage(r -> r.queueUrl(workUrl).messageBody(message.body())
                        .messageAttributes(message.messageAttributes()));
                sqs.deleteMessage(r -> r.queueUrl(dlqUrl).receiptHandle(message.receiptHandle()));
                moved++;
            }
        }
        LOG.info("redrove {} messages from {} to {}", moved, dlqOf(queue), queue);
        return new Redriven(queue, moved);
    }

    private String dlqOf(String queue) {
        QueueSpec spec = properties.queues().stream().filter(q -> q.name().equals(queue)).findFirst()
                .orElseThrow(() -> Refusal.notFound("queue", String.valueOf(queue)));
        return properties.messaging().dlqName(spec);
    }

    private String url(String name) {
        return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
    }

    /** Messages waiting (not in flight) on a queue. */
    public long depth(String name) {
        String url = url(name);
        String value = sqs.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return value == null ? 0 : Long.parseLong(value);
    }
}
