package routes.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Optimistic locking on the jobs table: of two writers that read the same version, exactly one wins. */
class ConditionalWriteTest extends CaravanTestSupport {

    @Autowired
    DynamoDbClient dynamoDb;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    CaravanProperties properties;

    @Test
    void theSecondWriterOfTheSameVersionLosesTheRace() throws Exception {
        String table = properties.tables().jobs();
        String id = "job-" + UUID.randomUUID();
        // written through Camel's aws2-ddb component
        producer.sendBodyAndHeaders("aws2-ddb:" + table + "?operation=PutItem&enabledInitialDescribeTable=false", null,
                Map.of(Ddb2Constants.OPERATION, Ddb2Operations.PutItem, Ddb2Constants.ITEM, Map.of(
                        "id", AttributeValue.fromS(id),
                        "status", AttributeValue.fromS("QUEUED"),
                        "version", AttributeValue.fromN("1"))));

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (String status : List.of("RUNNING", "CANCELLED")) {
            Callable<Boolean> writer = () -> {
                start.await();
                try {
                    dynamoDb.updateItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))
                            .updateExpression("SET #s = :status, version = :next")
                            .conditionExpression("version = :seen")
                            .expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status),
                                    ":seen", AttributeValue.fromN("1"), ":next", AttributeValue.fromN("2"))));
                    return true;
                } catch (ConditionalCheckFailedException lost) {
                    return false;
                }
            };
            outcomes.add(pool.submit(writer));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> outcome : outcomes) {
            winners += outcome.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(winners).isEqualTo(1);
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true)).item();
        assertThat(item.get("version").n()).isEqualTo("2");
        assertThat(item.get("status").s()).isIn("RUNNING", "CANCELLED");
    }
}
