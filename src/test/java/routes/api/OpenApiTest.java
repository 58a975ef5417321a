package routes.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.TestImages;

/**
 * The API's OpenAPI description, served at /api/v1/openapi.json, against what the API really answers: every exchange
 * here is sent to the running app and its request and response are validated against the description (undocumented
 * fields included), so a response whose shape drifts from the description fails.
 */
class OpenApiTest extends CaravanTestSupport {

    private static final String DESCRIPTION = "/api/v1/openapi.json";

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;

    Http http;
    String description;
    OpenApiInteractionValidator validator;

    @BeforeEach
    void theServedDescription() {
        // an admin: the exchanges include the operators' endpoints
        http = new Http(port, adminToken());
        HttpResponse<String> served = http.get(DESCRIPTION);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        description = served.body();
        validator = validatorFor(description);
    }

    @Test
    void theDescriptionIsOpenApi3OfEveryOperationOfTheRestDsl() {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(description);
        assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.");
        assertThat(api.getInfo().getTitle()).isEqualTo("Caravan API");
        assertThat(api.getInfo().getVersion()).isEqualTo("v1");
        assertThat(api.getInfo().getDescription()).contains("problem+json");

        Map<String, Operation> operations = new LinkedHashMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach(
                (method, operation) -> operations.put(operation.getOperationId(), operation)));
        List<String> verbs = camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()
                .stream().flatMap(rest -> rest.getVerbs().stream()).map(VerbDefinition::getId).toList();
        assertThat(operations.keySet()).containsExactlyInAnyOrderElementsOf(verbs);

        operations.forEach((id, operation) -> {
            assertThat(operation.getSummary()).as(id + " says what it does").isNotBlank();
            List<String> refusals = new ArrayList<>();
            operation.getResponses().forEach((status, response) -> {
                assertThat(response.getDescription()).as(id + " " + status).isNotBlank();
                if (status.startsWith("4")) {
                    refusals.add(status);
                    assertThat(response.getContent()).as(id + " " + status + " is problem+json")
                            .containsOnlyKeys("application/problem+json");
                    assertThat(response.getContent().get("application/problem+json").getSchema().get$ref())
                            .isEqualTo("#/components/schemas/ProblemDetails");
                } else {
                    // 206: the parts of media a player asks for with Range
                    assertThat(status).as(id).matches("20[0-4]|206");
                }
            });
            assertThat(refusals).as(id + " says how it refuses").isNotEmpty();
        });

