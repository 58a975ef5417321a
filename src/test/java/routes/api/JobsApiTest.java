package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.jobs.JobService;
import routes.jobs.JobStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/** The job resource: idempotent create, read, cursor pagination with filters, cancel, and the refusals. */
class JobsApiTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    DynamoDbClient dynamoDb;
    @Autowired
    CaravanProperties properties;
    Http http;
    String assetId;
    /** The job the upload started (its pipeline: the image's probe). */
    String uploadJob;

    @BeforeEach
    void anAsset() {
        http = new Http(port, token());
        HttpResponse<String> created = http.post("/api/v1/assets?filename=a.png", "image/png", new byte[] {1, 2, 3});
        assetId = Http.json(created).get("id").asText();
        JsonNode started = Http.json(http.get("/api/v1/jobs?assetId=" + assetId)).get("items");
        assertThat(started).as("the upload's own job").hasSize(1);
        uploadJob = started.get(0).get("id").asText();
        assertThat(started.get(0).at("/steps/0/name").asText()).isEqualTo("image-probe");
    }

    @Test
    void aJobIsCreatedOncePerIdempotencyKey() {
        String key = "key-" + UUID.randomUUID();
        String body = "{\"assetId\":\"" + assetId + "\",\"operations\":[{\"width\":100},{\"width\":200}]}";

        HttpResponse<String> first = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key);
        HttpResponse<String> again = http.postJson("/api/v1/jobs", body, "Idempotency-Key", key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(again.headers().firstValue("Location")).hasValue(location);
        assertThat(first.headers().firstValue("Idempotency-Key")).as("request headers are not echoed").isEmpty();

        JsonNode job = Http.json(http.get(location));
        assertThat(job.get("assetId").asText()).isEqualTo(assetId);
        assertThat(job.get("steps")).hasSize(2);
        assertThat(job.at("/steps/0/name").asText()).isEqualTo("op-001");
        assertThat(job.get("progress").asInt()).isBetween(0, 100);
        assertThat(job.get("status").asText()).isIn("QUEUED", "RUNNING", "SUCCEEDED", "FAILED");
    }

    @Test
    void anIdempotencyKeyNamesOneRequest() {
        String key = "key-" + UUID.randomUUID();
        HttpResponse<String> first = http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"width\":100,\"height\":50}]}", "Idempotency-Key", key);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        // the same request, its keys in another order: the same job
        HttpResponse<String> same = http.postJson("/api/v1/jobs", "{\"operations\":[{\"height\":50,\"width\":100}],"
                + "\"assetId\":\"" + assetId + "\"}", "Idempotency-Key", key);
        assertThat(same.statusCode()).as(same.body()).isEqualTo(202);
        assertThat(Http.json(same).get("id").asText()).isEqualTo(Http.json(first).get("id").asText());
        // another request with the key: refused, and no job made
        assertProblem(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId
                + "\",\"operations\":[{\"width\":101,\"height\":50}]}", "Idempotency-Key", key), 422,
                "idempotency-key-reused");
        assertThat(Http.json(http.get("/api/v1/jobs?assetId=" + assetId)).get("items")).hasSize(2);
    }

    @Test
    void aKeyWhoseFirstRequestIsStillBeingProcessedIsAConflictUntilItIsStale() {
        String owner = Http.json(http.get("/api/v1/assets/" + assetId)).get("owner").asText();
        List<Map<String, Object>> operations = List.of(Map.of("width", 64));
        String body = "{\"assetId\":\"" + assetId + "\",\"operations\":[{\"width\":64}]}";
        String fingerprint = JobService.fingerprint(assetId, operations, null);
        String key = "key-" + UUID.randomUUID();
        // a first request has claimed the key and not yet stored its job
        claim(owner, key, fingerprint, Instant.now());
        assertProblem(http.postJson("/api/v1/jobs", body, "Idempotency-Key", key), 409, "idempotency-key-in-use");
        // a first request that claimed the key long ago and never stored its job died: the next takes the key
        String stale = "key-" + UUID.randomUUID();
        claim(owner, stale, fingerprint, Instant.now().minus(Duration.ofMinutes(5)));
        HttpResponse<String> retried = http.postJson("/api/v1/jobs", body, "Idempotency-Key", stale);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
        HttpResponse<String> again = http.postJson("/api/v1/jobs", body, "Idempotency-Key", stale);
        assertThat(Http.json(again).get("id").asText()).isEqualTo(Http.json(retried).get("id").asText());
    }

    private void claim(String owner, String key, String fingerprint, Instant at) {
        dynamoDb.putItem(r -> r.tableName(properties.tables().jobs()).item(Map.of(
                "id", AttributeValue.fromS("idempotency#" + owner + "#" + key),
                "jobId", AttributeValue.fromS(UUID.randomUUID().toString()),
                "fingerprint", AttributeValue.fromS(fingerprint),
                "claimedAt", AttributeValue.fromS(at.toString()))));
    }

    @Test
    void jobsAreListedNewestFirstPageByPage() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(Http.json(http.postJson("/api/v1/jobs",
                    "{\"assetId\":\"" + assetId + "\",\"operations\":[{\"width\":" + (10 + i) + "}]}")).get("id").asText());
        }
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = "/api/v1/jobs?assetId=" + assetId + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = Http.json(http.get(query));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(j -> {
                assertThat(seen.add(j.get("id").asText())).as("no job twice").isTrue();
                order.add(j.get("createdAt").asText());
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        made.add(uploadJob);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(made);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(order).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void anAssetsJobsAreReadFromItsOwnIndex() {
        HttpResponse<String> created = http.post("/api/v1/assets?filename=b.png", "image/png", new byte[] {4, 5, 6});
        String otherAsset = Http.json(created).get("id").asText();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(Http.json(http.postJson("/api/v1/jobs",
                    "{\"assetId\":\"" + assetId + "\",\"operations\":[{\"width\":" + (20 + i) + "}]}")).get("id").asText());
        }
        for (int i = 0; i < 4; i++) {
            http.postJson("/api/v1/jobs", "{\"assetId\":\"" + otherAsset + "\",\"operations\":[{\"width\":30}]}");
        }

        List<String> newestFirst = new ArrayList<>(mine);
        java.util.Collections.reverse(newestFirst);
        newestFirst.add(uploadJob);
        // the index holds exactly this asset's jobs, newest first: a query reads them and nothing else
        QueryResponse indexed = dynamoDb.query(r -> r.tableName(properties.tables().jobs())
                .indexName(JobStore.ASSET_INDEX).keyConditionExpression("assetId = :a")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(assetId))).scanIndexForward(false));
        assertThat(indexed.scannedCount()).isEqualTo(4);
        assertThat(indexed.items()).extracting(item -> item.get("id").s()).containsExactlyElementsOf(newestFirst);

        JsonNode listed = Http.json(http.get("/api/v1/jobs?assetId=" + assetId + "&limit=10"));
        List<String> ids = new ArrayList<>();
        listed.get("items").forEach(j -> ids.add(j.get("id").asText()));
        assertThat(ids).containsExactlyElementsOf(newestFirst);
        assertThat(listed.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aQueuedJobCanBeCancelledOnce() {
        String id = Http.json(http.postJson("/api/v1/jobs",
                "{\"assetId\":\"" + assetId + "\",\"operations\":[{\"width\":1}]}")).get("id").asText();
        HttpResponse<String> cancelled = http.delete("/api/v1/jobs/" + id);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isIn(200, 409);
        if (cancelled.statusCode() == 200) {
            assertThat(Http.json(cancelled).get("status").asText()).isEqualTo("CANCELLED");
            assertProblem(http.delete("/api/v1/jobs/" + id), 409, "job-finished");
        } else {
            // a worker finished it first: cancelling a finished job is a conflict
            assertProblem(cancelled, 409, "job-finished");
        }
        assertThat(Http.json(http.get("/api/v1/jobs/" + id)).get("status").asText())
                .isIn("CANCELLED", "SUCCEEDED", "FAILED");
    }

    @Test
    void badJobRequestsGetProblemJson() {
        assertProblem(http.postJson("/api/v1/jobs", "{\"operations\":[{}]}"), 400, "missing-asset");
        assertProblem(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + UUID.randomUUID() + "\",\"operations\":[{}]}"),
                422, "unknown-asset");
        assertProblem(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId + "\",\"operations\":[]}"),
                400, "missing-operations");
        assertProblem(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId + "\",\"operations\":[{}],"
                + "\"callbackUrl\":\"file:///etc/passwd\"}"), 400, "bad-callback-url");
        assertProblem(http.postJson("/api/v1/jobs", "{\"assetId\":\"" + assetId + "\",\"operations\":[{}]}",
                "Idempotency-Key", "has spaces in it"), 400, "bad-idempotency-key");
        assertProblem(http.get("/api/v1/jobs/" + UUID.randomUUID()), 404, "not-found");
        assertProblem(http.get("/api/v1/jobs?status=DONE"), 400, "bad-filter");
        assertProblem(http.get("/api/v1/jobs?limit=1000"), 400, "bad-limit");
        assertProblem(http.get("/api/v1/jobs?cursor=bm90LWEtY3Vyc29y"), 400, "bad-cursor");
        StringBuilder many = new StringBuilder("{\"assetId\":\"" + assetId + "\",\"operations\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{}");
        }
        assertProblem(http.postJson("/api/v1/jobs", many + "]}"), 400, "too-many-operations");
    }
}
