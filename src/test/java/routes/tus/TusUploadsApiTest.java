package routes.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.access.Caller;
import routes.assets.AssetService;
import routes.config.CaravanProperties;
import routes.problems.Refusal;
import routes.store.VersionedTable;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.work.WorkFolders;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The tus 1.0 protocol over HTTP, against the real embedded stack: S3 multipart uploads, state in DynamoDB. */
class TusUploadsApiTest extends CaravanTestSupport {

    static final String TUS = "/api/v1/tus";
    static final int MIB = 1024 * 1024;

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    DynamoDbClient dynamoDb;
    @Autowired
    CaravanProperties properties;
    @Autowired
    AssetService assets;
    @Autowired
    WorkFolders work;
    @Autowired
    com.fasterxml.jackson.databind.ObjectMapper json;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port, token());
    }

    @Test
    void aFileSentInPiecesAtTheirOffsetsArrivesWholeAndStartsItsJob() throws Exception {
        byte[] file = randomBytes(7 * MIB + 12345, 1);
        HttpResponse<String> created = create(file.length, "clip one.mp4", "video/mp4");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        assertThat(created.headers().firstValue("Upload-Expires")).isPresent();
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(TUS + "/");

        HttpResponse<String> head = head(location);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(head.headers().firstValue("Upload-Length")).hasValue(Integer.toString(file.length));
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");

        // 3 MiB (a tail), 3 MiB (a 5 MiB part and a 1 MiB tail), the rest (the last part): every path of append
        int[] cuts = {0, 3 * MIB, 6 * MIB, file.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            if (i == 1) {
                assertProblem(patch(location, 0, Arrays.copyOfRange(file, 0, 10)), 409, "offset-mismatch");
            }
            HttpResponse<String> patched = patch(location, cuts[i], Arrays.copyOfRange(file, cuts[i], cuts[i + 1]));
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
            assertThat(patched.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(cuts[i + 1]));
            assertThat(head(location).headers().firstValue("Upload-Offset")).hasValue(Integer.toString(cuts[i + 1]));
        }

        String uploadId = location.substring(location.lastIndexOf('/') + 1);
        TusUpload upload = table().find(uploadId).orElseThrow();
        assertThat(upload.completed()).isTrue();
        assertThat(upload.parts()).extracting(TusUpload.Part::size)
                .containsExactly((long) 5 * MIB, (long) file.length - 5 * MIB);
        String assetId = upload.assetId();
        JsonNode asset = Http.json(http.get("/api/v1/assets/" + assetId));
        assertThat(asset.get("status").asText()).isEqualTo("READY");
        assertThat(asset.get("size").asLong()).isEqualTo(file.length);
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket()).key(asset.at("/original/key").asText()))
                .asByteArray();
        assertThat(stored).isEqualTo(file);
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket()).prefix("resumable/" + uploadId)).contents())
                .as("no tail left").isEmpty();
        assertThat(jobsOf(assetId)).as("the asset's pipeline job started").hasSize(1);
        assertThat(head(location).headers().firstValue("Upload-Offset")).hasValue(Integer.toString(file.length));
    }

    @Test
    void aSmallFileCreatedWithItsBytesIsDoneInOneRequest() {
        byte[] file = "GIF89a a tiny picture".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(http.uri(TUS))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(file.length))
                .header("Upload-Metadata", metadata("tiny.gif", "image/gif"))
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(file.length));
        String uploadId = created.headers().firstValue("Location").orElseThrow().substring(TUS.length() + 1);
        String assetId = table().find(uploadId).orElseThrow().assetId();
        assertThat(jobsOf(assetId)).as("the asset's pipeline job started").hasSize(1);
        assertThat(Http.json(http.get("/api/v1/assets/" + assetId)).get("status").asText()).isEqualTo("READY");
    }

    @Test
    void whatArrivedOfABodyCutOffIsKeptAndTheUploadGoesOnFromThere() throws Exception {
        byte[] file = randomBytes(3 * MIB, 3);
        String location = create(file.length, "cut.mp4", "video/mp4").headers().firstValue("Location").orElseThrow();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token()
                    + "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Upload-Offset: 0\r\nContent-Length: " + file.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(file, 0, MIB);
            out.flush();
        }
        // the server keeps the megabyte it got once it notices the connection is gone
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> head(location).headers().firstValue("Upload-Offset").orElse(""),
                        offset -> offset.equals(Integer.toString(MIB)));
        HttpResponse<String> rest = patch(location, MIB, Arrays.copyOfRange(file, MIB, file.length));
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(204);

        String uploadId = location.substring(location.lastIndexOf('/') + 1);
        String key = Http.json(http.get("/api/v1/assets/" + table().find(uploadId).orElseThrow().assetId()))
                .at("/original/key").asText();
        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket()).key(key)).asByteArray()).isEqualTo(file);
    }

    @Test
    void anotherUsersUploadIsNotFound() {
        String location = create(100, "a.mp3", "audio/mpeg").headers().firstValue("Location").orElseThrow();
        Http other = new Http(port, token("mallory"));
        assertProblem(other.send(HttpRequest.newBuilder(other.uri(location)).header("Tus-Resumable", "1.0.0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[100]))
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", "0")), 404,
                "not-found");
        assertThat(other.send(HttpRequest.newBuilder(other.uri(location)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        assertProblem(other.send(HttpRequest.newBuilder(other.uri(location)).header("Tus-Resumable", "1.0.0")
                .DELETE()), 404, "not-found");
        assertThat(head(location).statusCode()).as("still the owner's").isEqualTo(200);
        assertThat(new Http(port).send(HttpRequest.newBuilder(new Http(port).uri(location))
                .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(401);
    }

    @Test
    void refusalsAreProblemsWithTheStatusTusNames() {
        long max = properties.limits().upload().toBytes();
        HttpResponse<String> tooLarge = create(max + 1, "big.mp4", "video/mp4");
        assertProblem(tooLarge, 413, "too-large");
        assertProblem(create(10, "notes.txt", "text/plain"), 415, "unsupported-media-type");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(TUS)).header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody())), 412, "tus-version");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(TUS)).header("Tus-Resumable", "0.2.2")
                .header("Upload-Length", "10").POST(HttpRequest.BodyPublishers.noBody())), 412, "tus-version");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(TUS)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Metadata", metadata("a.mp4", "video/mp4"))
                .POST(HttpRequest.BodyPublishers.noBody())), 400, "missing-upload-length");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(TUS)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "10").header("Upload-Metadata", "filetype ***")
                .POST(HttpRequest.BodyPublishers.noBody())), 400, "bad-upload-metadata");

        String location = create(10, "a.mp4", "video/mp4").headers().firstValue("Location").orElseThrow();
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(location)).header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/octet-stream").header("Upload-Offset", "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))), 415,
                "unsupported-media-type");
        assertProblem(patch(location, 0, new byte[11]), 413, "too-large");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(location)).header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))), 400, "bad-upload-offset");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(location)).header("Tus-Resumable", "1.0.0")
                .GET()), 405, "method-not-allowed");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri(TUS + "/not-an-id")).header("Tus-Resumable",
                "1.0.0").DELETE()), 404, "not-found");
    }

    @Test
    void optionsDescribeTheServer() {
        HttpResponse<String> options = http.send(HttpRequest.newBuilder(http.uri(TUS))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertThat(options.headers().firstValue("Tus-Extension")).hasValueSatisfying(e -> assertThat(e.split(","))
                .contains("creation", "creation-with-upload", "termination", "expiration"));
        assertThat(options.headers().firstValue("Tus-Max-Size"))
                .hasValue(Long.toString(properties.limits().upload().toBytes()));
    }

    @Test
    void aTerminatedUploadIsGoneWithItsPartsAndItsPendingAsset() {
        byte[] file = randomBytes(6 * MIB, 2);
        String location = create(file.length + 10, "c.mp4", "video/mp4").headers().firstValue("Location")
                .orElseThrow();
        assertThat(patch(location, 0, file).statusCode()).isEqualTo(204);
        String uploadId = location.substring(location.lastIndexOf('/') + 1);
        TusUpload upload = table().find(uploadId).orElseThrow();
        assertThat(upload.tail()).as("a part and a tail").isEqualTo(MIB);

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(http.uri(location))
                .header("Tus-Resumable", "1.0.0").DELETE());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(head(location).statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/assets/" + upload.assetId()).statusCode()).isEqualTo(404);
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket()).prefix(upload.key())).uploads()).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket()).prefix("resumable/" + uploadId)).contents()).isEmpty();
    }

    @Test
    void anExpiredUploadIsGoneAndItsMultipartUploadAborted() {
        String location = create(1000, "d.mp4", "video/mp4").headers().firstValue("Location").orElseThrow();
        assertThat(patch(location, 0, new byte[400]).statusCode()).isEqualTo(204);
        String uploadId = location.substring(location.lastIndexOf('/') + 1);
        TusUpload upload = table().find(uploadId).orElseThrow();
        // the same table and bucket, seen a day and an hour later
        Clock later = Clock.offset(Clock.systemUTC(), properties.limits().resumableExpiry().plus(Duration.ofHours(1)));
        TusUploads tomorrow = new TusUploads(table(), assets, s3, bucket(), properties.limits().upload().toBytes(),
                properties.limits().resumableExpiry(), work, later);
        Caller owner = new Caller(upload.owner(), false, java.util.Set.of(), false);

        assertThatThrownBy(() -> tomorrow.find(uploadId, owner)).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.GONE));
        assertThat(head(location).statusCode()).isEqualTo(404);
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket()).prefix(upload.key())).uploads()).isEmpty();
        assertThat(http.get("/api/v1/assets/" + upload.assetId()).statusCode()).isEqualTo(404);
    }

    @Test
    void aTusClientOnAnotherSiteIsLetInByCorsAndOthersAreNot() throws Exception {
        java.net.http.HttpClient bare = java.net.http.HttpClient.newHttpClient();
        HttpResponse<String> preflight = bare.send(HttpRequest.newBuilder(http.uri(TUS))
                .header("Origin", "https://uploader.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,tus-resumable,upload-length,upload-metadata")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).as("the preflight, answered without credentials").isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://uploader.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("tus-resumable", "upload-length", "upload-metadata", "authorization");

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(http.uri(TUS)).header("Tus-Resumable", "1.0.0")
                .header("Origin", "https://uploader.example").header("Upload-Length", "10")
                .header("Upload-Metadata", metadata("c.mp4", "video/mp4")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
                .contains("Location", "Upload-Offset", "Tus-Resumable", "X-Caravan-Asset-Id");

        HttpResponse<String> stranger = bare.send(HttpRequest.newBuilder(http.uri(TUS))
                .header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).as("an origin not listed").isEqualTo(403);
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void theSweepDropsExpiredUploadsAndLeavesTheOthers() {
        String expiring = create(1000, "e.mp4", "video/mp4").headers().firstValue("Location").orElseThrow();
        assertThat(patch(expiring, 0, new byte[300]).statusCode()).isEqualTo(204);
        TusUpload upload = table().find(expiring.substring(expiring.lastIndexOf('/') + 1)).orElseThrow();
        Clock later = Clock.offset(Clock.systemUTC(), properties.limits().resumableExpiry().plus(Duration.ofHours(1)));
        TusUploads tomorrow = new TusUploads(table(), assets, s3, bucket(), properties.limits().upload().toBytes(),
                properties.limits().resumableExpiry(), work, later);
        TusUploads today = new TusUploads(table(), assets, s3, bucket(), properties.limits().upload().toBytes(),
                properties.limits().resumableExpiry(), work, Clock.systemUTC());

        assertThat(today.sweep()).as("nothing has expired yet").isZero();
        assertThat(table().find(upload.id())).isPresent();

        assertThat(tomorrow.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(table().find(upload.id())).as("its row").isEmpty();
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket()).prefix(upload.key())).uploads())
                .as("its parts").isEmpty();
        assertThat(http.get("/api/v1/assets/" + upload.assetId()).statusCode()).as("its pending asset").isEqualTo(404);
        assertThat(tomorrow.sweep()).as("a second sweep finds nothing more of it").isZero();
    }

    /** The asset's jobs, once it has one (the upload poller may be the one that hands the upload on). */
    private JsonNode jobsOf(String assetId) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.json(http.get("/api/v1/jobs?assetId=" + assetId)).get("items"), j -> !j.isEmpty());
    }

    private VersionedTable<TusUpload> table() {
        return new VersionedTable<>(dynamoDb, properties.tables().uploads(), TusUpload.class, null, json,
                Clock.systemUTC(), u -> java.util.Map.of());
    }

    private String bucket() {
        return properties.storage().bucket();
    }

    private HttpResponse<String> create(long length, String filename, String type) {
        return http.send(HttpRequest.newBuilder(http.uri(TUS)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Long.toString(length)).header("Upload-Metadata", metadata(filename, type))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> head(String location) {
        return http.send(HttpRequest.newBuilder(http.uri(location)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> patch(String location, long offset, byte[] bytes) {
        return http.send(HttpRequest.newBuilder(http.uri(location)).header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    static String metadata(String filename, String type) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "filename " + b64.encodeToString(filename.getBytes(StandardCharsets.UTF_8)) + ",filetype "
                + b64.encodeToString(type.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
