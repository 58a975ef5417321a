package routes.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import routes.config.CaravanProperties;
import routes.config.CaravanProperties.QueueSpec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Queue depth, in-flight count and DLQ depth of every queue as Prometheus gauges
 * ({@code caravan_queue_messages{queue=...,state=waiting|in_flight}}, {@code caravan_queue_dead_letters}), read
 * from SQS on a schedule so a scrape never waits on SQS.
 */
public class QueueMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);

    private final SqsClient sqs;
    private final CaravanProperties properties;
    private final Map<String, Double> values = new ConcurrentHashMap<>();

    public QueueMetrics(SqsClient sqs, CaravanProperties properties, MeterRegistry registry) {
        this.sqs = sqs;
        this.properties = properties;
        for (QueueSpec queue : properties.queues()) {
            gauge(registry, "caravan.queue.messages", queue.name(), "waiting", "Messages waiting on the queue");
            gauge(registry, "caravan.queue.messages", queue.name(), "in_flight", "Messages received, not yet deleted");
            gauge(registry, "caravan.queue.dead.letters", queue.name(), null, "Messages on the queue's dead-letter queue");
        }
    }

    private void gauge(MeterRegistry registry, String name, String queue, String state, String description) {
        String key = key(name, queue, state);
        values.put(key, Double.NaN);
        Gauge.Builder<Map<String, Double>> gauge = Gauge.builder(name, values, v -> v.getOrDefault(key, Double.NaN))
                .description(description).tag("queue", queue);
        if (state != null) {
            gauge.tag("state", state);
        }
        gauge.register(registry);
    }

    @Scheduled(fixedDelayString = "${caravan.metrics.queue-poll-ms:15000}", initialDelay = 0)
    public void refresh() {
        for (QueueSpec queue : properties.queues()) {
            try {
                Map<QueueAttributeName, String> work = attributes(queue.name());
                values.put(key("caravan.queue.messages", queue.name(), "waiting"),
                        number(work.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
                values.put(key("caravan.queue.messages", queue.name(), "in_flight"),
                        number(work.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
                Map<QueueAttributeName, String> dead = attributes(properties.messaging().dlqName(queue));
                values.put(key("caravan.queue.dead.letters", queue.name(), null),
                        number(dead.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
            } catch (RuntimeException e) {
                LOG.debug("queue metrics of {} not read: {}", queue.name(), e.toString());
            }
        }
    }

    private Map<QueueAttributeName, String> attributes(String name) {
        String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    }

    private static double number(String value) {
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    private static String key(String name, String queue, String state) {
        return name + "|" + queue + "|" + state;
    }
}