        ApiResponse transcript = api.getPaths().get("/api/v1/assets/{id}/transcript").getGet().getResponses()
                .get("200");
        assertThat(transcript.getContent()).containsOnlyKeys("application/json", "application/x-subrip", "text/vtt",
                "text/plain");
        assertThat(transcript.getContent().get("application/json").getSchema().get$ref()).endsWith("/Transcript");
        assertThat(transcript.getContent().get("text/vtt").getSchema().getType()).isEqualTo("string");
        Map<String, MediaType> upload = api.getPaths().get("/api/v1/assets").getPost().getRequestBody().getContent();
        assertThat(upload).containsOnlyKeys("multipart/form-data", "image/*", "video/*", "audio/*");
        assertThat(upload.get("multipart/form-data").getSchema().getProperties()).containsKey("file");
        assertThat(upload.get("image/*").getSchema().getFormat()).isEqualTo("binary");
        assertThat(api.getComponents().getSchemas().get("ProblemDetails").getRequired())
                .containsExactlyInAnyOrder("type", "title", "status", "detail");
    }

    @Test
    void successfulExchangesMatchTheDescription() throws IOException {
        // a presigned upload, completed
        byte[] jpeg = TestImages.jpeg(32, 24, Color.ORANGE);
        JsonNode ticket = exchange(post("/api/v1/uploads")
                .json("{\"filename\":\"photo.jpg\",\"contentType\":\"image/jpeg\",\"size\":" + jpeg.length + "}"), 201);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(http.uri(ticket.get("uploadUrl").asText()))
                .header("Content-Type", "image/jpeg").PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode completed = exchange(post(ticket.get("completeUrl").asText()), 200);
        assertThat(completed.get("status").asText()).isEqualTo("READY");

        // direct uploads: raw bytes, and a form
        JsonNode asset = exchange(post("/api/v1/assets").query("filename", "small.jpg").body("image/jpeg", jpeg), 201);
        String assetId = asset.get("id").asText();
        HttpEntity form = MultipartEntityBuilder.create()
                .addBinaryBody("file", jpeg, ContentType.IMAGE_JPEG, "form.jpg").build();
        ByteArrayOutputStream formBody = new ByteArrayOutputStream();
        form.writeTo(formBody);
        exchange(post("/api/v1/assets").body(form.getContentType(), formBody.toByteArray()), 201);

        exchange(get("/api/v1/assets/" + assetId), 200);
        exchange(put("/api/v1/assets/" + assetId + "/original").body("image/jpeg", TestImages.jpeg(20, 20, Color.BLUE)),
                200);

        // a batch image job, read and listed; one cancelled
        JsonNode job = exchange(post("/api/v1/jobs").header("Idempotency-Key", "openapi-" + UUID.randomUUID())
                .json("{\"assetId\":\"" + assetId + "\",\"operations\":[{\"width\":16}]}"), 202);
        exchange(get("/api/v1/jobs/" + job.get("id").asText()), 200);
        JsonNode page = exchange(get("/api/v1/jobs").query("assetId", assetId).query("limit", "1"), 200);
        assertThat(page.get("nextCursor").isTextual()).as("a first page of several").isTrue();
        exchange(get("/api/v1/jobs").query("assetId", assetId).query("cursor", page.get("nextCursor").asText()), 200);
        JsonNode all = exchange(get("/api/v1/jobs").query("assetId", assetId).query("limit", "100"), 200);
        assertThat(all.get("nextCursor").isNull()).as("the last page").isTrue();
        exchange(get("/api/v1/jobs").query("status", "QUEUED").query("limit", "5"), 200);

        String operations = "[" + "{\"width\":8},".repeat(99) + "{\"width\":8}]";
        JsonNode busy = exchange(post("/api/v1/jobs")
                .json("{\"assetId\":\"" + assetId + "\",\"operations\":" + operations + "}"), 202);
        HttpResponse<String> cancelled = validated(delete("/api/v1/jobs/" + busy.get("id").asText()));
        assertThat(cancelled.statusCode()).as("cancelled before its 100 operations are done, or refused just after")
                .isIn(200, 409);

        // the operators' endpoints (the client is an admin)
        JsonNode queues = exchange(get("/api/v1/ops/queues"), 200);
        assertThat(queues.size()).isPositive();
        exchange(get("/api/v1/ops/queues/caravan-transcode/dead-letters").query("max", "1"), 200);

        exchange(delete("/api/v1/assets/" + assetId), 204);
    }

    @Test
    void refusalsMatchTheDescription() {
        String unknown = UUID.randomUUID().toString();
        refused(get("/api/v1/assets/" + unknown), 404, "not-found");
        refused(get("/api/v1/jobs/" + unknown), 404, "not-found");
        refused(delete("/api/v1/jobs/" + unknown), 404, "not-found");
        refused(delete("/api/v1/assets/" + unknown), 404, "not-found");
        refused(post("/api/v1/assets/" + unknown + "/complete"), 404, "not-found");
        refused(post("/api/v1/jobs").json("{not json"), 400, "malformed-json");
        refused(post("/api/v1/uploads").json("{\"filename\":"), 400, "malformed-json");
        refused(post("/api/v1/assets").body("text/plain", "not media".getBytes(StandardCharsets.UTF_8)), 415,
                "unsupported-media-type");
        refused(post("/api/v1/uploads")
                .json("{\"filename\":\"a.mp4\",\"contentType\":\"video/mp4\",\"size\":999999999999}"), 413,
                "too-large");
        refused(post("/api/v1/jobs").json("{\"assetId\":\"" + unknown + "\",\"operations\":[{\"width\":16}]}"), 422,
                "unknown-asset");
        refused(get("/api/v1/jobs").query("limit", "0"), 400, "bad-limit");
        refused(get("/api/v1/ops/queues/nope/dead-letters"), 404, "not-found");

        JsonNode pending = exchange(post("/api/v1/uploads")
                .json("{\"filename\":\"later.mp4\",\"contentType\":\"video/mp4\",\"size\":10}"), 201);
        String pendingId = pending.get("assetId").asText();
        refused(post("/api/v1/assets/" + pendingId + "/complete"), 409, "upload-missing");
        refused(post("/api/v1/jobs").json("{\"assetId\":\"" + pendingId + "\",\"operations\":[{\"width\":16}]}"), 409,
                "asset-not-ready");
        refused(get("/api/v1/assets/" + pendingId + "/transcript").query("format", "doc"), 400, "bad-format");
        refused(get("/api/v1/assets/" + pendingId + "/transcript").query("format", "vtt"), 404,
                "transcript-not-ready");
    }

    @Test
    void aResponseThatDriftsFromTheDescriptionIsCaught() throws IOException {
        Call upload = post("/api/v1/assets").query("filename", "drift.jpg")
                .body("image/jpeg", TestImages.jpeg(8, 8, Color.RED));
        HttpResponse<String> created = send(upload);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(report(validator.validate(upload.forValidator(), response(created)))).isEmpty();

        // the same exchange against a description whose asset lost a field, and whose size became text
        OpenAPI drifted = new OpenAPIV3Parser().readContents(description).getOpenAPI();
        Schema<?> view = drifted.getComponents().getSchemas().get("AssetView");
        view.getProperties().remove("filename");
        view.getProperties().put("size", new StringSchema());
        OpenApiInteractionValidator strict = OpenApiInteractionValidator.createFor(drifted)
                .withLevelResolver(levels()).build();
        assertThat(report(strict.validate(upload.forValidator(), response(created))))
                .contains("filename").contains("size");
    }

    // ------------------------------------------------------------------------------------------------ exchanges

    /** Sends the request, expects {@code status}, and answers the JSON body ({@link #validated}). */
    private JsonNode exchange(Call call, int status) {
        HttpResponse<String> answer = validated(call);
        assertThat(answer.statusCode()).as(call + ": " + answer.body()).isEqualTo(status);
        return answer.body().isEmpty() ? null : Http.json(answer);
    }

    /** Sends the request and validates the request and its response against the description. */
    private HttpResponse<String> validated(Call call) {
        HttpResponse<String> answer = send(call);
        assertThat(report(validator.validate(call.signed(adminToken()).forValidator(), response(answer))))
                .as(call + " answered " + answer.statusCode() + " " + answer.body()).isEmpty();
        return answer;
    }

    /**
     * Sends a request the API refuses, and validates its response against the description (the request is wrong on
     * purpose, so it is not).
     */
    private void refused(Call call, int status, String type) {
        HttpResponse<String> answer = send(call);
        Http.assertProblem(answer, status, type);
        assertThat(report(validator.validateResponse(call.path, call.method, response(answer))))
                .as(call.toString()).isEmpty();
    }

    private HttpResponse<String> send(Call call) {
        String query = call.query.entrySet().stream()
                .map(q -> q.getKey() + "=" + URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                http.uri(call.path + (query.isEmpty() ? "" : "?" + query)));
        call.headers.forEach(request::header);
        return http.send(request.method(call.method.name(), call.body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(call.body)));
    }

    /** A response as the validator sees it: status, headers, body. */
    private static Response response(HttpResponse<String> answer) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.statusCode());
        answer.headers().map().forEach(response::withHeader);
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        return response.build();
    }

    private static Call get(String path) {
        return new Call(Request.Method.GET, path);
    }

    private static Call post(String path) {
        return new Call(Request.Method.POST, path);
    }

    private static Call put(String path) {
        return new Call(Request.Method.PUT, path);
    }

    private static Call delete(String path) {
        return new Call(Request.Method.DELETE, path);
    }

    /** A request: what is sent, and what the validator is shown. */
    private static final class Call {
        final Request.Method method;
        final String path;
        final Map<String, String> query = new LinkedHashMap<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];

        Call(Request.Method method, String path) {
            this.method = method;
            this.path = path;
        }

        Call query(String name, String value) {
            query.put(name, value);
            return this;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** This call as the client sends it: with its credentials. */
        Call signed(String token) {
            headers.putIfAbsent("Authorization", "Bearer " + token);
            return this;
        }

        Call json(String json) {
            return body("application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        Call body(String contentType, byte[] bytes) {
            body = bytes;
            return header("Content-Type", contentType);
        }

        SimpleRequest forValidator() {
            SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
            query.forEach(request::withQueryParam);
            headers.forEach(request::withHeader);
            if (body.length > 0) {
                request.withBody(body);
            }
            return request.build();
        }

        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : "?" + query);
        }
    }

    // ------------------------------------------------------------------------------------------------ validation

    private static OpenApiInteractionValidator validatorFor(String description) {
        return OpenApiInteractionValidator.createForInlineApiSpecification(description).withLevelResolver(levels())
                .build();
    }

    /** Everything the description says is checked (credentials too), and a field it does not name is an error. */
    private static LevelResolver levels() {
        return LevelResolver.create()
                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                .build();
    }

    /** The report's errors, one a line; empty when there is none. */
    private static String report(ValidationReport report) {
        return report.hasErrors() ? SimpleValidationReportFormat.getInstance().apply(report) : "";
    }
}
