package routes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The wait of a message on its queue: receive time minus SentTimestamp, one timer per queue. */
class QueueWaitTimesTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    QueueWaitTimes waits = new QueueWaitTimes(registry, Clock.fixed(NOW, ZoneOffset.UTC),
            List.of("caravan-probe", "caravan-transcode"));

    @Test
    void everyQueueHasItsTimerFromTheStart() {
        assertThat(registry.find("caravan.queue.wait").timers()).extracting(t -> t.getId().getTag("queue"))
                .containsExactlyInAnyOrder("caravan-probe", "caravan-transcode");
        assertThat(timer("caravan-probe").count()).isZero();
    }

    @Test
    void aReceiveRecordsTheTimeSinceTheMessageWasSent() {
        waits.record("caravan-transcode", NOW.toEpochMilli() - 90_000);
        waits.record("caravan-transcode", NOW.toEpochMilli() - 1_500);

        Timer timer = timer("caravan-transcode");
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(91_500);
        assertThat(timer.max(TimeUnit.SECONDS)).isEqualTo(90);
        assertThat(timer("caravan-probe").count()).isZero();
    }

    @Test
    void aSendTimeAheadOfOurClockCountsAsNoWait() {
        waits.record("caravan-probe", NOW.toEpochMilli() + 800);
        assertThat(timer("caravan-probe").count()).isEqualTo(1);
        assertThat(timer("caravan-probe").totalTime(TimeUnit.MILLISECONDS)).isZero();
    }

    @Test
    void aQueueNotConfiguredGetsItsTimerAtItsFirstReceive() {
        waits.record("operator-queue", NOW.toEpochMilli() - 10);
        assertThat(timer("operator-queue").count()).isEqualTo(1);
    }

    @Test
    void theSentTimestampIsReadFromTheConsumersAttributesHeader() {
        assertThat(QueueWaitTimes.sentTimestamp(Map.of(MessageSystemAttributeName.SENT_TIMESTAMP, "1700000000123",
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"))).isEqualTo(1_700_000_000_123L);
        assertThat(QueueWaitTimes.sentTimestamp(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")))
                .isNull();
        assertThat(QueueWaitTimes.sentTimestamp(Map.of(MessageSystemAttributeName.SENT_TIMESTAMP, "soon"))).isNull();
        assertThat(QueueWaitTimes.sentTimestamp(null)).isNull();
    }

    private Timer timer(String queue) {
        return registry.get("caravan.queue.wait").tag("queue", queue).timer();
    }
}
