package routes.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A provisioned queue hands a message nobody works off out max-receive-count + spare-receives times, then SQS moves it
 * to its DLQ (the routes park a failing step's task themselves on its last receive; this is the queue's backstop).
 */
class QueueRedriveTest extends CaravanTestSupport {

    @Autowired
    SqsClient sqs;
    @Autowired
    CaravanProperties properties;

    @Autowired
    AwsProvisioner provisioner;

    @Test
    void aMessageThatKeepsFailingMovesToTheDeadLetterQueue() {
        // a queue of this test's own, made as provisioning makes every queue, so no worker route reads it
        CaravanProperties.QueueSpec queue = new CaravanProperties.QueueSpec(
                "redrive-" + UUID.randomUUID().toString().substring(0, 8), false, null, true);
        provisioner.provisionQueue(queue);
        String url = sqs.getQueueUrl(r -> r.queueName(queue.name())).queueUrl();
        String dlqUrl = sqs.getQueueUrl(r -> r.queueName(properties.messaging().dlqName(queue))).queueUrl();
        String body = "poison " + UUID.randomUUID();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));

        int receives = properties.messaging().maxReceiveCount() + properties.messaging().spareReceives();
        for (int attempt = 1; attempt <= receives; attempt++) {
            Message received = receiveOne(url, body);
            assertThat(received).as("receive %d", attempt).isNotNull();
            assertThat(received.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .isEqualTo(Integer.toString(attempt));
            // a worker that fails gives the message back at once
            sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(received.receiptHandle())
                    .visibilityTimeout(0));
        }

        assertThat(receiveOne(url, body)).as("no longer on the work queue").isNull();
        Message parked = receiveOne(dlqUrl, body);
        assertThat(parked).as("parked on the DLQ").isNotNull();
        assertThat(parked.body()).isEqualTo(body);
    }

    private Message receiveOne(String url, String body) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        return messages.stream().filter(m -> m.body().equals(body)).findFirst().orElse(null);
    }
}
