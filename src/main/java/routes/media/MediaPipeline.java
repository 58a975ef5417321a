package routes.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import routes.problems.Refusal;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.events.EventPublisher;
import routes.jobs.Job;
import routes.jobs.JobProgress;
import routes.jobs.Receives;
import routes.jobs.JobStatus;
import routes.jobs.JobStep;
import routes.jobs.JobStore;
import routes.stt.SpeechToText;
import routes.stt.SttException;
import routes.stt.Transcript;
import routes.stt.TranscriptFormats;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The video and audio pipeline, one step per queue. The topic fans {@code asset.uploaded} out to the probe (the
 * asset's metadata), transcode (the ladder), thumbnails (poster, strip, preview) and audio (16 kHz mono for speech;
 * then {@code audio.extracted} feeds speech-to-text) queues at once: each worker probes its own copy, so none waits
 * for another. The steps of the asset's pipeline job come from its declared type; a worker whose file turns out to
 * hold no stream for it (no video, no audio) marks its step SKIPPED with a note. Each step's outputs have keys
 * derived from the asset, so a redelivered task overwrites what it made; a step already done is skipped. Broken
 * media fails the step (and the job) with the reason; other faults are retried by the queue, and on the last receive
 * the step fails before the message goes to the dead-letter queue.
 */
public class MediaPipeline {

    public static final String PROBE = "probe";
    public static final String TRANSCODE = "transcode";
    public static final String THUMBNAILS = "thumbnails";
    public static final String AUDIO = "audio";
    public static final String STT = "stt";
    public static final String ASSET_PROBED = "asset.probed";
    public static final String AUDIO_EXTRACTED = "audio.extracted";

    /**
     * Each step's share of the job's progress, after what it costs on a 1080p clip: the ladder is most of the work
     * (about 35 CPU s for 30 s of video), then the thumbnails and preview and speech-to-text; probe and audio are
     * quick.
     */
    static final Map<String, Integer> WEIGHTS = Map.of(PROBE, 1, TRANSCODE, 12, THUMBNAILS, 2, AUDIO, 1, STT, 3);

    private static final Logger LOG = LoggerFactory.getLogger(MediaPipeline.class);
    private static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";

    private final S3Client s3;
    private final String bucket;
    private final AssetService assets;
    private final JobStore jobs;
    private final JobProgress progress;
    private final EventPublisher events;
    private final MediaProber prober;
    private final Transcoder transcoder;
    private final Thumbnailer thumbnailer;
    private final AudioExtractor audio;
    private final Ladder ladder;
    private final int thumbnails;
    private final boolean hls;
    private final int maxReceiveCount;
    private final ObjectMapper json;
    private final SpeechToText speechToText;
    private final String language;

    public MediaPipeline(S3Client s3, String bucket, AssetService assets, JobStore jobs, JobProgress progress,
            EventPublisher events, FfmpegSafety safety, Ladder ladder, int thumbnails, boolean hls,
            int maxReceiveCount, ObjectMapper json, SpeechToText speechToText, String language) {
        this.speechToText = speechToText;
        this.language = language;
        this.s3 = s3;
        this.bucket = bucket;
        this.assets = assets;
        this.jobs = jobs;
        this.progress = progress;
        this.events = events;
        this.prober = new MediaProber(safety);
        this.transcoder = new Transcoder(safety);
        this.thumbnailer = new Thumbnailer(safety);
        this.audio = new AudioExtractor(safety);
        this.ladder = ladder;
        this.thumbnails = thumbnails;
        this.hls = hls;
        this.maxReceiveCount = maxReceiveCount;
        this.json = json;
    }

    /** A step's work on a local copy of the original; returns the step's outputs. */
    @FunctionalInterface
    interface Work {
        List<Map<String, Object>> run(Asset asset, Job job, Path original, Path workDir) throws IOException;
    }

