package routes.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An operator sees what is on a DLQ and moves it back to its work queue; queue depths show in Prometheus. */
class DeadLettersApiTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    SqsClient sqs;
    @Autowired
    QueueMetrics metrics;

    @Autowired
    CamelContext camel;

    @Test
    void aParkedMessageIsListedAndRedriven() throws Exception {
        // the queue's consumer is held, so what is moved back stays there to be checked
        camel.getRouteController().stopRoute("media-transcode");
        try {
            listAndRedrive();
        } finally {
            camel.getRouteController().startRoute("media-transcode");
        }
    }

    private void listAndRedrive() {
        Http http = new Http(port);
        String queue = "caravan-transcode";
        String dlqUrl = sqs.getQueueUrl(r -> r.queueName(queue + "-dlq")).queueUrl();
        String body = "{\"parked\":\"" + UUID.randomUUID() + "\"}";
        sqs.sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body).messageAttributes(Map.of("assetId",
                MessageAttributeValue.builder().dataType("String").stringValue("a-1").build())));

        JsonNode overview = Http.json(http.get("/api/v1/ops/queues"));
        assertThat(overview.findValuesAsText("queue")).contains(queue, "caravan-image-tasks");

        JsonNode parked = Http.json(http.get("/api/v1/ops/queues/" + queue + "/dead-letters"));
        assertThat(parked.findValuesAsText("body")).contains(body);

        var redriveResponse = http.postJson("/api/v1/ops/queues/" + queue + "/redrive", "");
        assertThat(redriveResponse.statusCode()).as(redriveResponse.body()).isEqualTo(200);
        JsonNode redriven = Http.json(redriveResponse);
        assertThat(redriven.get("moved").asInt()).isGreaterThanOrEqualTo(1);

        assertThat(Http.json(http.get("/api/v1/ops/queues/" + queue + "/dead-letters")).findValuesAsText("body"))
                .as("gone from the DLQ").doesNotContain(body);
        String workUrl = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        Map<QueueAttributeName, String> depth = sqs.getQueueAttributes(r -> r.queueUrl(workUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        assertThat(depth.values().stream().mapToLong(Long::parseLong).sum()).as("back on the work queue")
                .isGreaterThanOrEqualTo(1);
        List<Message> back = sqs.receiveMessage(r -> r.queueUrl(workUrl).waitTimeSeconds(1).maxNumberOfMessages(10)
                .messageAttributeNames("All")).messages();
        back.stream().filter(m -> m.body().equals(body)).forEach(m -> {
            assertThat(m.messageAttributes().get("assetId").stringValue()).isEqualTo("a-1");
            sqs.deleteMessage(r -> r.queueUrl(workUrl).receiptHandle(m.receiptHandle()));
        });
    }

    @Test
    void queueDepthsAreInPrometheus() {
        String dlqUrl = sqs.getQueueUrl(r -> r.queueName("caravan-thumbnails-dlq")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(dlqUrl).messageBody("stuck"));
        metrics.refresh();

        String scrape = new Http(port).get("/actuator/prometheus").body();
        assertThat(scrape).contains("caravan_queue_messages{queue=\"caravan-probe\",state=\"waiting\"}");
        assertThat(scrape).containsPattern("caravan_queue_dead_letters\\{queue=\"caravan-thumbnails\"} [1-9]");
    }

    @Test
    void unknownQueuesAndBadLimitsAreRefused() {
        Http http = new Http(port);
        assertProblem(http.get("/api/v1/ops/queues/nope/dead-letters"), 404, "not-found");
        assertProblem(http.get("/api/v1/ops/queues/caravan-probe/dead-letters?max=500"), 400, "bad-limit");
    }
}
