package routes.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/**
 * Every operation of the served OpenAPI description, sent mutated requests generated from a seed (printed; set
 * {@code -Dfuzz.seed=N} to replay one run, {@code -Dfuzz.requests=N} for more per operation): hostile path segments
 * and query values, bodies that are empty, of the wrong media type, malformed, deeply nested, of the wrong shape, with
 * fields of the wrong type or far too long, odd headers. No answer may be a 5xx, every error must be problem+json
 * with a type, title, status and detail, and every answer must come within 5 seconds.
 */
class ApiFuzzTest extends CaravanTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SLOWEST = Duration.ofSeconds(5);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 40);
    private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");

    /** Values a client may put anywhere a string goes. */
    private static final List<String> HOSTILE = List.of("", " ", "..", "../../etc/passwd", "%2e%2e%2f", "a".repeat(300),
            "a".repeat(5000), "\u0000", "\u00fc\u00e9", "\ud83d\ude00", "<script>alert(1)</script>", "' OR '1'='1",
            "-1", "0", "99999999999999999999", "1e400", "NaN", "null", "true", "[]", "{}", "%", "%ZZ", "a/b", "a\\b",
            "\r\nX-Injected: 1", "\t", "${jndi:ldap://x/a}", "{{7*7}}", "\u202e", "\uffff", "cvk_" + "0".repeat(40));
    /** Media types a client may claim. */
    private static final List<String> MEDIA_TYPES = List.of("application/json", "application/json; charset=latin1",
            "application/problem+json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
            "multipart/form-data; boundary=", "multipart/form-data; boundary=xyz", "image/jpeg", "video/mp4",
            "application/octet-stream", "application/xml", "*/*", ";;;", "application/json; charset=\"", "");

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TestFactory
    Stream<DynamicTest> noOperationAnswersAMutatedRequestWithAServerError() throws Exception {
        System.out.println("ApiFuzzTest seed " + SEED + " (replay: -Dfuzz.seed=" + SEED + ")");
        Http admin = new Http(port, adminToken());
        HttpResponse<String> served = admin.get("/api/v1/openapi.json");
        assertThat(served.statusCode()).isEqualTo(200);
        JsonNode description = JSON.readTree(served.body());
        // real identifiers to aim at, beside made-up ones: an asset and a job of the caller's
        HttpResponse<String> asset = admin.post("/api/v1/assets?filename=a.png", "image/png", new byte[] {1, 2, 3});
        String assetId = Http.json(asset).get("id").asText();
        List<DynamicTest> tests = new ArrayList<>();
        String token = adminToken();
        Random seeds = new Random(SEED);
        for (Iterator<Map.Entry<String, JsonNode>> paths = description.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                long seed = seeds.nextLong();
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                tests.add(DynamicTest.dynamicTest(name, () -> fuzz(description, path.getKey(), op.getKey(),
                        op.getValue(), new Random(seed), token, assetId)));
            }
        }
        assertThat(tests).as("operations in the description").hasSizeGreaterThan(10);
        return tests.stream();
    }

    private void fuzz(JsonNode description, String path, String method, JsonNode operation, Random random,
            String token, String assetId) throws Exception {
        JsonNode parameters = operation.path("parameters");
        JsonNode content = operation.path("requestBody").path("content");
        for (int i = 0; i < REQUESTS; i++) {
            String target = path;
            for (JsonNode parameter : parameters) {
                if ("path".equals(parameter.path("in").asText())) {
                    String value = random.nextInt(4) == 0 ? assetId : pick(random, HOSTILE);
                    target = target.replace("{" + parameter.get("name").asText() + "}", encodePath(value));
                }
            }
            StringBuilder query = new StringBuilder();
            for (JsonNode parameter : parameters) {
                if ("query".equals(parameter.path("in").asText()) && random.nextBoolean()) {
                    query.append(query.isEmpty() ? "?" : "&").append(parameter.get("name").asText()).append('=')
                            .append(URLEncoder.encode(pick(random, HOSTILE), StandardCharsets.UTF_8));
                }
            }
            if (random.nextInt(5) == 0) {
                query.append(query.isEmpty() ? "?" : "&").append("unknown=").append(random.nextInt());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target + query))
                    .timeout(SLOWEST.plusSeconds(30)).header("Authorization", "Bearer " + token);
            String label = method.toUpperCase() + " " + target + query;
            if (WITH_BODY.contains(method)) {
                String mediaType = content.fieldNames().hasNext() ? content.fieldNames().next() : "application/json";
                Body body = body(description, content.path(mediaType).path("schema"), mediaType, random, assetId);
                if (body.contentType() != null) {
                    request.header("Content-Type", body.contentType());
                }
                request.method(method.toUpperCase(), HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
                label += " [" + body.contentType() + "] " + preview(body.bytes());
            } else {
                request.method(method.toUpperCase(), HttpRequest.BodyPublishers.noBody());
            }
            String accept = null;
            if (random.nextInt(4) == 0) {
                accept = pick(random, List.of("application/xml", "*/*", "text/html", "x/y;q=abc"));
                request.header("Accept", accept);
            }
            if (random.nextInt(6) == 0) {
                request.header("Idempotency-Key", pick(random, HOSTILE).replaceAll("[\\r\\n\\u0000]", "")
                        .replaceAll("[^\\x21-\\x7e]", "x") + "k");
            }
            long started = System.nanoTime();
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String seen = label + " -> " + answer.statusCode() + " " + answer.body();
            assertThat(answer.statusCode()).as(seen).isLessThan(500);
            assertThat(took).as("time of " + seen).isLessThan(SLOWEST);
            // a pitch link's recipient in a browser gets a page that says what went wrong
            boolean page = "text/html".equals(accept) && target.startsWith("/p/")
                    && answer.headers().firstValue("Content-Type").orElse("").startsWith("text/html");
            if (answer.statusCode() >= 400 && page) {
                assertThat(answer.body()).as(seen).contains("<h1>");
            } else if (answer.statusCode() >= 400) {
                assertThat(answer.headers().firstValue("Content-Type")).as(seen)
                        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
                JsonNode problem = JSON.readTree(answer.body());
                // the routes' own types, or about:blank (RFC 9457 4.2.1) where the web framework answers
                assertThat(problem.path("type").asText()).as(seen).matches("/problems/[a-z0-9-]+|about:blank");
                assertThat(problem.path("status").asInt()).as(seen).isEqualTo(answer.statusCode());
                assertThat(problem.path("title").asText()).as(seen).isNotBlank();
                assertThat(problem.path("detail").asText()).as(seen).isNotBlank();
            }
        }
    }

    private record Body(String contentType, byte[] bytes) {
    }

    private Body body(JsonNode description, JsonNode schema, String mediaType, Random random, String assetId) {
        String claimed = random.nextInt(3) == 0 ? pick(random, MEDIA_TYPES) : mediaType.split(",")[0];
        if (claimed.isEmpty()) {
            claimed = null;
        }
        byte[] bytes = switch (random.nextInt(10)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(random, random.nextInt(4096));
            case 2 -> pick(random, List.of("null", "[]", "\"x\"", "1", "{", "{\"a\":", "[[[[", "{}{}", "\u00ff"))
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 3 -> ("[".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
            case 4 -> ("{\"a\":" + "9".repeat(2000) + "}").getBytes(StandardCharsets.US_ASCII);
            case 5 -> multipart(random);
            default -> JSON.valueToTree(wrongShape(description, schema, random, assetId)).toString()
                    .getBytes(StandardCharsets.UTF_8);
        };
        return new Body(claimed, bytes);
    }

    /** An object of the schema's fields, some of them of another type, absurd or missing. */
    private Object wrongShape(JsonNode description, JsonNode schema, Random random, String assetId) {
        JsonNode resolved = resolve(description, schema);
        ObjectNode object = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = resolved.path("properties").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            switch (random.nextInt(9)) {
                case 0 -> { }
                case 1 -> object.putNull(field.getKey());
                case 2 -> object.put(field.getKey(), random.nextLong());
                case 3 -> object.put(field.getKey(), pick(random, HOSTILE));
                case 4 -> object.putArray(field.getKey()).add(pick(random, HOSTILE)).addNull().add(-1);
                case 5 -> object.putObject(field.getKey()).put(pick(random, HOSTILE), pick(random, HOSTILE));
                case 6 -> object.put(field.getKey(), random.nextBoolean());
                case 7 -> object.put(field.getKey(), assetId);
                default -> object.putArray(field.getKey()).addObject().put("width", pick(random, List.of(-1, 0,
                        Integer.MAX_VALUE, 100))).put("format", pick(random, HOSTILE));
            }
        }
        if (random.nextInt(4) == 0) {
            object.put("unknownField", pick(random, HOSTILE));
        }
        return object;
    }

    private static JsonNode resolve(JsonNode description, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? description.at(ref.substring(1)) : schema;
    }

    private static byte[] multipart(Random random) {
        String boundary = "b" + random.nextInt(1000);
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + pick(random, HOSTILE).replace("\"", "") + "\"\r\nContent-Type: "
                + pick(random, MEDIA_TYPES) + "\r\n\r\n" + "x".repeat(random.nextInt(100))
                + (random.nextBoolean() ? "\r\n--" + boundary + "--\r\n" : "");
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String encodePath(String value) {
        // a path segment as a client would send it: percent-encoded, but some clients leave dots and slashes be
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/")
                .replace("%2E", ".");
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String preview(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 120), StandardCharsets.ISO_8859_1);
        return text.replaceAll("[^\\x20-\\x7e]", "?") + (bytes.length > 120 ? "... (" + bytes.length + " bytes)" : "");
    }
}
