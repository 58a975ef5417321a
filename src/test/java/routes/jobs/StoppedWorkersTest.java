package routes.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.support.TestImages;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A task whose every receive ended with its worker gone (killed, out of memory, taken down by the file) is not left
 * for SQS to move silently to the dead-letter queue, which would leave its job RUNNING for ever: the next worker to
 * get it ends the step FAILED with the reason, the job ends, and the task is parked on the DLQ for an operator.
 */
class StoppedWorkersTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Autowired
    JobStore jobs;
    @Autowired
    SqsClient sqs;
    @Autowired
    CaravanProperties properties;

    @Test
    void aTaskWhoseWorkersAllStoppedEndsItsJobFailedAndIsParked() throws Exception {
        Http http = new Http(port, token());
        String assetId = Http.json(http.post("/api/v1/assets?filename=dot.jpg", "image/jpeg",
                TestImages.jpeg(40, 30, Color.GREEN))).get("id").asText();
        String jobId = Http.json(http.get("/api/v1/jobs?assetId=" + assetId)).at("/items/0/id").asText();
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.find(jobId).orElseThrow().status().terminal());

        // the job as workers left it that were killed in the middle of its image-probe step
        jobs.update(jobId, job -> new Job(job.id(), job.assetId(), job.owner(), job.kind(), JobStatus.RUNNING, 0,
                job.operations(), job.steps().stream().map(s -> JobStep.queued(s.name(), s.share(), s.after())
                        .running()).toList(),
                null, null, job.createdAt(), job.updatedAt(), job.version()));

        String queue = "caravan-image-probe";
        String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        String dlqUrl = sqs.getQueueUrl(r -> r.queueName(queue + properties.messaging().dlqSuffix())).queueUrl();
        String task = "{\"jobId\":\"" + jobId + "\",\"assetId\":\"" + assetId + "\"}";
        int receives = properties.messaging().maxReceiveCount();
        camel.getRouteController().stopRoute("image-probe");
        try {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(task));
            // every receive the routes allow, each by a worker that died holding the task
            for (int receive = 1; receive <= receives; receive++) {
                Message held = Awaitility.await().atMost(Duration.ofMinutes(1))
                        .until(() -> receiveOne(url, task), m -> m != null);
                assertThat(held.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                        .isEqualTo(Integer.toString(receive));
                sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(held.receiptHandle())
                        .visibilityTimeout(0));
            }
        } finally {
            camel.getRouteController().startRoute("image-probe");
        }

        Job ended = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.status().terminal());
        assertThat(ended.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ended.step("image-probe").status()).isEqualTo(JobStatus.FAILED);
        assertThat(ended.error()).contains("gave up after " + (receives + 1) + " receives")
                .contains("workers that took the step stopped");

        Message parked = Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> receiveOne(dlqUrl, task),
                m -> m != null);
        assertThat(parked.body()).isEqualTo(task);
        assertThat(receiveOne(url, task)).as("gone from the work queue").isNull();
    }

    private Message receiveOne(String url, String body) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        return messages.stream().filter(m -> m.body().equals(body)).findFirst().orElse(null);
    }
}