    /**
     * {@code asset.uploaded} of video or audio: what the file holds, into the asset's metadata; then
     * {@code asset.probed} for whoever listens (no worker waits for it).
     */
    public void probe(String event, Map<?, ?> attributes) throws IOException {
        step(jobFor(event), PROBE, attributes, (a, j, original, dir) -> {
            MediaInfo info = prober.probe(original);
            assets.recordMetadata(a.id(), describe(info));
            events.publish(ASSET_PROBED, Map.of("assetId", a.id(), "jobId", j.id(), "key", a.originalKey()),
                    Map.of("assetId", a.id(), "jobId", j.id(), "mediaKind", info.hasVideo() ? "video" : "audio"));
            return List.of(describe(info));
        });
    }

    /**
     * {@code asset.uploaded} of video: the ladder, in one ffmpeg run, into {@code derived/{id}/video/}; with
     * {@code caravan.media.hls}, also packaged as HLS (no re-encoding) into {@code derived/{id}/hls/}.
     */
    public void transcode(String event, Map<?, ?> attributes) throws IOException {
        step(jobFor(event), TRANSCODE, attributes, (asset, job, original, dir) -> {
            MediaInfo info = videoIn(original);
            List<PlannedRendition> plan = LadderPlanner.plan(info, ladder);
            int[] reported = {0};
            long started = System.nanoTime();
            List<RenditionOutput> made = transcoder.ladder(original, info, plan, dir, percent -> {
                if (percent >= reported[0] + 10 && percent < 100) {
                    reported[0] = percent;
                    progress.progress(job.id(), TRANSCODE, percent);
                }
            });
            long laddered = System.nanoTime();
            List<Map<String, Object>> outputs = new ArrayList<>();
            for (RenditionOutput output : made) {
                String key = AssetService.DERIVED + asset.id() + "/video/" + output.name() + ".mp4";
                upload(output.path(), key, "video/mp4");
                outputs.add(rendition(output.name(), key, "video/mp4", output.width(), output.height()));
            }
            LOG.info("job {}: ladder of {} renditions made in {} ms, stored in {} ms", job.id(), made.size(),
                    (laddered - started) / 1_000_000, (System.nanoTime() - laddered) / 1_000_000);
            if (hls) {
                HlsOutput packaged = transcoder.hls(made, dir.resolve("hls"));
                String base = AssetService.DERIVED + asset.id() + "/hls/";
                for (Path file : packaged.files()) {
                    String name = file.getFileName().toString();
                    upload(file, base + name, name.endsWith(".m3u8") ? HLS_PLAYLIST : "video/mp2t");
                }
                Map<String, Object> row = rendition("hls", base + packaged.master().getFileName(), HLS_PLAYLIST, 0, 0);
                row.put("variants", packaged.playlists().size());
                outputs.add(row);
            }
            addRenditions(asset.id(), outputs);
            return outputs;
        });
    }

    /** {@code asset.uploaded} of video: a poster, a strip of thumbnails and a low-resolution preview, from one decode. */
    public void thumbnails(String event, Map<?, ?> attributes) throws IOException {
        step(jobFor(event), THUMBNAILS, attributes, (asset, job, original, dir) -> {
            MediaInfo info = videoIn(original);
            String base = AssetService.DERIVED + asset.id() + "/thumbs/";
            List<Map<String, Object>> outputs = new ArrayList<>();
            Thumbnailer.Stills stills = thumbnailer.all(original, info, thumbnails, dir.resolve("thumbs"));
            Thumbnail poster = stills.poster();
            upload(poster.path(), base + "poster.jpg", "image/jpeg");
            outputs.add(rendition("poster", base + "poster.jpg", "image/jpeg", poster.width(), poster.height()));
            for (Thumbnail thumb : stills.strip()) {
                String key = base + thumb.path().getFileName();
                upload(thumb.path(), key, "image/jpeg");
                Map<String, Object> row = rendition("thumbnail", key, "image/jpeg", thumb.width(), thumb.height());
                row.put("seconds", thumb.seconds());
                outputs.add(row);
            }
            RenditionOutput preview = stills.preview();
            upload(preview.path(), base + "preview.mp4", "video/mp4");
            outputs.add(rendition("preview", base + "preview.mp4", "video/mp4", preview.width(), preview.height()));
            addRenditions(asset.id(), outputs);
            return outputs;
        });
    }

