package routes.security;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.TestImages;

/**
 * Who sees what: two users who each upload an image see only their own (anything else is as unknown as a missing
 * one: 404), an admin sees both, the operator endpoints and the actuator are an admin's, and a request without
 * credentials is refused with problem+json and a WWW-Authenticate challenge.
 */
class AccessTest extends CaravanTestSupport {

    @LocalServerPort
    int port;

    Http alice;
    Http bob;
    Http admin;

    @BeforeEach
    void users() {
        alice = new Http(port, token("alice"));
        bob = new Http(port, token("bob"));
        admin = new Http(port, adminToken());
    }

    @Test
    void noOneSeesAnotherUsersAssetsOrJobs() throws Exception {
        String mine = upload(alice, Color.RED);
        String theirs = upload(bob, Color.BLUE);
        JsonNode job = Http.json(alice.postJson("/api/v1/jobs",
                "{\"assetId\":\"" + mine + "\",\"operations\":[{\"width\":8}]}"));
        String jobId = job.get("id").asText();
        assertThat(job.get("owner").asText()).isEqualTo("alice");

        // bob, on alice's asset and job: as if they did not exist
        assertProblem(bob.get("/api/v1/assets/" + mine), 404, "not-found");
        assertProblem(bob.get("/api/v1/assets/" + mine + "/transcript"), 404, "not-found");
        assertProblem(bob.post("/api/v1/assets/" + mine + "/complete", "application/json", new byte[0]), 404,
                "not-found");
        assertProblem(bob.send(HttpRequest.newBuilder(bob.uri("/api/v1/assets/" + mine + "/original"))
                .header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(TestImages.jpeg(8, 8, Color.BLACK)))), 404, "not-found");
        assertProblem(bob.delete("/api/v1/assets/" + mine), 404, "not-found");
        assertProblem(bob.get("/api/v1/jobs/" + jobId), 404, "not-found");
        assertProblem(bob.delete("/api/v1/jobs/" + jobId), 404, "not-found");
        assertProblem(bob.get("/api/v1/jobs?assetId=" + mine), 404, "not-found");
        assertProblem(bob.postJson("/api/v1/jobs", "{\"assetId\":\"" + mine + "\",\"operations\":[{\"width\":8}]}"),
                422, "unknown-asset");
        assertThat(ids(bob.get("/api/v1/assets?limit=100"))).contains(theirs).doesNotContain(mine);
        assertThat(ids(bob.get("/api/v1/jobs?limit=100"))).doesNotContain(jobId);

        // alice's own are hers, and still there
        assertThat(alice.get("/api/v1/assets/" + mine).statusCode()).isEqualTo(200);
        assertThat(Http.json(alice.get("/api/v1/assets/" + mine)).get("owner").asText()).isEqualTo("alice");
        assertThat(ids(alice.get("/api/v1/assets?limit=100"))).contains(mine).doesNotContain(theirs);
        assertThat(ids(alice.get("/api/v1/jobs?limit=100"))).contains(jobId);

        // an admin sees both
        assertThat(admin.get("/api/v1/assets/" + mine).statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/v1/assets/" + theirs).statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/v1/jobs/" + jobId).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutCredentialsTheApiAnswers401WithAChallenge() {
        Http nobody = new Http(port);
        for (HttpResponse<String> refused : List.of(nobody.get("/api/v1/jobs"),
                nobody.postJson("/api/v1/jobs", "{}"), nobody.get("/api/v1/assets/" + java.util.UUID.randomUUID()))) {
            assertProblem(refused, 401, "unauthorized");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
        }
        // public by design: health (200 or, while a consumer has not polled yet, 503), the scrape, the description
        assertThat(nobody.get("/actuator/health").statusCode()).isIn(200, 503);
        assertThat(nobody.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        assertThat(nobody.get("/api/v1/openapi.json").statusCode()).isEqualTo(200);
    }

    @Test
    void theOperatorEndpointsAndTheActuatorAreAnAdminsOnly() {
        assertProblem(new Http(port).get("/api/v1/ops/queues"), 401, "unauthorized");
        assertProblem(alice.get("/api/v1/ops/queues"), 403, "forbidden");
        assertProblem(alice.postJson("/api/v1/ops/queues/caravan-probe/redrive", ""), 403, "forbidden");
        assertThat(admin.get("/api/v1/ops/queues").statusCode()).isEqualTo(200);

        for (String path : List.of("/actuator/metrics", "/actuator/env", "/actuator/heapdump", "/actuator/configprops")) {
            assertThat(new Http(port).get(path).statusCode()).as(path).isEqualTo(401);
            assertThat(alice.get(path).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(admin.get("/actuator/metrics").statusCode()).isEqualTo(200);
        // not exposed at all, to anyone
        for (String path : List.of("/actuator/env", "/actuator/heapdump", "/actuator/configprops")) {
            assertThat(admin.get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void credentialsAreNeverEchoedInAnAnswer() throws Exception {
        String mine = upload(alice, Color.GREEN);
        String key = Http.json(alice.postJson("/api/v1/api-keys", "{\"name\":\"echo\",\"scopes\":[\"read\"]}"))
                .get("key").asText();
        Http byKey = new Http(port);
        for (HttpResponse<String> answer : List.of(alice.get("/api/v1/assets/" + mine), alice.get("/api/v1/jobs"),
                alice.get("/api/v1/assets/" + java.util.UUID.randomUUID()),
                byKey.send(HttpRequest.newBuilder(byKey.uri("/api/v1/assets/" + mine)).header("X-Api-Key", key).GET()),
                byKey.send(HttpRequest.newBuilder(byKey.uri("/api/v1/assets")).header("X-Api-Key", key).GET()))) {
            assertThat(answer.headers().map().keySet()).as(answer.uri().toString())
                    .noneMatch(name -> name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("X-Api-Key"));
            assertThat(answer.body()).doesNotContain(key);
        }
    }

    @Test
    void aPathThatMeansSomethingElseOnceNormalisedIsABadRequestNotAnError() {
        for (String path : List.of("/api/v1/assets;jsessionid=1/x", "/api/v1/jobs/%2e%2e/ops/queues",
                "/img/a;b/w:8/x.jpg")) {
            assertProblem(alice.get(path), 400, "malformed-request");
        }
        // an image URL is still public with no API headers on it
        HttpResponse<String> image = new Http(port).get("/img/unsigned/w:8/missing.jpg");
        assertThat(image.statusCode()).isBetween(400, 499);
        assertThat(image.headers().firstValue("X-Frame-Options")).isEmpty();
    }

    private static String upload(Http as, Color color) throws Exception {
        HttpResponse<String> created = as.post("/api/v1/assets?filename=p.jpg", "image/jpeg",
                TestImages.jpeg(16, 12, color));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Http.json(created).get("id").asText();
    }

    private static List<String> ids(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return Http.json(page).get("items").findValuesAsText("id");
    }
}
