package routes.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.support.Http.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Rough cuts of a paper edit rendered by the worker, the outputs measured with ffprobe (durations, streams) and,
 * for clicks, the WAV's own samples read here.
 */
class RoughCutTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;
    @Autowired
    ObjectMapper json;
    @TempDir
    Path dir;

    Http alice;
    String project;

    @BeforeEach
    void aProject() {
        alice = new Http(port, token("cutter-" + UUID.randomUUID().toString().substring(0, 8)));
        project = Http.json(alice.postJson("/api/v1/projects", "{\"name\":\"Cuts\"}")).get("id").asText();
    }

    /** A 4 s clip, 320x240 at 25 fps, with a steady tone at {@code hertz}; its transcript from one SRT cue. */
    private String transcribedClip(String name, int hertz) throws Exception {
        Path clip = dir.resolve(name);
        routes.images.TestImagesAccess.run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=25:duration=4", "-f", "lavfi", "-i",
                "sine=frequency=" + hertz + ":sample_rate=48000:duration=4", "-c:v", "libx264", "-preset",
                "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-shortest", clip.toString());
        HttpResponse<String> created = alice.post("/api/v1/assets?filename=" + name, "video/mp4",
                Files.readAllBytes(clip));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String asset = Http.json(created).get("id").asText();
        String srt = "1\n00:00:00,000 --> 00:00:04,000\none two three four five six seven eight\n";
        HttpResponse<String> transcript = alice.postJson("/api/v1/projects/" + project + "/transcripts",
                "{\"assetId\":\"" + asset + "\",\"format\":\"srt\",\"captions\":" + json.writeValueAsString(srt) + "}");
        assertThat(transcript.statusCode()).as(transcript.body()).isEqualTo(201);
        return Http.json(transcript).get("id").asText();
    }

    private String paperEdit(String a, String b) {
        String edits = "/api/v1/projects/" + project + "/paper-edits";
        String edit = edits + "/" + Http.json(alice.postJson(edits, "{\"title\":\"Cut\"}")).get("id").asText();
        alice.postJson(edit + "/elements", "{\"type\":\"title\",\"text\":\"skipped\"}");
        for (String cut : new String[] {a + ",1.0,2.2", b + ",0.5,1.3", a + ",3.0,3.6"}) {
            String[] p = cut.split(",");
            HttpResponse<String> added = alice.postJson(edit + "/elements", "{\"type\":\"paper_cut\","
                    + "\"transcriptId\":\"" + p[0] + "\",\"start\":" + p[1] + ",\"end\":" + p[2] + "}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        }
        return edit;
    }

    /** Renders and waits for the job (as long as it takes); the output file. */
    private Path rendered(String edit, String format) throws Exception {
        HttpResponse<String> started = alice.postJson(edit + "/renders", "{\"format\":\"" + format + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String job = started.headers().firstValue("Location").orElseThrow();
        JsonNode state = Http.json(alice.get(job));
        for (int i = 0; i < 600 && !state.get("status").asText().matches("SUCCEEDED|FAILED"); i++) {
            Thread.sleep(500);
            state = Http.json(alice.get(job));
        }
        assertThat(state.get("status").asText()).as(state.toString()).isEqualTo("SUCCEEDED");
        String key = state.get("steps").get(0).get("outputs").get(0).get("key").asText();
        Path out = dir.resolve("rough." + format);
        Files.write(out, s3.getObjectAsBytes(r -> r.bucket(properties.storage().bucket()).key(key)).asByteArray());
        return out;
    }

    @Test
    void aVideoRoughCutLastsTheSumOfItsCutsWithinAFrameEach() throws Exception {
        String a = transcribedClip("a.mp4", 440);
        String b = transcribedClip("b.mp4", 660);
        Path mp4 = rendered(paperEdit(a, b), "mp4");

        String streams = routes.images.TestImagesAccess.run("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_type,width,height,r_frame_rate:format=duration", "-of", "csv=p=0", mp4.toString());
        assertThat(streams).contains("video,320,240,25/1").contains("audio");
        double duration = Double.parseDouble(routes.images.TestImagesAccess.run("ffprobe", "-v", "error",
                "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of",
                "csv=p=0", mp4.toString()).strip()) / 25.0;
        // 1.2 + 0.8 + 0.6 s, one frame (0.04 s) each at most
        assertThat(duration).isBetween(2.6 - 3 * 0.04, 2.6 + 3 * 0.04);
    }

    @Test
    void anAudioRoughCutFadesAtEachCutSoNothingClicks() throws Exception {
        String a = transcribedClip("a.mp4", 440);
        String b = transcribedClip("b.mp4", 660);
        Path wav = rendered(paperEdit(a, b), "wav");

        byte[] bytes = Files.readAllBytes(wav);
        int data = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("data") + 8;
        ByteBuffer samples = ByteBuffer.wrap(bytes, data, bytes.length - data).order(ByteOrder.LITTLE_ENDIAN);
        int frames = (bytes.length - data) / 4; // 16-bit stereo
        assertThat(frames / 48000.0).isBetween(2.6 - 0.03, 2.6 + 0.03);
        for (double cut : new double[] {1.2, 2.0}) {
            double atCut = peak(samples, (int) ((cut - 0.005) * 48000), (int) ((cut + 0.005) * 48000));
            double before = peak(samples, (int) ((cut - 0.2) * 48000), (int) ((cut - 0.1) * 48000));
            assertThat(before).isGreaterThan(0.05);
            assertThat(atCut).as("peak within 5 ms of the cut at " + cut + " s").isLessThan(before * 0.6);
        }
    }

    @Test
    void whatCannotBeRenderedIsSaidBeforeAnyJob() throws Exception {
        String edits = "/api/v1/projects/" + project + "/paper-edits";
        String empty = edits + "/" + Http.json(alice.postJson(edits, "{\"title\":\"Empty\"}")).get("id").asText();
        assertProblem(alice.postJson(empty + "/renders", "{\"format\":\"mp4\"}"), 409, "nothing-to-render");
        assertProblem(alice.postJson(empty + "/renders", "{\"format\":\"avi\"}"), 400, "bad-format");
    }

    private static double peak(ByteBuffer samples, int from, int to) {
        int max = 0;
        for (int f = Math.max(0, from); f < to; f++) {
            for (int channel = 0; channel < 2; channel++) {
                max = Math.max(max, Math.abs(samples.getShort(samples.position() + (f * 2 + channel) * 2)));
            }
        }
        return max / 32768.0;
    }
}
