package routes.library;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.library.LibraryFixtures.Track;
import routes.support.CaravanTestSupport;
import routes.support.Http;

/**
 * The library as a user meets it: ten tagged MP3, FLAC and M4A files uploaded, listed with the tags read from them,
 * found by an artist's name with a typo, filtered, sorted, paged and counted; another user sees only what is shared
 * with them; tags edited without touching the files.
 */
class LibraryApiTest extends CaravanTestSupport {

    static final List<Track> TRACKS = List.of(
            new Track("01-airbag.mp3", "audio/mpeg", "Airbag", "Radiohead", "OK Computer", 1, 1997, "Alternative"),
            new Track("02-paranoid.mp3", "audio/mpeg", "Paranoid Android", "Radiohead", "OK Computer", 2, 1997,
                    "Alternative"),
            new Track("03-subterranean.mp3", "audio/mpeg", "Subterranean Homesick Alien", "Radiohead", "OK Computer",
                    3, 1997, "Alternative"),
            new Track("hunter.flac", "audio/flac", "Hunter", "Björk", "Homogenic", 1, 1997, "Electronic"),
            new Track("joga.flac", "audio/flac", "Jóga", "Björk", "Homogenic", 2, 1997, "Electronic"),
            new Track("bachelorette.flac", "audio/flac", "Bachelorette", "Björk", "Homogenic", 6, 1997, "Electronic"),
            new Track("angel.m4a", "audio/mp4", "Angel", "Massive Attack", "Mezzanine", 1, 1998, "Trip Hop"),
            new Track("teardrop.m4a", "audio/mp4", "Teardrop", "Massive Attack", "Mezzanine", 3, 1998, "Trip Hop"),
            new Track("inertia.m4a", "audio/mp4", "Inertia Creeps", "Massive Attack", "Mezzanine", 4, 1998,
                    "Trip Hop"),
            new Track("roads.mp3", "audio/mpeg", "Roads", "Portishead", "Dummy", 5, 1994, "Trip Hop"));

    @LocalServerPort
    int port;

    static Http owner;
    static String ownerToken;
    static Http friend;
    static Http stranger;
    static String friendName;
    static final Map<String, String> ids = new HashMap<>();

