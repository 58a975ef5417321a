package routes.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

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
    void aParkedMessageIsListedAndRedrivenToItsWorker() throws Exception {
        Http http = new Http(port, adminToken());
        String queue = "caravan-transcode";
        String dlqUrl = sqs.getQueueUrl(r -> r.queueName(queue + "-dlq")).queueUrl();
        String jobId = UUID.randomUUID().toString();
        String body = "{\"jobId\":\"" + jobId + "\",\"assetId\":\"a-1\"}";
        sqs.sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body).messageAttributes(Map.of("assetId",
                MessageAttributeValue.builder().dataType("String").stringValue("a-1").build())));
        NotifyBuilder worked = new NotifyBuilder(camel).fromRoute("media-transcode")
                .filter(e -> e.getProperty("task", "", String.class).contains(jobId)).whenDone(1).create();

        JsonNode overview = Http.json(http.get("/api/v1/ops/queues"));
        assertThat(overview.findValuesAsText("queue")).contains(queue, "caravan-image-tasks");
        JsonNode parked = Http.json(http.get("/api/v1/ops/queues/" + queue + "/dead-letters"));
        assertThat(parked.findValuesAsText("body")).contains(body);
        assertThat(parked.findValuesAsText("assetId")).contains("a-1");

        var redriveResponse = http.postJson("/api/v1/ops/queues/" + queue + "/redrive", "");
        assertThat(redriveResponse.statusCode()).as(redriveResponse.body()).isEqualTo(200);
        assertThat(Http.json(redriveResponse).get("moved").asInt()).isGreaterThanOrEqualTo(1);

        assertThat(worked.matches(3, TimeUnit.MINUTES)).as("the worker got it back").isTrue();
        assertThat(Http.json(http.get("/api/v1/ops/queues/" + queue + "/dead-letters")).findValuesAsText("body"))
                .as("gone from the DLQ").doesNotContain(body);
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
        Http http = new Http(port, adminToken());
        assertProblem(http.get("/api/v1/ops/queues/nope/dead-letters"), 404, "not-found");
        assertProblem(http.get("/api/v1/ops/queues/caravan-probe/dead-letters?max=500"), 400, "bad-limit");
    }
}
