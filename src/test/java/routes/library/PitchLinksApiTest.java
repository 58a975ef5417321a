package routes.library;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.library.LibraryFixtures.Track;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/**
 * Pitch links as their recipient meets them, with no account: a page that plays and seeks, downloads when allowed
 * (an MP3 read back by ffprobe), a password, expiry, revocation and a use limit; and the owner's counts of what the
 * recipient did.
 */
class PitchLinksApiTest extends CaravanTestSupport {

    @LocalServerPort
    int port;

    static Http owner;
    static Http other;
    static String playlist;
    static String first;
    static String second;
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * Once, by the first test that runs (in its body: Camel's routes start just before a test method, after the
     * callbacks of the class).
     */
    void aPlaylistOfTwoTracks() throws Exception {
        if (owner != null) {
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        owner = new Http(port, token("pitcher-" + run));
        other = new Http(port, token("other-" + run));
        LibraryFixtures.awaitRoutes(owner);
        Path dir = Files.createTempDirectory("pitch");
        first = LibraryFixtures.upload(owner, LibraryFixtures.make(dir, new Track("one.flac", "audio/flac",
                "One <b>bold</b>", "The Pitchers", "Demos", 1, 2024, "Pop"), false, 3), "audio/flac");
        second = LibraryFixtures.upload(owner, LibraryFixtures.make(dir, new Track("two.mp3", "audio/mpeg", "Two",
                "The Pitchers", "Demos", 2, 2024, "Pop"), false, 3), "audio/mpeg");
        playlist = Http.json(owner.postJson("/api/v1/playlists", "{\"name\":\"For Sam\"}")).get("id").asText();
        for (String item : new String[] {first, second}) {
            assertThat(owner.postJson("/api/v1/playlists/" + playlist + "/items", "{\"assetId\":\"" + item + "\"}")
                    .statusCode()).isEqualTo(200);
        }
    }

    private JsonNode link(String body) {
        HttpResponse<String> made = owner.postJson("/api/v1/pitch-links", body);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return Http.json(made);
    }

    private HttpResponse<String> open(String url, String accept, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + url))
                .header("Accept", accept);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> fetch(String url, String range, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + url));
        if (range != null) {
            request.header("Range", range);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theRecipientPlaysSeeksAndDownloadsAndTheOwnerSeesIt() throws Exception {
        aPlaylistOfTwoTracks();
        JsonNode link = link("{\"playlistId\":\"" + playlist + "\",\"recipient\":{\"name\":\"Sam\",\"email\":"
                + "\"sam@label.example\"},\"message\":\"Two demos <for> you\",\"download\":\"mp3\"}");
        assertThat(link.get("id").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(link.get("state").asText()).isEqualTo("active");
        String url = link.get("url").asText();

        HttpResponse<String> page = open(url, "text/html,application/xhtml+xml,*/*;q=0.8", null);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<h1>For Sam</h1>", "Two demos &lt;for&gt; you", "One &lt;b&gt;bold&lt;/b&gt;",
                "<audio controls", url + "/items/" + first + "/stream", url + "/items/" + second + "/download")
                .doesNotContain("<b>bold</b>");
        JsonNode view = Http.json(open(url, "application/json", null));
        assertThat(view.get("items")).hasSize(2);
        String stream = view.at("/items/1/stream").asText();
        String download = view.at("/items/1/download").asText();

        // a player: the first bytes, then a seek (counted as one play), then the whole download
        HttpResponse<byte[]> head = fetch(stream, "bytes=0-", null);
        assertThat(head.statusCode()).isEqualTo(206);
        long total = Long.parseLong(head.headers().firstValue("Content-Range").orElseThrow().replaceAll(".*/", ""));
        HttpResponse<byte[]> seek = fetch(stream, "bytes=" + total / 2 + "-", null);
        assertThat(seek.statusCode()).isEqualTo(206);
        assertThat(seek.headers().firstValue("Content-Range")).hasValue("bytes " + total / 2 + "-" + (total - 1) + "/"
                + total);
        assertThat(seek.body()).isEqualTo(java.util.Arrays.copyOfRange(head.body(), (int) (total / 2), (int) total));
        assertThat(fetch(stream, "bytes=" + total + "-", null).statusCode()).isEqualTo(416);

        HttpResponse<byte[]> mp3 = fetch(download, null, null);
        assertThat(mp3.statusCode()).isEqualTo(200);
        assertThat(mp3.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment", "two.mp3");
        assertThat(mp3.headers().firstValue("Content-Length")).as("a download shows its size")
                .hasValue(Integer.toString(mp3.body().length));
        Path saved = Files.createTempFile("download", ".mp3");
        Files.write(saved, mp3.body());
        assertThat(LibraryFixtures.run("ffprobe", "-v", "error", "-show_entries", "format=format_name:format_tags=title",
                "-of", "compact=p=0", saved.toString())).contains("format_name=mp3", "tag:title=Two");
        HttpResponse<byte[]> flac = fetch(view.at("/items/0/download").asText(), null, null);
        Files.write(saved, flac.body());
        assertThat(LibraryFixtures.run("ffprobe", "-v", "error", "-show_entries", "format=format_name", "-of",
                "compact=p=0", saved.toString())).isEqualTo("format_name=mp3");

        JsonNode stats = Http.json(owner.get("/api/v1/pitch-links/" + link.get("id").asText()));
        assertThat(stats.get("opens").asLong()).isEqualTo(2);
        assertThat(stats.get("plays").asLong()).isEqualTo(1);
        assertThat(stats.get("downloads").asLong()).isEqualTo(2);
        assertThat(stats.at("/itemPlays/" + second).asLong()).isEqualTo(1);
        assertThat(stats.at("/itemDownloads/" + first).asLong()).isEqualTo(1);
        assertThat(stats.at("/recipient/email").asText()).isEqualTo("sam@label.example");
        assertThat(Http.json(owner.get("/api/v1/pitch-links")).get("items").findValuesAsText("id"))
                .contains(link.get("id").asText());
        // nobody else sees it, or may revoke it
        assertProblem(other.get("/api/v1/pitch-links/" + link.get("id").asText()), 404, "not-found");
        assertProblem(other.delete("/api/v1/pitch-links/" + link.get("id").asText()), 404, "not-found");
    }

    @Test
    void aStreamOnlyLinkDoesNotDownloadAndAnItemOutsideTheLinkIsNotThere() throws Exception {
        aPlaylistOfTwoTracks();
        JsonNode link = link("{\"assetId\":\"" + first + "\",\"recipient\":{\"name\":\"Jo\"}}");
        String url = link.get("url").asText();
        assertThat(fetch(url + "/items/" + first + "/stream", null, null).statusCode()).isEqualTo(200);
        assertProblem(refused(url + "/items/" + first + "/download"), 403, "no-downloads");
        assertProblem(refused(url + "/items/" + second + "/stream"), 404, "not-found");
        assertProblem(refused("/p/" + "A".repeat(43) + "/items/" + first + "/stream"), 404,
                "not-found");
    }

    @Test
    void aPasswordOpensTheLinkAndWrongOnesAreLimited() throws Exception {
        aPlaylistOfTwoTracks();
        JsonNode link = link("{\"playlistId\":\"" + playlist + "\",\"recipient\":{\"name\":\"Kim\"},"
                + "\"password\":\"open sesame\"}");
        String url = link.get("url").asText();
        assertProblem(open(url, "application/json", null), 401, "password-required");
        HttpResponse<String> form = open(url, "text/html", null);
        assertThat(form.statusCode()).isEqualTo(401);
        assertThat(form.body()).contains("<form method=\"post\"", "type=\"password\"");
        assertThat(fetch(url + "/items/" + first + "/stream", null, null).statusCode()).isEqualTo(401);

        HttpResponse<String> wrong = unlock(url, "password=guess", "text/html");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That is not the password.");
        HttpResponse<String> right = unlock(url, "password=open+sesame", "text/html");
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue(url);
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(right.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly", "Path=" + url);
        assertThat(open(url, "text/html", cookie).statusCode()).isEqualTo(200);
        assertThat(fetch(url + "/items/" + first + "/stream", "bytes=0-99", cookie).statusCode()).isEqualTo(206);
        assertThat(open(url, "text/html", cookie.replaceAll(".$", "x")).statusCode()).isEqualTo(401);

        for (int i = 0; i < 9; i++) {
            assertProblem(unlock(url, "password=guess" + i, "application/json"), 401, "wrong-password");
        }
        HttpResponse<String> limited = unlock(url, "password=open+sesame", "application/json");
        assertProblem(limited, 429, "too-many-passwords");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertProblem(unlock(url, "pass=x", "application/json"), 400, "bad-form");
        // what is not a form at all (a multipart body sent as a form, a broken % escape) never reaches the binding
        assertProblem(unlock(url, "--b419\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%\"\r\n",
                "application/json"), 400, "bad-form");
        assertProblem(unlock(url, "password=%zz", "application/json"), 400, "bad-form");
    }

    private HttpResponse<String> unlock(String url, String form, String accept) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + url))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void expiredRevokedAndUsedUpLinksAreGone() throws Exception {
        aPlaylistOfTwoTracks();
        JsonNode twice = link("{\"assetId\":\"" + second + "\",\"recipient\":{\"name\":\"Al\"},\"maxUses\":2}");
        String url = twice.get("url").asText();
        assertThat(open(url, "application/json", null).statusCode()).isEqualTo(200);
        assertThat(open(url, "application/json", null).statusCode()).isEqualTo(200);
        assertProblem(open(url, "application/json", null), 410, "used-up");
        HttpResponse<String> page = open(url, "text/html", null);
        assertThat(page.statusCode()).isEqualTo(410);
        assertThat(page.body()).contains("This link no longer works");
        assertThat(Http.json(owner.get("/api/v1/pitch-links/" + twice.get("id").asText())).get("state").asText())
                .isEqualTo("used-up");

        JsonNode revoked = link("{\"assetId\":\"" + second + "\",\"recipient\":{\"name\":\"Bo\"}}");
        assertThat(owner.delete("/api/v1/pitch-links/" + revoked.get("id").asText()).statusCode()).isEqualTo(204);
        assertProblem(open(revoked.get("url").asText(), "application/json", null), 410, "link-revoked");
        assertProblem(refused(revoked.get("url").asText() + "/items/" + second + "/stream"), 410,
                "link-revoked");

        JsonNode brief = link("{\"assetId\":\"" + second + "\",\"recipient\":{\"name\":\"Cy\"},\"expiresAt\":\""
                + Instant.now().plusSeconds(2) + "\"}");
        Thread.sleep(Duration.ofMillis(2500).toMillis());
        assertProblem(open(brief.get("url").asText(), "application/json", null), 410, "link-expired");
        assertThat(Http.json(owner.get("/api/v1/pitch-links/" + brief.get("id").asText())).get("state").asText())
                .isEqualTo("expired");
    }

    @Test
    void badLinksAreRefusedAndNothingIsMade() throws Exception {
        aPlaylistOfTwoTracks();
        String base = "\"recipient\":{\"name\":\"X\"}";
        assertProblem(owner.postJson("/api/v1/pitch-links", "{" + base + "}"), 400, "bad-target");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\",\"playlistId\":\""
                + playlist + "\"," + base + "}"), 400, "bad-target");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\"}"), 400, "bad-recipient");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\",\"recipient\":{\"name\":"
                + "\"X\",\"email\":\"not an email\"}}"), 400, "bad-recipient");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\"," + base
                + ",\"expiresAt\":\"2001-01-01T00:00:00Z\"}"), 400, "bad-expiry");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\"," + base
                + ",\"maxUses\":0}"), 400, "bad-max-uses");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\"," + base
                + ",\"download\":\"flac\"}"), 400, "bad-download");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\"," + base
                + ",\"stream\":false}"), 400, "bad-download");
        assertProblem(owner.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\"," + base
                + ",\"password\":\"abc\"}"), 400, "bad-password");
        // another's item or playlist is not theirs to pitch
        assertProblem(other.postJson("/api/v1/pitch-links", "{\"assetId\":\"" + first + "\"," + base + "}"), 404,
                "not-found");
        assertProblem(other.postJson("/api/v1/pitch-links", "{\"playlistId\":\"" + playlist + "\"," + base + "}"),
                404, "not-found");
        assertThat(Http.json(other.get("/api/v1/pitch-links")).get("items")).isEmpty();
    }

    /** A GET of a link's file whose answer is a refusal, read as text. */
    private HttpResponse<String> refused(String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
