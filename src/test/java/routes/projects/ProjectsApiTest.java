package routes.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.services.s3.S3Client;

/** Projects over HTTP: the owner, members who read or edit, and everyone else, who sees a 404. */
class ProjectsApiTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;

    Http owner;
    Http editor;
    Http reader;
    Http stranger;
    String ownerName;
    String editorName;
    String readerName;

    @BeforeEach
    void users() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ownerName = "olive-" + run;
        editorName = "eddie-" + run;
        readerName = "rita-" + run;
        owner = new Http(port, token(ownerName));
        editor = new Http(port, token(editorName));
        reader = new Http(port, token(readerName));
        stranger = new Http(port, token("sam-" + run));
    }

    private String project(String name) {
        HttpResponse<String> made = owner.postJson("/api/v1/projects", "{\"name\":\"" + name + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return Http.json(made).get("id").asText();
    }

    @Test
    void theOwnerSharesAProjectWithMembersWhoReadOrEdit() {
        HttpResponse<String> made = owner.postJson("/api/v1/projects",
                "{\"name\":\"  Interviews for the Paris piece \",\"description\":\"rushes, week 1\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode project = Http.json(made);
        String id = project.get("id").asText();
        assertThat(project.get("name").asText()).isEqualTo("Interviews for the Paris piece");
        assertThat(project.get("owner").asText()).isEqualTo(ownerName);
        assertThat(project.get("role").asText()).isEqualTo("OWNER");

        assertThat(owner.sendJson("PUT", "/api/v1/projects/" + id + "/members/" + editorName, "{\"role\":\"edit\"}")
                .statusCode()).isEqualTo(200);
        assertThat(owner.sendJson("PUT", "/api/v1/projects/" + id + "/members/" + readerName, "{\"role\":\"read\"}")
                .statusCode()).isEqualTo(200);
        JsonNode members = Http.json(owner.get("/api/v1/projects/" + id + "/members"));
        List<String> listed = new ArrayList<>();
        members.forEach(m -> listed.add(m.get("user").asText() + ":" + m.get("role").asText()));
        assertThat(listed).containsExactlyInAnyOrder(ownerName + ":OWNER", editorName + ":EDIT", readerName + ":READ");

        // members see it, with their role, and find it in their list
        assertThat(Http.json(reader.get("/api/v1/projects/" + id)).get("role").asText()).isEqualTo("READ");
        assertThat(Http.json(editor.get("/api/v1/projects")).get("items").findValuesAsText("id")).contains(id);
        // an editor renames it; a reader may not
        HttpResponse<String> renamed = editor.sendJson("PATCH", "/api/v1/projects/" + id, "{\"name\":\"Paris\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(Http.json(renamed).get("name").asText()).isEqualTo("Paris");
        assertThat(Http.json(renamed).get("description").asText()).isEqualTo("rushes, week 1");
        assertProblem(reader.sendJson("PATCH", "/api/v1/projects/" + id, "{\"name\":\"x\"}"), 403, "project-role");
        // only the owner manages members, and the owner stays the owner
        assertProblem(editor.sendJson("PUT", "/api/v1/projects/" + id + "/members/someone", "{\"role\":\"read\"}"), 403,
                "project-role");
        assertProblem(owner.sendJson("PUT", "/api/v1/projects/" + id + "/members/" + ownerName, "{\"role\":\"read\"}"),
                409, "owner-role");
        assertProblem(owner.sendJson("PUT", "/api/v1/projects/" + id + "/members/x", "{\"role\":\"boss\"}"), 400,
                "bad-role");
        // a removed member sees it no more
        assertThat(owner.delete("/api/v1/projects/" + id + "/members/" + readerName).statusCode()).isEqualTo(204);
        assertProblem(reader.get("/api/v1/projects/" + id), 404, "not-found");
    }

    @Test
    void anyoneElseSeesNothingAt404AsForAMissingProject() {
        String id = project("Mine");
        for (HttpResponse<String> response : List.of(stranger.get("/api/v1/projects/" + id),
                stranger.get("/api/v1/projects/" + id + "/members"),
                stranger.sendJson("PATCH", "/api/v1/projects/" + id, "{\"name\":\"x\"}"),
                stranger.delete("/api/v1/projects/" + id),
                owner.get("/api/v1/projects/" + UUID.randomUUID()),
                owner.get("/api/v1/projects/not-an-id"))) {
            assertProblem(response, 404, "not-found");
        }
        assertThat(Http.json(stranger.get("/api/v1/projects")).get("items").findValuesAsText("id")).doesNotContain(id);
    }

    @Test
    void badBodiesAndPagesAreClearRefusals() {
        assertProblem(owner.postJson("/api/v1/projects", "{}"), 400, "bad-name");
        assertProblem(owner.postJson("/api/v1/projects", "{\"name\":\"" + "x".repeat(201) + "\"}"), 400, "bad-name");
        assertProblem(owner.postJson("/api/v1/projects", "{\"name\":\"a\",\"description\":\"" + "d".repeat(4001)
                + "\"}"), 400, "bad-description");
        assertProblem(owner.get("/api/v1/projects?limit=0"), 400, "bad-limit");
        assertProblem(owner.get("/api/v1/projects?cursor=nonsense"), 400, "bad-cursor");
    }

    @Test
    void listsArePagedNewestFirst() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(project("p" + i));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = Http.json(owner.get("/api/v1/projects?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(p -> seen.add(p.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).containsSubsequence(made.get(4), made.get(3), made.get(2), made.get(1), made.get(0));
    }

    @Test
    void deletingAProjectDeletesWhatOnlyItHolds() {
        String id = project("Short-lived");
        owner.sendJson("PUT", "/api/v1/projects/" + id + "/members/" + editorName, "{\"role\":\"edit\"}");
        s3.putObject(r -> r.bucket(properties.storage().bucket()).key("projects/" + id + "/transcripts/t/v1.json"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("{}"));

        assertProblem(editor.delete("/api/v1/projects/" + id), 403, "project-role");
        assertThat(owner.delete("/api/v1/projects/" + id).statusCode()).isEqualTo(204);

        assertProblem(owner.get("/api/v1/projects/" + id), 404, "not-found");
        assertProblem(editor.get("/api/v1/projects/" + id), 404, "not-found");
        assertThat(Http.json(editor.get("/api/v1/projects")).get("items").findValuesAsText("id")).doesNotContain(id);
        assertThat(s3.listObjectsV2(r -> r.bucket(properties.storage().bucket()).prefix("projects/" + id + "/"))
                .contents()).isEmpty();
    }
}
