package routes.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.support.CaravanTestSupport;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * An event published on the topic by the event-publish route reaches each queue whose filter policy matches, and
 * only those; the event-log route consumes what the topic delivered to its queue.
 */
class TopicFanoutTest extends CaravanTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    SqsClient sqs;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anUploadedVideoReachesTheProbeQueueButNotTheSpeechQueue() throws Exception {
        String assetId = UUID.randomUUID().toString();
        producer.sendBodyAndHeaders("direct:event-publish", Map.of("assetId", assetId, "key", "uploads/a.mp4"),
                Map.of("eventType", "asset.uploaded", "assetId", assetId, "mediaKind", "video",
                        "Content-Type", "text/plain"));

        Message probe = receive("caravan-probe", assetId, 5);
        assertThat(probe).as("delivered to caravan-probe").isNotNull();
        JsonNode event = json.readTree(probe.body());
        assertThat(event.get("assetId").asText()).isEqualTo(assetId);
        // raw delivery: SNS message attributes arrive as SQS message attributes, and only the event headers
        assertThat(probe.messageAttributes()).containsOnlyKeys("eventType", "assetId", "mediaKind");
        assertThat(probe.messageAttributes().get("eventType").stringValue()).isEqualTo("asset.uploaded");

        assertThat(receive("caravan-stt", assetId, 1)).as("kept out of caravan-stt by its filter policy").isNull();
    }

    @Test
    void theEventLogRouteConsumesWhatTheTopicDelivered() {
        String assetId = UUID.randomUUID().toString();
        NotifyBuilder logged = new NotifyBuilder(camel).fromRoute("event-log")
                .filter(e -> assetId.equals(e.getMessage().getHeader("assetId"))).whenCompleted(1).create();

        producer.sendBodyAndHeaders("direct:event-publish", Map.of("assetId", assetId),
                Map.of("eventType", "image.task", "assetId", assetId));

        assertThat(logged.matches(20, TimeUnit.SECONDS)).as("event-log consumed the event").isTrue();
    }

    private Message receive(String queue, String assetId, int waitSeconds) {
        String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(waitSeconds)
                .maxNumberOfMessages(10).messageAttributeNames("All")).messages();
        for (Message message : messages) {
            sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
        }
        return messages.stream().filter(m -> m.body().contains(assetId)).findFirst().orElse(null);
    }
}
