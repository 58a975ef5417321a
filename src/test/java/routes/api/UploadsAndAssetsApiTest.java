package routes.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import static routes.support.Http.assertProblem;
import software.amazon.awssdk.services.s3.S3Client;

/** Uploads (presigned and direct), the asset resource, and the problem+json answers to bad requests. */
class UploadsAndAssetsApiTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port, token());
    }

    @Test
    void aPresignedUploadThatIsCompletedBecomesAReadyAsset() {
        byte[] media = ("video bytes " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        JsonNode upload = createUpload("clip one.mp4", "video/mp4", media.length);
        String assetId = upload.get("assetId").asText();
        assertThat(upload.get("method").asText()).isEqualTo("PUT");

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(http.uri(upload.get("uploadUrl").asText()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofByteArray(media)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        HttpResponse<String> complete = http.postJson("/api/v1/assets/" + assetId + "/complete", "");
        assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
        JsonNode asset = Http.json(complete);
        assertThat(asset.get("status").asText()).isEqualTo("READY");
        assertThat(asset.get("size").asLong()).isEqualTo(media.length);
        assertThat(asset.get("mediaKind").asText()).isEqualTo("video");
        assertThat(asset.at("/original/key").asText()).isEqualTo("originals/" + assetId + "/clip_one.mp4");

        HttpResponse<String> original = http.send(HttpRequest.newBuilder(http.uri(asset.at("/original/url").asText())).GET());
        assertThat(original.body()).isEqualTo(new String(media, StandardCharsets.UTF_8));
        assertThat(s3.listObjectsV2(r -> r.bucket(properties.storage().bucket()).prefix("uploads/" + assetId)).contents())
                .as("the upload is moved, not copied").isEmpty();
    }

    @Test
    void theUploadPollerFinishesAnUploadNobodyCompleted() {
        byte[] media = "a small song".getBytes(StandardCharsets.UTF_8);
        JsonNode upload = createUpload("song.mp3", "audio/mpeg", media.length);
        String assetId = upload.get("assetId").asText();
        NotifyBuilder polled = new NotifyBuilder(camel).fromRoute("upload-poll")
                .filter(e -> e.getMessage().getHeader("CamelAwsS3Key", "", String.class).contains(assetId))
                .whenCompleted(1).create();

        http.send(HttpRequest.newBuilder(http.uri(upload.get("uploadUrl").asText()))
                .header("Content-Type", "audio/mpeg").PUT(HttpRequest.BodyPublishers.ofByteArray(media)));

        assertThat(polled.matches(3, TimeUnit.MINUTES)).isTrue();
        JsonNode asset = Http.json(http.get("/api/v1/assets/" + assetId));
        assertThat(asset.get("status").asText()).isEqualTo("READY");
        assertThat(asset.get("mediaKind").asText()).isEqualTo("audio");
    }

    @Test
    void aSmallFileIsPostedDirectly() {
        byte[] media = "GIF89a tiny".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = http.post("/api/v1/assets?filename=../../etc/passwd", "image/gif", media);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode asset = Http.json(created);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/assets/" + asset.get("id").asText());
        assertThat(asset.get("filename").asText()).isEqualTo("passwd");
        assertThat(asset.get("status").asText()).isEqualTo("READY");
    }

    @Test
    void aMultipartFormCarriesTheFileItsNameAndType() throws Exception {
        List<Path> formFoldersBefore = formFolders();
        String boundary = "caravan-test-" + UUID.randomUUID();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(png);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> created = http.post("/api/v1/assets", "multipart/form-data; boundary=" + boundary,
                form.toByteArray());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode asset = Http.json(created);
        assertThat(asset.get("filename").asText()).isEqualTo("logo.png");
        assertThat(asset.get("contentType").asText()).isEqualTo("image/png");
        assertThat(asset.get("size").asInt()).isEqualTo(png.length);
        assertProblem(http.post("/api/v1/assets", "multipart/form-data; boundary=" + boundary,
                "no boundary here".getBytes(StandardCharsets.UTF_8)), 400, "malformed-form");
        assertThat(formFolders()).as("form folders removed").isEqualTo(formFoldersBefore);
    }

    private static List<Path> formFolders() throws IOException {
        try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return temp.filter(p -> p.getFileName().toString().startsWith("caravan-form-")).sorted().toList();
        }
    }

    @Test
    void aFormWithoutAFileOrWithOneOverTheLimitIsRefused() throws Exception {
        HttpEntity noFile = MultipartEntityBuilder.create().addTextBody("note", "hello").build();
        assertProblem(post(noFile), 400, "missing-file");

        byte[] tooBig = new byte[(int) properties.limits().directUpload().toBytes() + 1];
        HttpEntity oversized = MultipartEntityBuilder.create()
                .addBinaryBody("file", tooBig, ContentType.IMAGE_PNG, "big.png").build();
        assertProblem(post(oversized), 413, "too-large");
    }

    private HttpResponse<String> post(HttpEntity form) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        form.writeTo(body);
        return http.post("/api/v1/assets", form.getContentType(), body.toByteArray());
    }

    @Test
    void deletingAnAssetRemovesItsOriginalAndDerivatives() {
        HttpResponse<String> created = http.post("/api/v1/assets?filename=a.png", "image/png", new byte[] {1, 2, 3});
        String id = Http.json(created).get("id").asText();
        String bucket = properties.storage().bucket();
        s3.putObject(r -> r.bucket(bucket).key("derived/" + id + "/poster.jpg"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("x"));

        assertThat(http.delete("/api/v1/assets/" + id).statusCode()).isEqualTo(204);

        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("originals/" + id)).contents()).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("derived/" + id)).contents()).isEmpty();
        assertProblem(http.get("/api/v1/assets/" + id), 404, "not-found");
    }

    @Test
    void badRequestsGetProblemJsonThatSaysWhatWasWrong() {
        assertProblem(http.postJson("/api/v1/uploads", "{\"filename\":\"a.exe\",\"contentType\":\"application/x-msdownload\",\"size\":10}"),
                415, "unsupported-media-type");
        assertProblem(http.postJson("/api/v1/uploads", "{\"filename\":\"a.mp4\",\"contentType\":\"video/mp4\",\"size\":999999999999}"),
                413, "too-large");
        assertProblem(http.postJson("/api/v1/uploads", "{\"filename\":\"a.mp4\",\"contentType\":\"video/mp4\"}"),
                400, "missing-size");
        assertProblem(http.postJson("/api/v1/uploads", "{not json"), 400, "malformed-json");
        assertProblem(http.postJson("/api/v1/assets/" + UUID.randomUUID() + "/complete", ""), 404, "not-found");
        assertProblem(http.get("/api/v1/assets/..%2F..%2Fsecret"), 400, "malformed-request");
        assertProblem(http.get("/api/v1/assets/not-an-id"), 404, "not-found");

        byte[] tooBig = new byte[(int) properties.limits().directUpload().toBytes() + 1];
        Arrays.fill(tooBig, (byte) 7);
        assertProblem(http.post("/api/v1/assets", "image/jpeg", tooBig), 413, "too-large");
        assertProblem(http.post("/api/v1/assets", "image/jpeg", new byte[0]), 400, "empty-body");
        assertProblem(http.post("/api/v1/assets", "text/html", new byte[] {1}), 415, "unsupported-media-type");

        String imageId = Http.json(http.post("/api/v1/assets?filename=i.png", "image/png", new byte[] {1, 2})).get("id").asText();
        assertProblem(replace(imageId, "video/mp4", new byte[] {1}), 415, "unsupported-media-type");
        assertProblem(replace(imageId, "image/png", new byte[0]), 400, "empty-body");
        assertProblem(replace(UUID.randomUUID().toString(), "image/png", new byte[] {1}), 404, "not-found");
        String pendingId = createUpload("p.png", "image/png", 5).get("assetId").asText();
        assertProblem(replace(pendingId, "image/png", new byte[] {1}), 409, "asset-not-ready");
    }

    @Test
    void aDirectUploadOfUnknownLengthIsHeldToTheLimitAsItIsRead() {
        int max = (int) properties.limits().directUpload().toBytes();
        byte[] tooBig = new byte[max + 1];
        Arrays.fill(tooBig, (byte) 7);

        assertProblem(http.send(chunked(tooBig)), 413, "too-large");
        HttpResponse<String> atTheLimit = http.send(chunked(Arrays.copyOf(tooBig, max)));
        assertThat(atTheLimit.statusCode()).as(atTheLimit.body()).isEqualTo(201);
        assertThat(Http.json(atTheLimit).get("size").asLong()).isEqualTo(max);
    }

    /** A POST of {@code body} with no Content-Length: the server learns its size only by reading it. */
    private HttpRequest.Builder chunked(byte[] body) {
        return HttpRequest.newBuilder(http.uri("/api/v1/assets?filename=a.jpg")).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }

    @Test
    void completingBeforeUploadingIsAConflict() {
        String assetId = createUpload("b.mp4", "video/mp4", 10).get("assetId").asText();
        assertProblem(http.postJson("/api/v1/assets/" + assetId + "/complete", ""), 409, "upload-missing");
    }

    private HttpResponse<String> replace(String assetId, String type, byte[] body) {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v1/assets/" + assetId + "/original"))
                .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void aStorageThatRefusesToReadTheUploadIsA502NamingThePermissions(@Autowired routes.aws.AwsConnection aws,
            @Autowired software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb,
            @Autowired software.amazon.awssdk.services.s3.presigner.S3Presigner presigner,
            @Autowired com.fasterxml.jackson.databind.ObjectMapper json,
            @Autowired routes.work.WorkFolders work) {
        String assetId = createUpload("a.mp4", "video/mp4", 5).get("assetId").asText();
        // nothing is PUT, so the upload poller leaves the asset pending; the HEAD of its upload is refused anyway:
        // the embedded S3 answers 403 to credentials it does not know, as AWS does to a role without the permission
        try (S3Client stranger = S3Client.builder()
                .endpointOverride(aws.endpoint(routes.aws.AwsConnection.S3))
                .region(software.amazon.awssdk.regions.Region.of(aws.region())).forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("stranger", "wrong")))
                .build()) {
            routes.assets.AssetService assets = new routes.assets.AssetService(new routes.store.VersionedTable<>(
                    dynamoDb, properties.tables().assets(), routes.assets.Asset.class, null, json,
                    java.time.Clock.systemUTC(), routes.assets.AssetService::attributes), stranger, presigner,
                    properties, List.of(), work);

            routes.problems.Refusal refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> assets.uploadArrived(routes.assets.ObjectKeys.upload(assetId, "a.mp4")),
                    routes.problems.Refusal.class);

            assertThat(refused).isNotNull();
            assertThat(refused.type()).isEqualTo("storage-access-denied");
            assertThat(ProblemResponder.statusOf(refused.kind())).isEqualTo(502);
            assertThat(refused.detail()).contains("s3:GetObject", "s3:ListBucket");
        }
    }

    private JsonNode createUpload(String filename, String type, long size) {
        HttpResponse<String> response = http.postJson("/api/v1/uploads",
                "{\"filename\":\"" + filename + "\",\"contentType\":\"" + type + "\",\"size\":" + size + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Http.json(response);
    }
}