    /**
     * {@code asset.uploaded} of video or audio: speech audio for STT; then {@code audio.extracted}. A video without
     * sound skips this step and speech-to-text.
     */
    public void audio(String event, Map<?, ?> attributes) throws IOException {
        step(jobFor(event), AUDIO, attributes, (asset, job, original, dir) -> {
            MediaInfo info = prober.probe(original);
            if (info.audio() == null) {
                throw new Skipped("the media has no audio stream", STT);
            }
            Path wav = audio.forSpeech(original, info, dir.resolve("speech.wav"));
            String key = AssetService.DERIVED + asset.id() + "/audio/speech.wav";
            upload(wav, key, "audio/wav");
            events.publish(AUDIO_EXTRACTED, Map.of("assetId", asset.id(), "jobId", job.id(), "key", key),
                    Map.of("assetId", asset.id(), "jobId", job.id()));
            return List.of(rendition("speech-audio", key, "audio/wav", 0, 0));
        });
    }

    /** {@code audio.extracted}: the speech audio through the STT server; the transcript as JSON beside the asset. */
    public void stt(String event, Map<?, ?> attributes) throws IOException {
        JsonNode node = json.readTree(event);
        step(node.path("jobId").asText(), STT, node.path("key").asText(), attributes, (asset, job, wav, dir) -> {
            Transcript transcript;
            try {
                transcript = speechToText.transcribe(wav, language);
            } catch (SttException e) {
                if (e.isTransient()) {
                    throw new IOException("speech-to-text: " + e.getMessage(), e);
                }
                throw new MediaProblem(MediaProblem.Reason.UNSUPPORTED_MEDIA, "speech-to-text refused it: " + e.getMessage(), e);
            }
            String key = transcriptKey(asset.id());
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromString(TranscriptFormats.json(transcript)));
            Map<String, Object> output = rendition("transcript", key, "application/json", 0, 0);
            output.put("words", transcript.words().size());
            output.put("language", transcript.language());
            addRenditions(asset.id(), List.of(output));
            return List.of(output);
        });
    }

    /** Where an asset's transcript is kept. */
    public static String transcriptKey(String assetId) {
        return AssetService.DERIVED + assetId + "/transcript.json";
    }

    /**
     * The id of the pipeline job of the asset an {@code asset.uploaded} event names (made by the first to ask), or
     * null when the asset has been deleted since.
     */
    String jobFor(String event) throws IOException {
        String assetId = json.readTree(event).path("assetId").asText();
        Asset asset;
        try {
            asset = assets.find(assetId);
        } catch (Refusal gone) {
            if (gone.kind() != Refusal.Kind.NOT_FOUND) {
                throw gone;
            }
            LOG.info("asset {}: gone; its task is dropped", assetId);
            return null;
        }
        return pipelineJob(asset).id();
    }

    /** The probe of a file a video step works on; {@link Skipped} when it has no video stream. */
    private MediaInfo videoIn(Path original) {
        MediaInfo info = prober.probe(original);
        if (!info.hasVideo()) {
            throw new Skipped("the media has no video stream");
        }
        return info;
    }

    /** Thrown by a step's work: the file holds nothing for this step (nor for {@code alsoSkipped}, which follow it). */
    static final class Skipped extends RuntimeException {
        private final List<String> alsoSkipped;

        Skipped(String why, String... alsoSkipped) {
            super(why, null, false, false);
            this.alsoSkipped = List.of(alsoSkipped);
        }
    }

    /**
     * Runs one step of a job: marks it running, copies the original to a work folder, does the work, records the
     * outputs. See the class comment for what happens on failure.
     */
    void step(String jobId, String step, Map<?, ?> attributes, Work work) throws IOException {
        step(jobId, step, null, attributes, work);
    }

    /** As above, with the object to work on ({@code sourceKey}) instead of the asset's original. */
    void step(String jobId, String step, String sourceKey, Map<?, ?> attributes, Work work) throws IOException {
        if (jobId == null) {
            return;
        }
        MDC.put("jobId", jobId);
        if (!progress.start(jobId, step)) {
            LOG.info("job {}: step {} skipped (job over or step done)", jobId, step);
            MDC.remove("jobId");
            return;
        }
        Path dir = Files.createTempDirectory("caravan-" + step + "-");
        try {
            Job job = progress.get(jobId);
            MDC.put("assetId", job.assetId());
            Asset asset = assets.find(job.assetId());
            Path original = dir.resolve("original");
            String key = sourceKey == null || sourceKey.isEmpty() ? asset.originalKey() : sourceKey;
            s3.getObject(r -> r.bucket(bucket).key(key), ResponseTransformer.toFile(original));
            long started = System.nanoTime();
            List<Map<String, Object>> outputs = work.run(asset, job, original, dir);
            progress.succeeded(jobId, step, outputs);
            LOG.info("job {}: step {} done in {} ms, {} outputs", jobId, step, (System.nanoTime() - started) / 1_000_000,
                    outputs.size());
        } catch (Skipped nothingToDo) {
            progress.skipped(jobId, step, nothingToDo.getMessage());
            for (String following : nothingToDo.alsoSkipped) {
                progress.skipped(jobId, following, nothingToDo.getMessage());
            }
        } catch (MediaProblem broken) {
            progress.failed(jobId, step, broken.reason() + ": " + broken.getMessage());
        } catch (IOException | RuntimeException fault) {
            int received = Receives.count(attributes);
            if (received >= maxReceiveCount) {
                progress.failed(jobId, step, "gave up after " + received + " attempts: " + fault.getMessage());
            }
            throw fault;
        } finally {
            deleteTree(dir);
            MDC.remove("jobId");
            MDC.remove("assetId");
        }
    }

    /**
     * The asset's pipeline job: one per original (its id derives from the asset and the original's ETag). The workers
     * an upload fans out to all ask for it; the first makes it, the others find it.
     */
    Job pipelineJob(Asset asset) {
        String id = UUID.nameUUIDFromBytes(("pipeline:" + asset.id() + ":" + asset.etag())
                .getBytes(StandardCharsets.UTF_8)).toString();
        return jobs.find(id).orElseGet(() -> {
            List<String> names = "video".equals(asset.mediaKind())
                    ? List.of(PROBE, TRANSCODE, THUMBNAILS, AUDIO, STT) : List.of(PROBE, AUDIO, STT);
            List<JobStep> steps = names.stream().map(n -> JobStep.queued(n, WEIGHTS.get(n))).toList();
            List<Map<String, Object>> operations = names.stream().map(n -> Map.<String, Object>of("step", n)).toList();
            Job job = new Job(id, asset.id(), asset.mediaKind(), JobStatus.QUEUED, 0, operations, steps, null, null,
                    null, null, 0);
            try {
                return jobs.create(job, null);
            } catch (ConditionalCheckFailedException madeByAnotherWorker) {
                return jobs.find(id).orElseThrow();
            }
        });
    }

    private void addRenditions(String assetId, List<Map<String, Object>> outputs) {
        assets.addRenditions(assetId, outputs);
    }

    private void upload(Path file, String key, String contentType) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    private static Map<String, Object> rendition(String name, String key, String contentType, int width, int height) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("key", key);
        row.put("contentType", contentType);
        if (width > 0) {
            row.put("width", width);
            row.put("height", height);
        }
        return row;
    }

    static Map<String, Object> describe(MediaInfo info) {
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("format", info.format());
        found.put("duration", info.durationSeconds());
        found.put("size", info.sizeBytes());
        found.put("bitRate", info.bitRate());
        if (info.video() != null) {
            MediaInfo.VideoStream video = info.video();
            found.put("video", Map.of("codec", String.valueOf(video.codec()), "width", video.width(),
                    "height", video.height(), "displayWidth", video.displayWidth(),
                    "displayHeight", video.displayHeight(), "rotation", video.rotation(),
                    "frameRate", video.frameRate()));
        }
        if (info.audio() != null) {
            MediaInfo.AudioStream sound = info.audio();
            found.put("audio", Map.of("codec", String.valueOf(sound.codec()), "sampleRate", sound.sampleRate(),
                    "channels", sound.channels()));
        }
        if (info.tags() != null && !info.tags().isEmpty()) {
            found.put("tags", info.tags());
        }
        return found;
    }


    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("work folder {} not removed: {}", dir, e.toString());
        }
    }
}
