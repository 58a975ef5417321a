package routes.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.usage.UsageEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Usage messages gathered into a batch for the data lake (an aggregation strategy: each message's event and its
 * receipt handle), and the batch's messages deleted from their queue once its files are written: a stop in between
 * leaves them on the queue, to be written again (the event ids tell the copies apart).
 */
public class UsageBatches implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(UsageBatches.class);

    private final ObjectMapper json;
    private final SqsClient sqs;

    public UsageBatches(ObjectMapper json, SqsClient sqs) {
        this.json = json;
        this.sqs = sqs;
    }

    /** Events read from the queue, and the receipt handles of their messages. */
    public record Batch(List<UsageEvent> events, List<String> receipts) {
    }

    @Override
    public Exchange aggregate(Exchange batch, Exchange message) {
        Exchange into = batch == null ? message : batch;
        Batch gathered = batch == null ? new Batch(new ArrayList<>(), new ArrayList<>())
                : batch.getMessage().getBody(Batch.class);
        String receipt = message.getMessage().getHeader("CamelAwsSqsReceiptHandle", String.class);
        try {
            gathered.events().add(json.readValue(message.getMessage().getBody(String.class), UsageEvent.class));
        } catch (IOException | RuntimeException unreadable) {
            // not an event: dropped from the lake (and from the queue with the batch), said once here
            LOG.warn("usage message dropped, not a usage event: {}", unreadable.getMessage());
        }
        if (receipt != null) {
            gathered.receipts().add(receipt);
        }
        into.getMessage().setBody(gathered);
        return into;
    }

    /** Deletes the batch's messages from {@code queue}, ten at a time. */
    public int delete(String queue, List<String> receipts) {
        String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        int deleted = 0;
        for (int from = 0; from < receipts.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(receipts.size(), from + 10); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(receipts.get(i)).build());
            }
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(entries));
            deleted += response.successful().size();
            if (!response.failed().isEmpty()) {
                LOG.warn("{} usage messages not deleted (they come back and are written again): {}",
                        response.failed().size(), response.failed().get(0).message());
            }
        }
        return deleted;
    }
}
