package routes.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCreatedEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * How long each message waited on its queue before a worker received it, as a timer per queue
 * ({@code caravan.queue.wait{queue=...}}; in Prometheus {@code caravan_queue_wait_seconds_count}, {@code _sum},
 * {@code _max} and {@code _bucket}).
 *
 * <p>The wait is the receive time minus the message's SQS {@code SentTimestamp}, which every queue consumer asks for
 * ({@code attributeNames: All} in routes.yaml). It is recorded for every exchange a route creates from an aws2-sqs
 * consumer, so routes an operator adds are measured too. A message received again (after a failed attempt) counts
 * from its first send, so its wait includes the earlier attempts and the visibility timeouts between them.
 *
 * <p>SQS does not tell the age of the oldest message still waiting (AWS has it only as the CloudWatch metric
 * ApproximateAgeOfOldestMessage), and looking at a message would count as a receive. The timer's max is the oldest
 * age seen at a receive; a queue whose consumers are stopped receives nothing, which
 * {@code caravan_queue_messages{state="waiting"}} shows instead.
 */
public class QueueWaitTimes extends EventNotifierSupport {

    /** The buckets of the Prometheus histogram: seconds to an hour. */
    static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)};

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** Registers the timers of these queues at once, so each is scraped from the start, at zero. */
    public QueueWaitTimes(MeterRegistry registry, Clock clock, Iterable<String> queues) {
        this.registry = registry;
        this.clock = clock;
        queues.forEach(this::timer);
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeCreatedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeCreatedEvent) event).getExchange();
        Endpoint from = exchange.getFromEndpoint();
        if (from instanceof Sqs2Endpoint sqs) {
            Long sent = sentTimestamp(exchange.getMessage().getHeader(Sqs2Constants.ATTRIBUTES));
            if (sent != null) {
                record(sqs.getConfiguration().getQueueName(), sent);
            }
        }
    }

    /** Records one receive now of a message of this queue sent at {@code sentMillis} (epoch milliseconds). */
    void record(String queue, long sentMillis) {
        // the queue's clock and ours may differ a little: a message is never recorded as sent in the future
        long waited = Math.max(0, clock.millis() - sentMillis);
        timer(queue).record(Duration.ofMillis(waited));
    }

    private Timer timer(String queue) {
        return timers.computeIfAbsent(queue, q -> Timer.builder("caravan.queue.wait")
                .description("Time from a message's send to its receive by a worker")
                .tag("queue", q)
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
    }

    /** SentTimestamp from the consumer's attributes header (its keys are MessageSystemAttributeName). */
    static Long sentTimestamp(Object attributes) {
        if (attributes instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ("SentTimestamp".equals(String.valueOf(entry.getKey())) && entry.getValue() != null) {
                    try {
                        return Long.parseLong(entry.getValue().toString());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
