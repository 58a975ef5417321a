package routes.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.assets.ObjectKeys;
import routes.config.CaravanProperties;
import routes.stt.Transcript;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A project's transcripts over HTTP. The asset's speech-to-text result is put where the pipeline puts it (the asset's
 * bytes are not media, so the pipeline itself makes none to race with it).
 */
class ProjectTranscriptsApiTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;
    @Autowired
    ObjectMapper json;

    Http alice;
    Http reader;
    Http stranger;
    String project;
    String base;

    @BeforeEach
    void aProject() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        alice = new Http(port, token("alice-" + run));
        reader = new Http(port, token("reader-" + run));
        stranger = new Http(port, token("stranger-" + run));
        project = Http.json(alice.postJson("/api/v1/projects", "{\"name\":\"Interviews\"}")).get("id").asText();
        alice.sendJson("PUT", "/api/v1/projects/" + project + "/members/reader-" + run, "{\"role\":\"read\"}");
        base = "/api/v1/projects/" + project + "/transcripts";
    }

    /** An asset of alice's whose pipeline makes no transcript (its bytes are no media). */
    private String asset() {
        HttpResponse<String> created = alice.post("/api/v1/assets?filename=interview.mp4", "video/mp4",
                ("not really a video " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Http.json(created).get("id").asText();
    }

    /** The speech-to-text result of asset {@code id}: "we met in paris last spring", 0.5 s a word, speaker A. */
    private void recognised(String id) throws Exception {
        String[] said = {"we", "met", "in", "paris", "last", "spring"};
        List<Transcript.Word> words = new ArrayList<>();
        for (int i = 0; i < said.length; i++) {
            words.add(new Transcript.Word(said[i], i * 0.5, i * 0.5 + 0.4, 0.7, "A"));
        }
        byte[] body = json.writeValueAsBytes(Transcript.fromWords("en", 3.0, words));
        s3.putObject(r -> r.bucket(properties.storage().bucket()).key(ObjectKeys.transcript(id)),
                RequestBody.fromBytes(body));
    }

    private JsonNode made(String assetId) {
        HttpResponse<String> made = alice.postJson(base, "{\"assetId\":\"" + assetId + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return Http.json(made);
    }

    private HttpResponse<String> correct(Http who, String transcript, int baseRevision, int from, int to, String text) {
        return who.postJson(base + "/" + transcript + "/corrections", "{\"baseRevision\":" + baseRevision
                + ",\"from\":" + from + ",\"to\":" + to + ",\"text\":\"" + text + "\"}");
    }

    @Test
    void aCorrectionIsANewRevisionThatKeepsTimingsAndTheMachinesOwnStays() throws Exception {
        String asset = asset();
        recognised(asset);
        JsonNode summary = made(asset);
        assertThat(summary.get("status").asText()).isEqualTo("DONE");
        assertThat(summary.get("revision").asInt()).isEqualTo(1);
        assertThat(summary.get("title").asText()).isEqualTo("interview.mp4");
        String id = summary.get("id").asText();

        HttpResponse<String> corrected = correct(alice, id, 1, 3, 4, "Paris,");
        assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(200);
        JsonNode doc = Http.json(corrected);
        assertThat(doc.get("revision").asInt()).isEqualTo(2);
        assertThat(doc.get("text").asText()).isEqualTo("we met in Paris, last spring");
        JsonNode paris = doc.get("words").get(3);
        assertThat(paris.get("start").asDouble()).isEqualTo(1.5);
        assertThat(paris.get("end").asDouble()).isEqualTo(1.9);

        // a correction made on revision 1 after revision 2 was saved: 409, naming the latest
        HttpResponse<String> stale = correct(alice, id, 1, 0, 1, "We");
        assertProblem(stale, 409, "stale-revision");
        assertThat(Http.json(stale).get("detail").asText()).contains("revision 2");

        // revision 1 is the machine's, kept
        JsonNode first = Http.json(alice.get(base + "/" + id + "?revision=1"));
        assertThat(first.get("text").asText()).isEqualTo("we met in paris last spring");
        assertThat(first.get("latestRevision").asInt()).isEqualTo(2);
        JsonNode revisions = Http.json(alice.get(base + "/" + id + "/revisions"));
        assertThat(revisions).hasSize(2);
        assertThat(revisions.get(1).get("by").asText()).startsWith("alice-");
        assertProblem(alice.get(base + "/" + id + "?revision=3"), 404, "not-found");
    }

    @Test
    void twoPeopleSavingAtOnceOneWinsTheOtherGets409() throws Exception {
        String asset = asset();
        recognised(asset);
        String id = made(asset).get("id").asText();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> saves = new ArrayList<>();
        for (String text : List.of("Wee", "Oui")) {
            saves.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return correct(alice, id, 1, 0, 1, text);
            }));
        }
        go.countDown();
        List<Integer> statuses = saves.stream().map(f -> f.join().statusCode()).sorted().toList();
        assertThat(statuses).containsExactly(200, 409);
        JsonNode latest = Http.json(alice.get(base + "/" + id));
        assertThat(latest.get("revision").asInt()).isEqualTo(2);
        assertThat(latest.get("words").get(0).get("word").asText()).isIn("Wee", "Oui");
        // no orphan revision left in the bucket by the loser
        assertThat(s3.listObjectsV2(r -> r.bucket(properties.storage().bucket())
                .prefix("projects/" + project + "/transcripts/" + id + "/")).contents()).hasSize(2);
    }

    @Test
    void aTranscriptWaitsForItsSpeechToTextAndSpeakersAreNamed() throws Exception {
        String asset = asset();
        JsonNode waiting = made(asset);
        // waiting, or already ERROR when the asset's pipeline (its bytes are no media) failed first
        assertThat(waiting.get("status").asText()).isIn("IN_PROGRESS", "ERROR");
        String id = waiting.get("id").asText();
        assertThat(Http.json(alice.get(base + "/" + id)).get("words")).isEmpty();
        assertProblem(correct(alice, id, 0, 0, 0, "x"), 409, "transcript-not-ready");

        recognised(asset);
        JsonNode done = Http.json(alice.get(base + "/" + id));
        assertThat(done.get("status").asText()).isEqualTo("DONE");
        assertThat(done.get("words")).hasSize(6);

        HttpResponse<String> named = alice.sendJson("PUT", base + "/" + id + "/speakers/A", "{\"name\":\"Amélie\"}");
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertThat(Http.json(named).get("speakers").get("A").asText()).isEqualTo("Amélie");
        assertProblem(alice.sendJson("PUT", base + "/" + id + "/speakers/%3Cscript%3E", "{\"name\":\"x\"}"), 400,
                "bad-speaker");
        assertThat(Http.json(alice.get(base)).findValuesAsText("id")).contains(id);
    }

    @Test
    void readersReadStrangersSeeNothingAndBadRequestsAreClear() throws Exception {
        String asset = asset();
        recognised(asset);
        String id = made(asset).get("id").asText();

        assertThat(reader.get(base + "/" + id).statusCode()).isEqualTo(200);
        // a member hears the media of alice's asset through the project, without reaching the asset itself
        JsonNode media = Http.json(reader.get(base + "/" + id + "/media"));
        assertThat(media.get("id").asText()).isEqualTo(asset);
        assertThat(media.at("/original/url").asText()).startsWith("http");
        assertProblem(reader.get("/api/v1/assets/" + asset), 404, "not-found");
        assertProblem(stranger.get(base + "/" + id + "/media"), 404, "not-found");
        assertProblem(correct(reader, id, 1, 0, 1, "x"), 403, "project-role");
        assertProblem(reader.postJson(base, "{\"assetId\":\"" + asset + "\"}"), 403, "project-role");
        assertProblem(stranger.get(base + "/" + id), 404, "not-found");
        assertProblem(stranger.get(base), 404, "not-found");

        assertProblem(correct(alice, id, 1, 4, 9, "x"), 400, "bad-range");
        assertProblem(alice.postJson(base + "/" + id + "/corrections", "{\"from\":0,\"to\":1}"), 400,
                "bad-correction");
        assertProblem(alice.postJson(base, "{}"), 400, "missing-asset");
        assertProblem(alice.postJson(base, "{\"assetId\":\"" + UUID.randomUUID() + "\"}"), 400, "unknown-asset");
        // another member's asset is not alice's to transcribe
        String others = Http.json(stranger.post("/api/v1/assets?filename=b.mp4", "video/mp4",
                "x".getBytes(StandardCharsets.UTF_8))).get("id").asText();
        assertProblem(alice.postJson(base, "{\"assetId\":\"" + others + "\"}"), 400, "unknown-asset");
        assertProblem(alice.get(base + "/" + UUID.randomUUID()), 404, "not-found");

        assertThat(alice.delete(base + "/" + id).statusCode()).isEqualTo(204);
        assertProblem(alice.get(base + "/" + id), 404, "not-found");
    }

    @Test
    void labelsAndAnnotationsMarkTimeRangesAndAreListedByLabel() throws Exception {
        String asset = asset();
        recognised(asset);
        String transcript = made(asset).get("id").asText();
        String labels = "/api/v1/projects/" + project + "/labels";
        String annotations = "/api/v1/projects/" + project + "/annotations";

        HttpResponse<String> quote = alice.postJson(labels, "{\"name\":\"Quote\",\"colour\":\"#4CAF50\"}");
        assertThat(quote.statusCode()).as(quote.body()).isEqualTo(201);
        String quoteId = Http.json(quote).get("id").asText();
        assertThat(Http.json(quote).get("colour").asText()).isEqualTo("#4caf50");
        String checkId = Http.json(alice.postJson(labels, "{\"name\":\"check facts\"}")).get("id").asText();
        assertThat(Http.json(alice.get(labels)).findValuesAsText("name")).containsExactly("check facts", "Quote");
        assertProblem(alice.postJson(labels, "{\"name\":\"x\",\"colour\":\"green\"}"), 400, "bad-colour");
        assertProblem(reader.postJson(labels, "{\"name\":\"x\"}"), 403, "project-role");

        HttpResponse<String> first = alice.postJson(annotations, "{\"transcriptId\":\"" + transcript
                + "\",\"start\":1.0,\"end\":2.4,\"labelId\":\"" + quoteId + "\",\"note\":\"use in the open\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String firstId = Http.json(first).get("id").asText();
        alice.postJson(annotations, "{\"transcriptId\":\"" + transcript + "\",\"start\":0.0,\"end\":0.9,"
                + "\"labelId\":\"" + checkId + "\"}");
        JsonNode byQuote = Http.json(reader.get(annotations + "?labelId=" + quoteId));
        assertThat(byQuote).hasSize(1);
        assertThat(byQuote.get(0).get("note").asText()).isEqualTo("use in the open");
        assertThat(byQuote.get(0).get("by").asText()).startsWith("alice-");
        JsonNode ofTranscript = Http.json(reader.get(annotations + "?transcriptId=" + transcript));
        assertThat(ofTranscript.findValuesAsText("labelId")).containsExactly(checkId, quoteId); // by start

        HttpResponse<String> moved = alice.sendJson("PATCH", annotations + "/" + firstId, "{\"end\":2.9}");
        assertThat(Http.json(moved).get("end").asDouble()).isEqualTo(2.9);
        assertThat(Http.json(moved).get("start").asDouble()).isEqualTo(1.0);
        assertProblem(alice.sendJson("PATCH", annotations + "/" + firstId, "{\"end\":0.5}"), 400, "bad-range");
        assertProblem(alice.sendJson("PATCH", annotations + "/" + firstId, "{\"transcriptId\":\""
                + UUID.randomUUID() + "\"}"), 400, "bad-annotation");
        assertProblem(alice.postJson(annotations, "{\"transcriptId\":\"" + transcript + "\",\"start\":1,"
                + "\"end\":2,\"labelId\":\"" + UUID.randomUUID() + "\"}"), 400, "unknown-label");
        assertProblem(alice.postJson(annotations, "{\"transcriptId\":\"" + UUID.randomUUID() + "\",\"start\":1,"
                + "\"end\":2}"), 404, "not-found");

        // a deleted label leaves its annotation, unlabelled; a deleted transcript takes its annotations
        assertThat(alice.delete(labels + "/" + quoteId).statusCode()).isEqualTo(204);
        JsonNode unlabelled = Http.json(alice.get(annotations + "?transcriptId=" + transcript));
        assertThat(unlabelled).hasSize(2);
        assertThat(unlabelled.get(1).has("labelId")).isFalse();
        assertThat(alice.delete(base + "/" + transcript).statusCode()).isEqualTo(204);
        assertThat(Http.json(alice.get(annotations))).isEmpty();
    }

    @Test
    void aPaperEditAssemblesCutsOfTranscriptsWithTitlesAndVoiceOver() throws Exception {
        String asset = asset();
        recognised(asset);
        String transcript = made(asset).get("id").asText();
        alice.sendJson("PUT", base + "/" + transcript + "/speakers/A", "{\"name\":\"Amélie\"}");
        String edits = "/api/v1/projects/" + project + "/paper-edits";
        HttpResponse<String> made = alice.postJson(edits, "{\"title\":\"Paris, 3 minutes\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String edit = edits + "/" + Http.json(made).get("id").asText();
        String elements = edit + "/elements";

        alice.postJson(elements, "{\"type\":\"title\",\"text\":\"Opening\"}");
        HttpResponse<String> cut = alice.postJson(elements, "{\"type\":\"paper_cut\",\"transcriptId\":\""
                + transcript + "\",\"start\":1.0,\"end\":2.0}");
        assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
        JsonNode afterCut = Http.json(cut);
        JsonNode cutView = afterCut.get("elements").get(1);
        assertThat(cutView.get("words").asText()).isEqualTo("in paris");
        assertThat(cutView.get("speaker").asText()).isEqualTo("Amélie");
        assertThat(cutView.get("transcriptTitle").asText()).isEqualTo("interview.mp4");
        String cutId = cutView.get("id").asText();
        alice.postJson(elements, "{\"type\":\"voice_over\",\"text\":\"Spring came late.\",\"position\":1}");

        // moved first, then its range widened; a correction of the transcript shows in it
        alice.sendJson("PATCH", elements + "/" + cutId, "{\"position\":0}");
        alice.sendJson("PATCH", elements + "/" + cutId, "{\"end\":3.0}");
        correct(alice, transcript, 1, 3, 4, "Paris,");
        JsonNode read = Http.json(reader.get(edit));
        assertThat(read.get("elements").findValuesAsText("type")).containsExactly("PAPER_CUT", "TITLE", "VOICE_OVER");
        assertThat(read.get("elements").get(0).get("words").asText()).isEqualTo("in Paris, last spring");
        assertThat(read.get("cutSeconds").asDouble()).isEqualTo(2.0);

        String titleId = read.get("elements").get(1).get("id").asText();
        assertThat(Http.json(alice.delete(elements + "/" + titleId)).get("elements")).hasSize(2);
        assertThat(Http.json(alice.get(edits)).get(0).get("elements").asInt()).isEqualTo(2);

        assertProblem(alice.postJson(elements, "{\"type\":\"paper_cut\",\"transcriptId\":\"" + transcript
                + "\",\"start\":2.0,\"end\":1.0}"), 400, "bad-range");
        // past the end of the media (3 s here): refused, nothing changed
        int before = Http.json(alice.get(edit)).get("elements").size();
        assertProblem(alice.postJson(elements, "{\"type\":\"paper_cut\",\"transcriptId\":\"" + transcript
                + "\",\"start\":2.0,\"end\":9.0}"), 400, "bad-range");
        assertThat(Http.json(alice.get(edit)).get("elements").size()).isEqualTo(before);
        assertProblem(alice.postJson(elements, "{\"type\":\"paper_cut\",\"transcriptId\":\""
                + UUID.randomUUID() + "\",\"start\":0,\"end\":1}"), 404, "not-found");
        assertProblem(alice.postJson(elements, "{\"type\":\"jingle\",\"text\":\"x\"}"), 400, "bad-element");
        assertProblem(alice.postJson(elements, "{\"type\":\"note\",\"text\":\"x\",\"position\":9}"), 400,
                "bad-position");
        assertProblem(alice.postJson(elements, "{\"type\":\"note\"}"), 400, "bad-text");
        // what does not fit an element is refused, not dropped
        assertProblem(alice.postJson(elements, "{\"type\":\"paper_cut\",\"transcriptId\":\"" + transcript
                + "\",\"start\":0,\"end\":1,\"text\":\"my words\"}"), 400, "bad-element");
        assertProblem(alice.postJson(elements, "{\"type\":\"title\",\"text\":\"x\",\"start\":1}"), 400,
                "bad-element");
        assertProblem(alice.sendJson("PATCH", elements + "/" + cutId, "{\"type\":\"note\"}"), 400, "bad-element");
        assertProblem(alice.sendJson("PATCH", elements + "/" + cutId, "{\"text\":\"x\"}"), 400, "bad-element");
        assertProblem(reader.postJson(elements, "{\"type\":\"note\",\"text\":\"x\"}"), 403, "project-role");
        assertProblem(stranger.get(edit), 404, "not-found");
        assertThat(alice.delete(edit).statusCode()).isEqualTo(204);
        assertProblem(alice.get(edit), 404, "not-found");
    }

    @Test
    void exportsGiveEditingSoftwareTheSourcesOwnTimecodeAndPeopleTheScript(
            @Autowired routes.assets.AssetService assetService) throws Exception {
        // an NTSC interview whose timecode starts at 10:00:00;00, and a PAL one with none
        String ntsc = asset();
        recognised(ntsc);
        assetService.record(ntsc, routes.assets.AssetMetadata.media("mov", 3, 100, 1, new routes.assets.AssetMetadata
                .VideoStream("h264", 1920, 1080, 1920, 1080, 0, 30000.0 / 1001), new routes.assets.AssetMetadata
                .AudioStream("aac", 48000, 2), java.util.Map.of("timecode", "10:00:00;00")), List.of());
        String pal = asset();
        recognised(pal);
        assetService.record(pal, routes.assets.AssetMetadata.media("mp4", 3, 100, 1, new routes.assets.AssetMetadata
                .VideoStream("h264", 1280, 720, 1280, 720, 0, 25), new routes.assets.AssetMetadata
                .AudioStream("aac", 48000, 1), java.util.Map.of()), List.of());
        String first = made(ntsc).get("id").asText();
        String second = made(pal).get("id").asText();
        alice.sendJson("PUT", base + "/" + first + "/speakers/A", "{\"name\":\"Amélie\"}");
        String edits = "/api/v1/projects/" + project + "/paper-edits";
        String edit = edits + "/" + Http.json(alice.postJson(edits, "{\"title\":\"Paris, été\"}")).get("id").asText();
        alice.postJson(edit + "/elements", "{\"type\":\"title\",\"text\":\"Opening\"}");
        alice.postJson(edit + "/elements", "{\"type\":\"paper_cut\",\"transcriptId\":\"" + first
                + "\",\"start\":1.0,\"end\":2.0}");
        alice.postJson(edit + "/elements", "{\"type\":\"voice_over\",\"text\":\"Spring came late.\"}");
        alice.postJson(edit + "/elements", "{\"type\":\"paper_cut\",\"transcriptId\":\"" + second
                + "\",\"start\":0.5,\"end\":1.5}");

        HttpResponse<String> edl = reader.get(edit + "/export?format=edl");
        assertThat(edl.statusCode()).as(edl.body()).isEqualTo(200);
        assertThat(edl.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"Paris-ete.edl\"");
        List<String> lines = edl.body().lines().toList();
        assertThat(lines).containsExactly(
                "TITLE: Paris, ete",
                "FCM: DROP FRAME",
                "",
                "* TITLE: Opening",
                "001  INTERV01 AA/V  C        10:00:01;00 10:00:02;00 01:00:00;00 01:00:01;00",
                "* FROM CLIP NAME: interview.mp4",
                "* VOICE OVER: Spring came late.",
                "002  INTERV02 B     C        00:00:00:13 00:00:01:13 01:00:01;00 01:00:02;00",
                "* FROM CLIP NAME: interview.mp4");
        assertThat(edl.body()).contains("\r\n");

        // FCPXML: exact frame fractions, the sequence at 01:00:00;00 drop frame, the voice-over a marker
        org.w3c.dom.Document fcpxml = xml(reader.get(edit + "/export?format=fcpxml").body());
        javax.xml.xpath.XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("/fcpxml/@version", fcpxml)).isEqualTo("1.9");
        assertThat(xpath.evaluate("//sequence/@tcFormat", fcpxml)).isEqualTo("DF");
        // 107892 frames (01:00:00;00) of 1001/30000 s, reduced
        assertThat(xpath.evaluate("//sequence/@tcStart", fcpxml)).isEqualTo("8999991/2500s");
        assertThat(xpath.evaluate("count(//spine/asset-clip)", fcpxml)).isEqualTo("2");
        assertThat(xpath.evaluate("//spine/asset-clip[1]/@duration", fcpxml)).isEqualTo("1001/1000s");
        assertThat(xpath.evaluate("//spine/asset-clip[2]/@start", fcpxml)).isEqualTo("13/25s");
        assertThat(xpath.evaluate("//spine/asset-clip[2]/marker/@value", fcpxml)).isEqualTo("VOICE OVER: Spring came late.");
        assertThat(xpath.evaluate("//asset[1]/media-rep/@src", fcpxml)).isEqualTo("interview.mp4");
        // xmeml: timeline frames from the sequence start, source frames from the media's first
        org.w3c.dom.Document xmeml = xml(reader.get(edit + "/export?format=xmeml").body());
        assertThat(xpath.evaluate("/xmeml/sequence/timecode/string", xmeml)).isEqualTo("01:00:00;00");
        assertThat(xpath.evaluate("//video/track/clipitem[1]/start", xmeml)).isEqualTo("0");
        assertThat(xpath.evaluate("//video/track/clipitem[1]/end", xmeml)).isEqualTo("30");
        assertThat(xpath.evaluate("//video/track/clipitem[1]/in", xmeml)).isEqualTo("30");
        assertThat(xpath.evaluate("//video/track/clipitem[2]/in", xmeml)).isEqualTo("13");
        assertThat(xpath.evaluate("//video/track/clipitem[2]/end", xmeml)).isEqualTo("60");
        assertThat(xpath.evaluate("//file[name='interview.mp4'][1]/timecode/string", xmeml)).isEqualTo("10:00:00;00");
        assertThat(xpath.evaluate("count(//audio/track)", xmeml)).isEqualTo("2");
        assertThat(xpath.evaluate("count(//audio/track[2]/clipitem)", xmeml)).isEqualTo("1"); // the mono one has one

        // AES31 ADL: sample-accurate cuts, as DPE writes them
        List<String> adl = reader.get(edit + "/export?format=adl").body().lines().toList();
        assertThat(adl).contains("\t(SEQ_SAMPLE_RATE)\tS48000", "\t(SEQ_FRAME_RATE)\t30",
                "\t(Index)\t1\t(F)\t\"URL:file://localhost/interview.mp4\"\tINTERV01\t_\t_\t\"interview.mp4\"\t\"_\"");
        List<String> entries = adl.stream().filter(l -> l.startsWith("\t(Entry)")).toList();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).startsWith("\t(Entry)\t1\t(Cut)\tI\t1\t1~2\t1~2\t")
                .contains("\t00:00:00:00/0000\t00:00:01:00/0000\t_\t(Rem) NAME \"in paris\"");
        assertThat(entries.get(1)).isEqualTo("\t(Entry)\t2\t(Cut)\tI\t2\t1\t1\t00:00:00:15/0000\t00:00:01:00/0000"
                + "\t00:00:02:00/0000\t_\t(Rem) NAME \"met in\"");

        // DOCX, read back without POI: the zip's word/document.xml
        String docxScript = docxText(reader.getBytes(edit + "/export?format=docx"));
        assertThat(docxScript).contains("Paris, été", "Opening", "VOICE OVER: ", "Spring came late.", "Amélie: ",
                "in paris");
        assertThat(docxText(reader.getBytes(base + "/" + first + "/export?format=docx"))).contains("[00:00:00.000] ", "Amélie: ", "we met in paris last spring");

        String script = reader.get(edit + "/export?format=txt").body();
        assertThat(script).contains("OPENING", "VOICE OVER: Spring came late.", "interview.mp4 - Amélie",
                "in paris");

        HttpResponse<String> srt = reader.get(base + "/" + first + "/export?format=srt");
        assertThat(srt.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-subrip");
        assertThat(srt.body()).startsWith("1\n00:00:00,000 --> ").contains("we met in paris last spring");
        assertThat(reader.get(base + "/" + first + "/export?format=vtt").body()).startsWith("WEBVTT");
        assertThat(reader.get(base + "/" + first + "/export?format=txt").body())
                .isEqualTo("[00:00:00.000] Amélie: we met in paris last spring\n\n");
        JsonNode dpe = Http.json(reader.get(base + "/" + first + "/export?format=dpe"));
        assertThat(dpe.get("words").get(3).get("text").asText()).isEqualTo("paris");
        assertThat(dpe.get("words").get(3).get("start").asDouble()).isEqualTo(1.5);
        assertThat(dpe.get("paragraphs").get(0).get("speaker").asText()).isEqualTo("Amélie");
        assertProblem(reader.get(base + "/" + first + "/export?format=doc"), 400, "bad-format");
        assertProblem(reader.get(edit + "/export?format=aaf"), 400, "bad-format");
        assertProblem(stranger.get(edit + "/export?format=edl"), 404, "not-found");
    }

    @Test
    void searchFindsPhrasesAcrossTranscriptsBySpeakerAndLabel() throws Exception {
        String one = asset();
        recognised(one);
        String first = made(one).get("id").asText();
        String two = asset();
        recognised(two);
        String second = made(two).get("id").asText();
        alice.sendJson("PUT", base + "/" + second + "/speakers/A", "{\"name\":\"Bruno\"}");
        correct(alice, first, 1, 3, 4, "Paris,");
        String search = "/api/v1/projects/" + project + "/search";

        JsonNode both = Http.json(reader.get(search + "?q=PARIS%20last"));
        assertThat(both.get("hits")).hasSize(2);
        JsonNode hit = both.get("hits").findValues("transcriptId").get(0).asText().equals(first)
                ? both.get("hits").get(0) : both.get("hits").get(1);
        assertThat(hit.get("start").asDouble()).isEqualTo(1.5);
        assertThat(hit.get("end").asDouble()).isEqualTo(2.4);
        assertThat(hit.get("words").asText()).isEqualTo("Paris, last");
        assertThat(hit.get("context").asText()).isEqualTo("we met in Paris, last spring");
        assertThat(Http.json(reader.get(search + "?q=paris&speaker=Bruno")).get("hits").findValuesAsText("transcriptId"))
                .containsExactly(second);
        assertThat(Http.json(reader.get(search + "?q=spring%20paris")).get("hits")).isEmpty();
        JsonNode limited = Http.json(reader.get(search + "?q=we&limit=1"));
        assertThat(limited.get("hits")).hasSize(1);
        assertThat(limited.get("truncated").asBoolean()).isTrue();

        String label = Http.json(alice.postJson("/api/v1/projects/" + project + "/labels", "{\"name\":\"Keep\"}"))
                .get("id").asText();
        alice.postJson("/api/v1/projects/" + project + "/annotations", "{\"transcriptId\":\"" + second
                + "\",\"start\":1.0,\"end\":2.0,\"labelId\":\"" + label + "\"}");
        assertThat(Http.json(reader.get(search + "?q=paris&labelId=" + label)).get("hits")
                .findValuesAsText("transcriptId")).containsExactly(second);
        assertProblem(reader.get(search + "?q=%20"), 400, "bad-query");
        assertProblem(stranger.get(search + "?q=paris"), 404, "not-found");
    }

    @Test
    void captionsAndTextTheMediaAlreadyHasBecomeTimedTranscripts() throws Exception {
        String srt = "1\n00:00:01,000 --> 00:00:02,000\nWe met\n\n2\n00:00:02,500 --> 00:00:04,000\nin Paris.\n";
        HttpResponse<String> fromSrt = alice.postJson(base, "{\"assetId\":\"" + asset() + "\",\"format\":\"srt\","
                + "\"captions\":" + json.writeValueAsString(srt) + "}");
        assertThat(fromSrt.statusCode()).as(fromSrt.body()).isEqualTo(201);
        assertThat(Http.json(fromSrt).get("status").asText()).isEqualTo("DONE");
        JsonNode words = Http.json(alice.get(base + "/" + Http.json(fromSrt).get("id").asText())).get("words");
        assertThat(words.findValuesAsText("word")).containsExactly("We", "met", "in", "Paris.");
        assertThat(words.get(2).get("start").asDouble()).isEqualTo(2.5);

        // text, before the speech-to-text result exists: aligned to it once it does
        String asset = asset();
        HttpResponse<String> fromText = alice.postJson(base, "{\"assetId\":\"" + asset + "\",\"format\":\"text\","
                + "\"captions\":\"We first met in Paris, last spring.\"}");
        assertThat(Http.json(fromText).get("status").asText()).isIn("IN_PROGRESS", "ERROR");
        recognised(asset);
        JsonNode aligned = Http.json(alice.get(base + "/" + Http.json(fromText).get("id").asText()));
        assertThat(aligned.get("status").asText()).isEqualTo("DONE");
        assertThat(aligned.get("text").asText()).isEqualTo("We first met in Paris, last spring.");
        JsonNode w = aligned.get("words");
        assertThat(w.get(0).get("start").asDouble()).isEqualTo(0.0);  // "We" = "we"
        assertThat(w.get(2).get("start").asDouble()).isEqualTo(0.5);  // "met"
        assertThat(w.get(4).get("start").asDouble()).isEqualTo(1.5);  // "Paris," = "paris"
        assertThat(w.get(1).get("start").asDouble()).isGreaterThanOrEqualTo(0.4); // "first", in the pause
        assertThat(w.get(1).get("end").asDouble()).isLessThanOrEqualTo(0.5);
        assertThat(Http.json(alice.get(base + "/" + Http.json(fromText).get("id").asText() + "/revisions")).get(0)
                .get("note").asText()).isEqualTo("text aligned to speech to text");

        assertProblem(alice.postJson(base, "{\"assetId\":\"" + asset + "\",\"format\":\"doc\",\"captions\":\"x\"}"),
                400, "bad-captions");
        assertProblem(alice.postJson(base, "{\"assetId\":\"" + asset + "\",\"format\":\"srt\",\"captions\":"
                + "\"no cues here\"}"), 400, "bad-captions");
    }

    /** The text of a DOCX answer, from its word/document.xml (the JDK's zip and XML readers, not POI). */
    private static String docxText(HttpResponse<byte[]> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("wordprocessingml");
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(response.body()))) {
            for (java.util.zip.ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("word/document.xml")) {
                    return xml(new String(zip.readAllBytes(), StandardCharsets.UTF_8)).getDocumentElement()
                            .getTextContent();
                }
            }
        }
        throw new AssertionError("no word/document.xml in the DOCX");
    }

    @Test
    void aTranscriptWhoseMediaFailedItsPipelineSaysWhyAndRecoversIfTheWordsComeLater() throws Exception {
        String asset = asset(); // not media: its pipeline fails at the probe
        JsonNode job = null;
        for (int i = 0; i < 600; i++) {
            JsonNode jobs = Http.json(alice.get("/api/v1/jobs?assetId=" + asset)).get("items");
            job = jobs.size() == 0 ? null : jobs.get(0);
            if (job != null && job.get("status").asText().matches("FAILED|SUCCEEDED|CANCELLED")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(job).isNotNull();
        assertThat(job.get("status").asText()).isEqualTo("FAILED");

        JsonNode made = made(asset);
        assertThat(made.get("status").asText()).isEqualTo("ERROR");
        assertThat(made.get("error").asText()).contains(job.get("id").asText());

        recognised(asset); // the words arrive after all (a redriven step): the transcript picks them up
        assertThat(Http.json(alice.get(base + "/" + made.get("id").asText())).get("status").asText()).isEqualTo("DONE");
    }

    private static org.w3c.dom.Document xml(String text) throws Exception {
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(text.getBytes(
                StandardCharsets.UTF_8)));
    }
}
