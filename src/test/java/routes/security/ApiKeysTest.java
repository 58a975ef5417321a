package routes.security;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.TestImages;

/**
 * API keys: made by a signed-in user and shown once, sent as a bearer token or in X-Api-Key, held to their scopes,
 * listed without their secret, and refused from the moment they are revoked.
 */
class ApiKeysTest extends CaravanTestSupport {

    @LocalServerPort
    int port;

    @Test
    void aKeyWorksWithinItsScopesUntilItIsRevoked() throws Exception {
        Http carol = new Http(port, token("carol"));
        JsonNode made = Http.json(carol.postJson("/api/v1/api-keys",
                "{\"name\":\"ci uploads\",\"scopes\":[\"write\"],\"expiresInDays\":7}"));
        String key = made.get("key").asText();
        String id = made.at("/apiKey/id").asText();
        assertThat(key).startsWith("cvk_" + id + "_");

        Http byBearer = new Http(port, key);
        HttpResponse<String> uploaded = byBearer.post("/api/v1/assets?filename=k.jpg", "image/jpeg",
                TestImages.jpeg(8, 8, Color.GREEN));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String assetId = Http.json(uploaded).get("id").asText();
        assertThat(Http.json(uploaded).get("owner").asText()).as("the key's owner owns it").isEqualTo("carol");
        assertThat(carol.get("/api/v1/assets/" + assetId).statusCode()).isEqualTo(200);
        HttpResponse<String> byHeader = byBearer.send(HttpRequest.newBuilder(byBearer.uri("/api/v1/assets/" + assetId))
                .header("X-Api-Key", key));
        assertThat(new Http(port).send(HttpRequest.newBuilder(byBearer.uri("/api/v1/assets/" + assetId))
                .header("X-Api-Key", key)).statusCode()).isEqualTo(200);
        assertThat(byHeader.statusCode()).isEqualTo(200);

        // listed, never with its secret
        HttpResponse<String> listed = carol.get("/api/v1/api-keys");
        assertThat(listed.body()).contains(id).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
        assertThat(Http.json(listed).findValuesAsText("id")).contains(id);

        // revoked: refused at once
        assertThat(carol.delete("/api/v1/api-keys/" + id).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = byBearer.get("/api/v1/assets/" + assetId);
        assertProblem(refused, 401, "unauthorized");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(Http.json(refused).get("detail").asText()).contains("revoked");
    }

    @Test
    void aReadKeyOnlyReads() throws Exception {
        Http dave = new Http(port, token("dave"));
        String assetId = Http.json(dave.post("/api/v1/assets?filename=r.jpg", "image/jpeg",
                TestImages.jpeg(8, 8, Color.GRAY))).get("id").asText();
        String key = Http.json(dave.postJson("/api/v1/api-keys", "{\"name\":\"dashboard\",\"scopes\":[\"read\"]}"))
                .get("key").asText();

        Http reader = new Http(port, key);
        assertThat(reader.get("/api/v1/assets/" + assetId).statusCode()).isEqualTo(200);
        assertProblem(reader.delete("/api/v1/assets/" + assetId), 403, "forbidden");
        assertProblem(reader.post("/api/v1/assets?filename=x.jpg", "image/jpeg", TestImages.jpeg(4, 4, Color.RED)),
                403, "forbidden");
        // a key makes no keys, and a user no admin keys
        assertProblem(reader.postJson("/api/v1/api-keys", "{\"name\":\"more\",\"scopes\":[\"read\"]}"), 403,
                "forbidden");
        String writer = Http.json(dave.postJson("/api/v1/api-keys", "{\"name\":\"ci\",\"scopes\":[\"write\"]}"))
                .get("key").asText();
        assertProblem(new Http(port, writer).postJson("/api/v1/api-keys",
                "{\"name\":\"more\",\"scopes\":[\"read\"]}"), 403, "token-required");
        assertProblem(dave.postJson("/api/v1/api-keys", "{\"name\":\"ops\",\"scopes\":[\"admin\"]}"), 403,
                "not-admin");
        assertProblem(dave.postJson("/api/v1/api-keys", "{\"name\":\"x\",\"scopes\":[\"everything\"]}"), 400,
                "bad-scopes");
        assertProblem(dave.postJson("/api/v1/api-keys", "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresInDays\":9999}"),
                400, "bad-expiry");
    }

    @Test
    void aMadeUpOrMangledKeyIsRefused() {
        assertProblem(new Http(port, "cvk_0123456789abcdef_" + "A".repeat(43)).get("/api/v1/jobs"), 401,
                "unauthorized");
        assertProblem(new Http(port).send(HttpRequest.newBuilder(new Http(port).uri("/api/v1/jobs"))
                .header("X-Api-Key", "not-a-key")), 401, "unauthorized");
    }
}
