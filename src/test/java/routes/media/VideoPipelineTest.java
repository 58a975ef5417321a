package routes.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.config.CaravanProperties;
import org.apache.camel.ProducerTemplate;
import routes.support.CaravanTestSupport;
import routes.support.Http;
import routes.support.Jobs;
import software.amazon.awssdk.services.s3.S3Client;

/** An uploaded video goes through probe, the ladder, thumbnails and audio; broken media fails with a reason. */
class VideoPipelineTest extends CaravanTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Autowired
    S3Client s3;
    @Autowired
    CaravanProperties properties;
    @Autowired
    ProducerTemplate producer;
    @TempDir
    Path dir;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port, token());
    }

    @Test
    void aVideoIsProbedLadderedThumbnailedAndItsAudioExtracted() throws Exception {
        Path clip = ffmpeg("clip.mp4", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=3",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", "-shortest");
        String assetId = Http.json(http.post("/api/v1/assets?filename=clip.mp4", "video/mp4", Files.readAllBytes(clip)))
                .get("id").asText();

        JsonNode job = ended(assetId);
        assertThat(job.get("kind").asText()).isEqualTo("video");
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        for (String step : List.of("probe", "transcode", "thumbnails", "audio", "stt")) {
            assertThat(stepOf(job, step).get("status").asText()).as(step + " in " + job).isEqualTo("SUCCEEDED");
        }
        // the ladder is most of the work, and most of the job's progress
        assertThat(stepOf(job, "transcode").get("weight").asInt()).isEqualTo(12);
        assertThat(stepOf(job, "probe").get("weight").asInt()).isEqualTo(1);
        JsonNode asset = Http.json(http.get("/api/v1/assets/" + assetId));
        assertThat(asset.at("/metadata/video/width").asInt()).isEqualTo(1280);
        assertThat(asset.at("/metadata/duration").asDouble()).isBetween(2.8, 3.3);

        List<String> names = asset.get("renditions").findValuesAsText("name");
        assertThat(names).contains("720p", "480p", "poster", "preview", "hls").doesNotContain("1080p");
        Path rendition = download(assetId + "/video/480p.mp4");
        assertThat(ffprobe(rendition, "stream=codec_name,width,height")).contains("h264,854,480").contains("aac");
        // the HLS package: a master playlist naming both rungs, each a media playlist of segments that play
        String master = Files.readString(download(assetId + "/hls/master.m3u8"));
        assertThat(master).startsWith("#EXTM3U").contains("RESOLUTION=1280x720").contains("RESOLUTION=854x480")
                .contains("720p.m3u8").contains("480p.m3u8");
        String media = Files.readString(download(assetId + "/hls/480p.m3u8"));
        assertThat(media).contains("#EXT-X-ENDLIST").contains("480p_000.ts");
        assertThat(ffprobe(download(assetId + "/hls/480p_000.ts"), "stream=codec_name,width,height"))
                .contains("h264,854,480");
        Path speech = download(assetId + "/audio/speech.wav");
        assertThat(ffprobe(speech, "stream=sample_rate,channels")).contains("16000,1");
        var vtt = http.get("/api/v1/assets/" + assetId + "/transcript?format=vtt");
        assertThat(vtt.statusCode()).isEqualTo(200);
        assertThat(vtt.body()).startsWith("WEBVTT");
        assertThat(http.get("/api/v1/assets/" + assetId + "/transcript?format=srt").statusCode()).isEqualTo(200);
    }

    @Test
    void speechGetsATranscriptWithWordTimings() throws Exception {
        String said = "please call me back tomorrow morning at nine";
        Path spoken = dir.resolve("spoken.wav");
        Process espeak = new ProcessBuilder("espeak-ng", "-v", "en-us+f2", "-s", "140", "-w", spoken.toString(),
                said).redirectErrorStream(true).start();
        assertThat(espeak.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // sent as MP3, as people send speech
        Path mp3 = dir.resolve("spoken.mp3");
        Process encode = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", spoken.toString(),
                "-c:a", "libmp3lame", "-b:a", "64k", mp3.toString()).redirectErrorStream(true).start();
        assertThat(encode.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String assetId = Http.json(http.post("/api/v1/assets?filename=spoken.mp3", "audio/mpeg", Files.readAllBytes(mp3)))
                .get("id").asText();

        JsonNode job = ended(assetId);
        assertThat(job.get("kind").asText()).isEqualTo("audio");
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode transcript = Http.json(http.get("/api/v1/assets/" + assetId + "/transcript"));
        JsonNode words = transcript.get("words");
        // the embedded engine (Moonshine) hears what the synthetic voice said, nearly word for word
        assertThat(routes.stt.WordErrorRate.of(said, transcript.get("text").asText()))
                .as(transcript.get("text").asText()).isLessThanOrEqualTo(0.25);
        assertThat(transcript.get("paragraphs").get(0).has("speaker")).isTrue();
        double last = 0;
        for (JsonNode word : words) {
            assertThat(word.get("start").asDouble()).isGreaterThanOrEqualTo(last);
            assertThat(word.get("end").asDouble()).isGreaterThanOrEqualTo(word.get("start").asDouble());
            last = word.get("start").asDouble();
        }
        assertThat(http.get("/api/v1/assets/" + assetId + "/transcript?format=srt").body()).contains("-->");
        assertThat(http.get("/api/v1/assets/" + assetId + "/transcript?format=doc").statusCode()).isEqualTo(400);
    }

    @Test
    void aTruncatedVideoEndsFailedWithTheReason() throws Exception {
        Path clip = ffmpeg("whole.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
                "-c:v", "libx264", "-preset", "ultrafast");
        byte[] bytes = Files.readAllBytes(clip);
        byte[] half = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        String assetId = Http.json(http.post("/api/v1/assets?filename=cut.mp4", "video/mp4", half)).get("id").asText();

        // every worker the upload reached finds the file broken; the job ends with the first of them
        JsonNode job = ended(assetId);
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("error").asText()).matches("step (probe|transcode|thumbnails|audio) failed: corrupt-media: .+");
        // the transcript waits for the audio step, which never makes audio: it is not left QUEUED
        JsonNode stt = stepOf(job, "stt");
        assertThat(stt.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(stt.get("note").asText()).matches("not run: step (probe|transcode|thumbnails|audio) failed");
    }

    @Test
    void theStepsFollowWhatTheFileHoldsNotItsDeclaredType() throws Exception {
        // audio only, sent as video/mp4 (as browsers and phones label such files): the video steps are skipped
        String audioAsVideo = upload("voice.mp4", "video/mp4", MediaFixtures.tone(dir, "m4a"));
        // a video without sound: no transcript to make
        String silentVideo = upload("silent.mp4", "video/mp4", MediaFixtures.silent(dir));
        // a video sent as audio/mp4: the audio path its job was made for, and nothing for the video workers
        NotifyBuilder videoWorkers = new NotifyBuilder(camel).fromRoute("media-transcode").fromRoute("media-thumbnails")
                .filter(e -> e.getMessage().getBody(String.class).contains("/talk.m4a")).whenReceived(1).create();
        String videoAsAudio = upload("talk.m4a", "audio/mp4", MediaFixtures.landscape(dir));

        JsonNode job = ended(audioAsVideo);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        for (String step : List.of("transcode", "thumbnails")) {
            assertThat(stepOf(job, step).get("status").asText()).as(step).isEqualTo("SKIPPED");
            assertThat(stepOf(job, step).get("note").asText()).isEqualTo("the media has no video stream");
        }
        assertThat(stepOf(job, "stt").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(ffprobe(download(audioAsVideo + "/audio/speech.wav"), "stream=sample_rate,channels"))
                .contains("16000,1");

        job = ended(silentVideo);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        for (String step : List.of("audio", "stt")) {
            assertThat(stepOf(job, step).get("status").asText()).as(step).isEqualTo("SKIPPED");
            assertThat(stepOf(job, step).get("note").asText()).isEqualTo("the media has no audio stream");
        }
        assertThat(ffprobe(download(silentVideo + "/video/360p.mp4"), "stream=codec_name,width,height"))
                .contains("h264,640,360").doesNotContain("aac");

        job = ended(videoAsAudio);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        List<String> steps = new java.util.ArrayList<>();
        job.get("steps").forEach(step -> steps.add(step.get("name").asText()));
        assertThat(steps).containsExactly("probe", "audio", "cover", "stt");
        assertThat(Http.json(http.get("/api/v1/assets/" + videoAsAudio)).get("renditions").findValuesAsText("name"))
                .contains("transcript").doesNotContain("480p", "poster");
        assertThat(videoWorkers.matches()).as("a video worker received the audio job").isFalse();
    }

    @Test
    void aTaskForADeletedAssetIsDroppedNotRetried() throws Exception {
        String gone = java.util.UUID.randomUUID().toString();
        NotifyBuilder taken = new NotifyBuilder(camel).fromRoute("media-transcode")
                .filter(e -> e.getProperty("task", "", String.class).contains(gone)).whenCompleted(1).create();
        NotifyBuilder failed = new NotifyBuilder(camel).fromRoute("media-transcode")
                .filter(e -> e.getProperty("task", "", String.class).contains(gone)).whenFailed(1).create();

        // an asset.uploaded event of an asset that no longer exists, as one published before a delete would be
        producer.sendBodyAndHeaders("direct:event-publish",
                java.util.Map.of("assetId", gone, "key", "originals/" + gone + "/x.mp4"),
                java.util.Map.of("eventType", "asset.uploaded", "assetId", gone, "mediaKind", "video"));

        assertThat(taken.matches(30, TimeUnit.SECONDS)).as("the transcode worker took it and let it go").isTrue();
        assertThat(failed.matches()).isFalse();
        // no job was made for it, and the asset is as unknown as ever
        Http.assertProblem(http.get("/api/v1/jobs?assetId=" + gone), 404, "not-found");
    }

    private String upload(String filename, String contentType, Path file) throws IOException {
        return Http.json(http.post("/api/v1/assets?filename=" + filename, contentType, Files.readAllBytes(file)))
                .get("id").asText();
    }

    private JsonNode ended(String assetId) {
        return Jobs.ended(http, assetId);
    }

    private static JsonNode stepOf(JsonNode job, String name) {
        return Jobs.stepOf(job, name);
    }

    private Path download(String derivedKey) throws IOException {
        Path file = dir.resolve(derivedKey.replace('/', '_'));
        Files.write(file, s3.getObjectAsBytes(r -> r.bucket(properties.storage().bucket())
                .key("derived/" + derivedKey)).asByteArray());
        return file;
    }

    private Path ffmpeg(String name, String... args) throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        command.add(out.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        return out;
    }

    private static String ffprobe(Path file, String entries) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", entries, "-of", "csv=p=0",
                file.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes());
    }
}
