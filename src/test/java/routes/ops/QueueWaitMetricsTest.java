package routes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A message held back on its queue is timed from its send to its receive, and the timer is in Prometheus. */
class QueueWaitMetricsTest extends CaravanTestSupport {

    static final String QUEUE = "caravan-events-log";

    @LocalServerPort
    int port;
    @Autowired
    SqsClient sqs;
    @Autowired
    MeterRegistry registry;
    @Autowired
    CamelContext camel;

    @Test
    void aDelayedMessageIsTimedFromItsSendToItsReceive() {
        Timer timer = registry.get("caravan.queue.wait").tag("queue", QUEUE).timer();
        long countBefore = timer.count();
        double secondsBefore = timer.totalTime(TimeUnit.SECONDS);
        String marker = UUID.randomUUID().toString();
        NotifyBuilder received = new NotifyBuilder(camel).fromRoute("event-log")
                .filter(e -> e.getMessage().getBody(String.class).contains(marker)).whenDone(1).create();

        // SQS keeps the message invisible for 2 s after its send: it waits at least that long
        String url = sqs.getQueueUrl(r -> r.queueName(QUEUE)).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("{\"marker\":\"" + marker + "\"}").delaySeconds(2));

        assertThat(received.matches(3, TimeUnit.MINUTES)).as("the event-log route received it").isTrue();
        assertThat(timer.count()).isGreaterThan(countBefore);
        assertThat(timer.totalTime(TimeUnit.SECONDS) - secondsBefore).isGreaterThanOrEqualTo(2.0);
        assertThat(timer.max(TimeUnit.SECONDS)).isBetween(2.0, 30.0);

        String scrape = new Http(port).get("/actuator/prometheus").body();
        assertThat(scrape).containsPattern("caravan_queue_wait_seconds_count\\{queue=\"" + QUEUE + "\"} [1-9]")
                .containsPattern("caravan_queue_wait_seconds_max\\{queue=\"" + QUEUE + "\"} [2-9]")
                .contains("caravan_queue_wait_seconds_bucket{queue=\"" + QUEUE + "\",le=\"5.0\"}")
                .contains("caravan_queue_wait_seconds_count{queue=\"caravan-transcode\"}");
    }
}