    /**
     * Once, by the first test that runs (in its body: Camel's routes start just before a test method, after the
     * callbacks of the class).
     */
    void uploadTheLibrary() throws Exception {
        if (owner != null) {
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        ownerToken = token("lib-owner-" + run);
        owner = new Http(port, ownerToken);
        friendName = "lib-friend-" + run;
        friend = new Http(port, token(friendName));
        stranger = new Http(port, token("lib-stranger-" + run));
        LibraryFixtures.awaitRoutes(owner);
        Path dir = Files.createTempDirectory("library");
        for (Track t : TRACKS) {
            Path file = LibraryFixtures.make(dir, t, t.title().equals("Airbag"), 2);
            ids.put(t.title(), LibraryFixtures.upload(owner, file, t.type()));
        }
        // every item listed with its title once its probe step has run
        LibraryFixtures.library(owner, "/api/v1/library/items?limit=100", page -> page.path("total").asLong() == 10
                && page.get("items").findValues("title").stream().filter(JsonNode::isTextual).count() == 10);
    }

    private static Map<String, JsonNode> byTitle(JsonNode page) {
        Map<String, JsonNode> found = new HashMap<>();
        page.get("items").forEach(hit -> found.put(hit.at("/doc/title").asText(), hit));
        return found;
    }

    @Test
    void theFilesTagsAreListedAndTheCoverArtIsAnImage() throws Exception {
        uploadTheLibrary();
        Map<String, JsonNode> listed = byTitle(Http.json(owner.get("/api/v1/library/items?limit=100")));
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(TRACKS.stream().map(Track::title).toList());
        for (Track t : TRACKS) {
            JsonNode doc = listed.get(t.title()).get("doc");
            assertThat(doc.get("artist").asText()).as(t.file()).isEqualTo(t.artist());
            assertThat(doc.get("album").asText()).as(t.file()).isEqualTo(t.album());
            assertThat(doc.get("track").asInt()).as(t.file()).isEqualTo(t.track());
            assertThat(doc.get("year").asInt()).as(t.file()).isEqualTo(t.year());
            assertThat(doc.get("genre").asText()).as(t.file()).isEqualTo(t.genre());
            assertThat(doc.get("duration").asDouble()).as(t.file()).isBetween(1.9, 2.2);
        }

        JsonNode airbag = Http.json(owner.get("/api/v1/library/items/" + ids.get("Airbag")));
        assertThat(airbag.at("/tags/isrc").asText()).isEqualTo("GBAYE9700001");
        assertThat(airbag.at("/fileTags/title").asText()).isEqualTo("Airbag");
        assertThat(airbag.get("cover").asText()).endsWith("/cover");
        HttpResponse<byte[]> cover = owner.getBytes(airbag.get("cover").asText());
        assertThat(cover.statusCode()).isEqualTo(200);
        assertThat(cover.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(cover.body()));
        assertThat(picture.getWidth()).isEqualTo(120);
        assertThat(picture.getHeight()).isEqualTo(90);
        // a file without cover art has none
        assertThat(Http.json(owner.get("/api/v1/library/items/" + ids.get("Roads"))).has("cover")).isFalse();
        assertProblem(owner.get("/api/v1/library/items/" + ids.get("Roads") + "/cover"), 404, "no-cover");
    }

    @Test
    void anArtistsNameWithATypoFindsTheirItemsHighlighted() throws Exception {
        uploadTheLibrary();
        JsonNode found = Http.json(owner.get("/api/v1/library/items?q=radiohaed"));
        assertThat(found.get("total").asLong()).isEqualTo(3);
        found.get("items").forEach(hit -> {
            assertThat(hit.at("/doc/artist").asText()).isEqualTo("Radiohead");
            assertThat(hit.at("/highlights/artist").asText()).isEqualTo("<mark>Radiohead</mark>");
        });
        // accents folded, prefixes, every word
        assertThat(byTitle(Http.json(owner.get("/api/v1/library/items?q=bjork"))).keySet())
                .containsExactlyInAnyOrder("Hunter", "Jóga", "Bachelorette");
        assertThat(byTitle(Http.json(owner.get("/api/v1/library/items?q=tear"))).keySet()).containsExactly("Teardrop");
        assertThat(byTitle(Http.json(owner.get("/api/v1/library/items?q=massive%20creeps"))).keySet())
                .containsExactly("Inertia Creeps");
        assertThat(Http.json(owner.get("/api/v1/library/items?q=zzzzqqq")).get("total").asLong()).isZero();
    }

    @Test
    void listingsFilterSortPageAndCount() throws Exception {
        uploadTheLibrary();
        JsonNode all = Http.json(owner.get("/api/v1/library/items?facets=true&limit=3"));
        Map<String, Long> artists = new HashMap<>();
        all.at("/facets/artist").forEach(f -> artists.put(f.get("value").asText(), f.get("count").asLong()));
        assertThat(artists).containsExactlyInAnyOrderEntriesOf(Map.of("Radiohead", 3L, "Björk", 3L,
                "Massive Attack", 3L, "Portishead", 1L));
        Map<String, Long> genres = new HashMap<>();
        all.at("/facets/genre").forEach(f -> genres.put(f.get("value").asText(), f.get("count").asLong()));
        assertThat(genres).containsEntry("Trip Hop", 4L);

        assertThat(byTitle(Http.json(owner.get("/api/v1/library/items?genre=trip%20hop&yearFrom=1995"))).keySet())
                .containsExactlyInAnyOrder("Angel", "Teardrop", "Inertia Creeps");
        assertThat(byTitle(Http.json(owner.get("/api/v1/library/items?album=Homogenic&type=audio"))).keySet())
                .containsExactlyInAnyOrder("Hunter", "Jóga", "Bachelorette");
        assertThat(Http.json(owner.get("/api/v1/library/items?minDuration=5")).get("total").asLong()).isZero();

        List<String> titles = new ArrayList<>();
        Http.json(owner.get("/api/v1/library/items?sort=title&limit=100")).get("items")
                .forEach(hit -> titles.add(hit.at("/doc/title").asText()));
        assertThat(titles).hasSize(10).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = Http.json(owner.get("/api/v1/library/items?sort=-year&limit=4"
                    + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(hit -> assertThat(seen.add(hit.at("/doc/assetId").asText())).isTrue());
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(10);
        assertThat(pages).isEqualTo(3);

        assertProblem(owner.get("/api/v1/library/items?limit=0"), 400, "bad-query");
        assertProblem(owner.get("/api/v1/library/items?yearFrom=abc"), 400, "bad-query");
        assertProblem(owner.get("/api/v1/library/items?sort=loudness"), 400, "bad-query");
        assertProblem(owner.get("/api/v1/library/items?cursor=nonsense"), 400, "bad-cursor");
        assertProblem(owner.get("/api/v1/library/items?q=" + "x".repeat(201)), 400, "bad-query");
    }

    @Test
    void anotherUserSeesOnlyWhatIsSharedWithThem() throws Exception {
        uploadTheLibrary();
        String teardrop = ids.get("Teardrop");
        assertThat(Http.json(friend.get("/api/v1/library/items?q=teardrop")).get("total").asLong()).isZero();
        assertProblem(friend.get("/api/v1/library/items/" + teardrop), 404, "not-found");
        assertProblem(friend.get("/api/v1/library/items/" + teardrop + "/stream"), 404, "not-found");

        HttpResponse<String> shared = owner.send(java.net.http.HttpRequest.newBuilder(
                owner.uri("/api/v1/library/items/" + teardrop + "/shares/" + friendName))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
        assertThat(shared.body()).contains(friendName);

        String shares = "/api/v1/library/items/" + teardrop + "/shares/";
        assertProblem(owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(shares + "a%20b%3Cc"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody())), 400, "bad-user");
        assertProblem(friend.send(java.net.http.HttpRequest.newBuilder(friend.uri(shares + "someone"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody())), 403, "read-only");
        assertProblem(owner.delete(shares + "nobody-" + friendName), 404, "not-found");

        JsonNode theirs = LibraryFixtures.library(friend, "/api/v1/library/items",
                page -> page.path("total").asLong() == 1);
        assertThat(theirs.at("/items/0/doc/title").asText()).isEqualTo("Teardrop");
        assertThat(Http.json(friend.get("/api/v1/library/items?owned=true")).get("total").asLong()).isZero();
        JsonNode item = Http.json(friend.get("/api/v1/library/items/" + teardrop));
        assertThat(item.get("owner").asText()).isNotEqualTo(friendName);
        assertThat(item.has("sharedWith")).as("the shares are the owner's to see").isFalse();
        assertThat(friend.getBytes("/api/v1/library/items/" + teardrop + "/stream").statusCode()).isEqualTo(200);
        assertProblem(friend.sendJson("PATCH", "/api/v1/library/items/" + teardrop, "{\"tags\":{\"title\":\"x\"}}"),
                403, "read-only");
        // the rest of the library stays the owner's
        assertProblem(friend.get("/api/v1/library/items/" + ids.get("Angel")), 404, "not-found");
        assertThat(Http.json(stranger.get("/api/v1/library/items")).get("total").asLong()).isZero();

        assertThat(owner.delete("/api/v1/library/items/" + teardrop + "/shares/" + friendName).statusCode())
                .isEqualTo(204);
        LibraryFixtures.library(friend, "/api/v1/library/items", page -> page.path("total").asLong() == 0);
        assertProblem(friend.get("/api/v1/library/items/" + teardrop), 404, "not-found");
    }

    @Test
    void editedTagsShowAndAreFoundWhileTheFileStaysAsItWas() throws Exception {
        uploadTheLibrary();
        String hunter = ids.get("Hunter");
        byte[] before = owner.getBytes("/api/v1/library/items/" + hunter + "/stream").body();
        HttpResponse<String> edited = owner.sendJson("PATCH", "/api/v1/library/items/" + hunter,
                "{\"tags\":{\"title\":\"Hunter (Live at Cambridge)\",\"genre\":\"\",\"year\":1998},"
                        + "\"labels\":[\"Opener\",\"live\"]}");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        JsonNode item = Http.json(edited);
        assertThat(item.at("/tags/title").asText()).isEqualTo("Hunter (Live at Cambridge)");
        assertThat(item.at("/tags/genre").isMissingNode()).as("an empty text clears it").isTrue();
        assertThat(item.at("/tags/year").asInt()).isEqualTo(1998);
        assertThat(item.at("/fileTags/title").asText()).isEqualTo("Hunter");
        assertThat(item.get("labels").toString()).isEqualTo("[\"live\",\"opener\"]");

        JsonNode found = LibraryFixtures.library(owner, "/api/v1/library/items?q=cambridge",
                page -> page.path("total").asLong() == 1);
        assertThat(found.at("/items/0/doc/assetId").asText()).isEqualTo(hunter);
        assertThat(Http.json(owner.get("/api/v1/library/items?label=live")).get("total").asLong()).isEqualTo(1);
        assertThat(owner.getBytes("/api/v1/library/items/" + hunter + "/stream").body()).isEqualTo(before);

        // null goes back to the file's value
        JsonNode back = Http.json(owner.sendJson("PATCH", "/api/v1/library/items/" + hunter,
                "{\"tags\":{\"title\":null}}"));
        assertThat(back.at("/tags/title").asText()).isEqualTo("Hunter");
        assertThat(back.at("/tags/year").asInt()).isEqualTo(1998);

        assertProblem(owner.sendJson("PATCH", "/api/v1/library/items/" + hunter, "{\"tags\":{\"mood\":\"x\"}}"), 400,
                "bad-tag");
        assertProblem(owner.sendJson("PATCH", "/api/v1/library/items/" + hunter, "{\"tags\":{\"title\":\""
                + "x".repeat(501) + "\"}}"), 400, "bad-tag");
        assertProblem(owner.sendJson("PATCH", "/api/v1/library/items/" + hunter, "{\"tags\":{\"year\":\"soon\"}}"), 400,
                "bad-tag");
        assertProblem(owner.sendJson("PATCH", "/api/v1/library/items/" + hunter, "{\"tags\":{\"isrc\":\"12\"}}"), 400,
                "bad-tag");
        assertProblem(owner.sendJson("PATCH", "/api/v1/library/items/" + hunter, "{\"labels\":[\"\"]}"), 400,
                "bad-labels");
        assertProblem(owner.sendJson("PATCH", "/api/v1/library/items/" + hunter, "{}"), 400, "missing-body");
        assertThat(Http.json(owner.get("/api/v1/library/items/" + hunter)).at("/tags/year").asInt())
                .as("nothing changed by the refused edits").isEqualTo(1998);

        // the file's tags again, and the index following, for the other tests
        owner.sendJson("PATCH", "/api/v1/library/items/" + hunter, "{\"tags\":{\"genre\":null,\"year\":null},"
                + "\"labels\":[]}");
        LibraryFixtures.library(owner, "/api/v1/library/items?q=cambridge%20live", page -> page.path("total")
                .asLong() == 0);
        LibraryFixtures.library(owner, "/api/v1/library/items?genre=electronic", page -> page.path("total")
                .asLong() == 3);
    }

    @Test
    void playlistsAreMadeOrderedSharedAndDuplicated() throws Exception {
        uploadTheLibrary();
        HttpResponse<String> made = owner.postJson("/api/v1/playlists", "{\"name\":\"Late night\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String id = Http.json(made).get("id").asText();
        String base = "/api/v1/playlists/" + id;
        for (String title : List.of("Angel", "Roads", "Jóga")) {
            assertThat(owner.postJson(base + "/items", "{\"assetId\":\"" + ids.get(title) + "\"}").statusCode())
                    .isEqualTo(200);
        }
        assertThat(owner.postJson(base + "/items", "{\"assetId\":\"" + ids.get("Airbag") + "\",\"position\":0}")
                .statusCode()).isEqualTo(200);
        assertProblem(owner.postJson(base + "/items", "{\"assetId\":\"" + ids.get("Roads") + "\"}"), 409,
                "already-in-playlist");
        assertProblem(owner.postJson(base + "/items", "{\"assetId\":\"" + ids.get("Roads") + "\",\"position\":9}"),
                409, "already-in-playlist");
        assertThat(titles(Http.json(owner.get(base)))).containsExactly("Airbag", "Angel", "Roads", "Jóga");

        String order = "{\"items\":[\"" + ids.get("Jóga") + "\",\"" + ids.get("Roads") + "\",\"" + ids.get("Angel")
                + "\",\"" + ids.get("Airbag") + "\"]}";
        assertThat(titles(Http.json(owner.sendJson("PUT", base + "/items", order))))
                .containsExactly("Jóga", "Roads", "Angel", "Airbag");
        assertProblem(owner.sendJson("PUT", base + "/items", "{\"items\":[\"" + ids.get("Roads") + "\"]}"), 409,
                "not-a-reordering");
        assertThat(titles(Http.json(owner.delete(base + "/items/" + ids.get("Roads")))))
                .containsExactly("Jóga", "Angel", "Airbag");
        assertThat(Http.json(owner.sendJson("PATCH", base, "{\"name\":\"Late night, edited\"}")).get("name").asText())
                .isEqualTo("Late night, edited");

        // a member who reads plays the items through the playlist, and nothing else of the owner's
        assertProblem(friend.get(base), 404, "not-found");
        assertProblem(friend.get(base + "/members"), 404, "not-found");
        assertProblem(owner.sendJson("PUT", base + "/members/" + friendName, "{\"role\":\"boss\"}"), 400,
                "bad-role");
        assertThat(owner.sendJson("PUT", base + "/members/" + friendName, "{\"role\":\"read\"}").statusCode())
                .isEqualTo(200);
        JsonNode theirs = Http.json(friend.get(base));
        assertThat(theirs.get("role").asText()).isEqualTo("READ");
        String stream = theirs.at("/items/0/stream").asText();
        assertThat(stream).contains("playlist=" + id);
        assertThat(friend.getBytes(stream).statusCode()).isEqualTo(200);
        assertProblem(friend.get("/api/v1/library/items/" + ids.get("Jóga") + "/stream"), 404, "not-found");
        assertProblem(friend.get("/api/v1/library/items/" + ids.get("Roads") + "/stream?playlist=" + id), 404,
                "not-found");
        assertProblem(friend.postJson(base + "/items", "{\"assetId\":\"" + ids.get("Roads") + "\"}"), 403,
                "playlist-role");
        assertThat(Http.json(friend.get("/api/v1/playlists")).get("items").findValuesAsText("id")).contains(id);

        // their copy keeps only what they may read without the original
        HttpResponse<String> copy = friend.postJson(base + "/duplicate", "{\"name\":\"Mine now\"}");
        assertThat(copy.statusCode()).as(copy.body()).isEqualTo(201);
        assertThat(Http.json(copy).get("size").asInt()).isZero();
        HttpResponse<String> ownCopy = owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(base + "/duplicate"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(ownCopy.statusCode()).as(ownCopy.body()).isEqualTo(201);
        assertThat(Http.json(ownCopy).get("name").asText()).isEqualTo("Copy of Late night, edited");
        assertThat(titles(Http.json(ownCopy))).containsExactly("Jóga", "Angel", "Airbag");

        assertProblem(friend.delete(base), 403, "playlist-role");
        assertThat(owner.delete(base).statusCode()).isEqualTo(204);
        assertProblem(friend.get(base), 404, "not-found");
        assertProblem(owner.postJson("/api/v1/playlists", "{}"), 400, "bad-name");
    }

    @Test
    void streamsAnswerRangesAsPlayersAskForThem() throws Exception {
        uploadTheLibrary();
        String path = "/api/v1/library/items/" + ids.get("Angel") + "/stream";
        HttpResponse<byte[]> all = owner.getBytes(path);
        byte[] whole = all.body();
        // a length up front (a player's duration, a download's progress), and the stream's own caching rule
        assertThat(all.headers().firstValue("Content-Length")).hasValue(Integer.toString(whole.length));
        assertThat(all.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(all.headers().firstValue("Cache-Control")).hasValue("private, max-age=0, must-revalidate");
        HttpResponse<byte[]> part = owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(path))
                .header("Range", "bytes=100-299"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-299/" + whole.length);
        assertThat(part.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(part.headers().firstValue("Content-Length")).hasValue("200");
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 100, 300));
        HttpResponse<byte[]> tail = owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(path))
                .header("Range", "bytes=-50"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, whole.length - 50, whole.length));
        String etag = part.headers().firstValue("ETag").orElseThrow();
        assertThat(owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(path)).header("Range", "bytes=0-9")
                .header("If-Range", etag), HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(206);
        assertThat(owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(path)).header("Range", "bytes=0-9")
                .header("If-Range", "\"another\""), HttpResponse.BodyHandlers.ofByteArray()).body())
                .as("a range of a file that changed gets the whole file").isEqualTo(whole);

        HttpResponse<String> past = owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(path))
                .header("Range", "bytes=" + whole.length + "-"));
        assertProblem(past, 416, "range-not-satisfiable");
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);
        assertProblem(owner.send(java.net.http.HttpRequest.newBuilder(owner.uri(path)).header("Range", "bytes=abc")),
                416, "range-not-satisfiable");
    }

    @Test
    void aPlayerSendingTheTokenInTheQueryStreamsAndNothingElseTakesItSo() throws Exception {
        uploadTheLibrary();
        String path = "/api/v1/library/items/" + ids.get("Angel") + "/stream";
        byte[] whole = owner.getBytes(path).body();
        java.net.http.HttpClient bare = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpRequest.Builder> unsigned = query ->
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + query));

        HttpResponse<byte[]> played = bare.send(unsigned.apply(path + "?access_token=" + ownerToken)
                .header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(played.statusCode()).as("an <audio src> with the token in its URL").isEqualTo(206);
        assertThat(played.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 0, 100));

        HttpResponse<String> forged = bare.send(unsigned.apply(path + "?access_token=not.a.token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        HttpResponse<String> elsewhere = bare.send(unsigned.apply("/api/v1/library/items?access_token=" + ownerToken)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).as("the query is not read for anything but a stream").isEqualTo(401);
        String strangers = token("lib-stranger-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(bare.send(unsigned.apply(path + "?access_token=" + strangers).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("someone else's item").isEqualTo(404);
    }

    @Test
    void aDeletedItemLeavesTheLibraryAndItsPlaylists() throws Exception {
        uploadTheLibrary();
        Http someone = new Http(port, token("lib-deleter-" + UUID.randomUUID().toString().substring(0, 8)));
        Path dir = Files.createTempDirectory("gone");
        String gone = LibraryFixtures.upload(someone, LibraryFixtures.make(dir, new Track("gone.mp3", "audio/mpeg",
                "Soon Gone", "Nobody", "Nothing", 1, 2020, "Pop"), false, 2), "audio/mpeg");
        LibraryFixtures.library(someone, "/api/v1/library/items?q=gone", page -> page.path("total").asLong() == 1);
        someone.sendJson("PATCH", "/api/v1/library/items/" + gone, "{\"labels\":[\"keep\"]}");
        String list = Http.json(someone.postJson("/api/v1/playlists", "{\"name\":\"Short\"}")).get("id").asText();
        someone.postJson("/api/v1/playlists/" + list + "/items", "{\"assetId\":\"" + gone + "\"}");

        assertThat(someone.delete("/api/v1/assets/" + gone).statusCode()).isEqualTo(204);
        LibraryFixtures.library(someone, "/api/v1/library/items", page -> page.path("total").asLong() == 0);
        assertProblem(someone.get("/api/v1/library/items/" + gone), 404, "not-found");
        assertThat(Http.json(someone.get("/api/v1/playlists/" + list)).get("items")).isEmpty();
    }

    @Test
    void anAdminRebuildsTheIndexFromTheTables() throws Exception {
        uploadTheLibrary();
        assertProblem(owner.postJson("/api/v1/ops/library/reindex", "{}"), 403, "forbidden");
        HttpResponse<String> rebuilt = new Http(port, adminToken()).postJson("/api/v1/ops/library/reindex", "{}");
        assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(200);
        assertThat(Http.json(rebuilt).get("items").asLong()).isGreaterThanOrEqualTo(TRACKS.size());
        // the same library afterwards, tags and all, made from the tables alone
        Map<String, JsonNode> listed = byTitle(Http.json(owner.get("/api/v1/library/items?limit=100")));
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(TRACKS.stream().map(Track::title).toList());
        assertThat(listed.get("Teardrop").at("/doc/artist").asText()).isEqualTo("Massive Attack");
        assertThat(Http.json(owner.get("/api/v1/library/items?q=radiohaed")).get("total").asLong()).isEqualTo(3);
    }

    private static List<String> titles(JsonNode playlist) {
        List<String> titles = new ArrayList<>();
        playlist.get("items").forEach(e -> titles.add(e.get("title").asText()));
        return titles;
    }
}
