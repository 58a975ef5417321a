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
import routes.config.CaravanProperties;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
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
    @Autowired
    SnsClient sns;
    @Autowired
    CaravanProperties properties;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anEventReachesTheQueueWhoseFilterMatchesAndNoOther() throws Exception {
        // two queues of this test's own on the app's topic, so no worker route reads them
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String videos = subscribe("fanout-videos-" + suffix, "{\"eventType\":[\"asset.uploaded\"],\"mediaKind\":[\"video\"]}");
        String speech = subscribe("fanout-speech-" + suffix, "{\"eventType\":[\"audio.extracted\"]}");
        String assetId = UUID.randomUUID().toString();

        producer.sendBodyAndHeaders("direct:event-publish", Map.of("assetId", assetId, "key", "uploads/a.mp4"),
                Map.of("eventType", "asset.uploaded", "assetId", assetId, "mediaKind", "video",
                        "Content-Type", "text/plain"));

        Message delivered = receive(videos, assetId, 5);
        assertThat(delivered).as("delivered to the video queue").isNotNull();
        JsonNode event = json.readTree(delivered.body());
        assertThat(event.get("assetId").asText()).isEqualTo(assetId);
        // raw delivery: SNS message attributes arrive as SQS message attributes, and only the event headers
        assertThat(delivered.messageAttributes()).containsKeys("eventType", "assetId", "mediaKind")
                .doesNotContainKey("Content-Type");
        assertThat(delivered.messageAttributes().keySet())
                .isSubsetOf("eventType", "assetId", "mediaKind", "traceparent", "tracestate");
        assertThat(delivered.messageAttributes().get("eventType").stringValue()).isEqualTo("asset.uploaded");

        assertThat(receive(speech, assetId, 1)).as("kept out of the speech queue by its filter policy").isNull();
    }

    private String subscribe(String queue, String filterPolicy) {
        String url = sqs.createQueue(r -> r.queueName(queue)).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String topicArn = sns.listTopics().topics().stream().map(t -> t.topicArn())
                .filter(a -> a.endsWith(":" + properties.messaging().topic())).findFirst().orElseThrow();
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(arn)
                .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy", filterPolicy)));
        return queue;
    }

    @Test
    void theEventLogRouteConsumesWhatTheTopicDelivered() {
        String assetId = UUID.randomUUID().toString();
        NotifyBuilder logged = new NotifyBuilder(camel).fromRoute("event-log")
                .filter(e -> assetId.equals(e.getMessage().getHeader("assetId"))).whenCompleted(1).create();

        producer.sendBodyAndHeaders("direct:event-publish", Map.of("assetId", assetId),
                Map.of("eventType", "image.task", "assetId", assetId));

        assertThat(logged.matches(3, TimeUnit.MINUTES)).as("event-log consumed the event").isTrue();
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
