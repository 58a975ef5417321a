package routes.embedded.sns;

import java.time.Instant;
import java.util.Map;

/**
 * A message accepted by Publish or PublishBatch, ready for delivery.
 *
 * @param message the text delivered to SQS subscribers (for {@code MessageStructure=json}, the {@code sqs}
 *     or else the {@code default} entry)
 * @param subject null when not given
 * @param messageGroupId FIFO topics only, else null
 * @param deduplicationId FIFO topics only, else null
 * @param sequenceNumber FIFO topics only, else null
 */
record SnsMessage(
        String messageId,
        String topicArn,
        String subject,
        String message,
        Map<String, MessageAttribute> attributes,
        String messageGroupId,
        String deduplicationId,
        String sequenceNumber,
        Instant timestamp) {
}
