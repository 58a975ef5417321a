package routes.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.jobs.Job;
import routes.jobs.JobProgress;
import routes.jobs.Receives;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One task of a batch image job: one operation of the job on its asset's original. The output key is derived from
 * the job and step, so a task delivered twice writes the same object, and a step already done is not redone. A
 * broken image or bad operation fails the step with the reason (never retried); anything else is retried by the
 * queue, and on its last receive the step fails with the reason before the message goes to the dead-letter queue.
 */
public class ImageTaskWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ImageTaskWorker.class);

    private final S3Client s3;
    private final String bucket;
    private final AssetService assets;
    private final JobProgress progress;
    private final ImageOptionsParser parser;
    private final ImageInspector inspector;
    private final ImageResizer resizer;
    private final int maxReceiveCount;
    private final ObjectMapper json;

    public ImageTaskWorker(S3Client s3, String bucket, AssetService assets, JobProgress progress,
            ImageOptionsParser parser, ImageLimits limits, int maxReceiveCount, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = bucket;
        this.assets = assets;
        this.progress = progress;
        this.parser = parser;
        this.inspector = new ImageInspector(limits);
        this.resizer = new ImageResizer(limits);
        this.maxReceiveCount = maxReceiveCount;
        this.json = json;
    }

    /** {@code task}: {"jobId", "assetId", "step"}; {@code attributes}: the SQS system attributes of the message. */
    public void run(String task, Map<?, ?> attributes) throws IOException {
        JsonNode node = json.readTree(task);
        String jobId = node.path("jobId").asText();
        String step = node.path("step").asText();
        MDC.put("jobId", jobId);
        MDC.put("assetId", node.path("assetId").asText());
        try {
            runStep(jobId, step, attributes);
        } finally {
            MDC.remove("jobId");
            MDC.remove("assetId");
        }
    }

    private void runStep(String jobId, String step, Map<?, ?> attributes) throws IOException {
        if (!progress.start(jobId, step)) {
            LOG.info("job {}: step {} skipped (job over or step done)", jobId, step);
            return;
        }
        try {
            Job job = progress.get(jobId);
            int index = Integer.parseInt(step.substring(step.lastIndexOf('-') + 1)) - 1;
            ResizeSpec spec = parser.parse(options(job.operations().get(index)));
            Asset asset = assets.find(job.assetId());
            Map<String, Object> output = render(asset, spec, "derived/" + asset.id() + "/jobs/" + jobId + "/" + step);
            progress.succeeded(jobId, step, List.of(output));
        } catch (ImageProblem broken) {
            progress.failed(jobId, step, broken.type() + ": " + broken.detail());
        } catch (IOException | RuntimeException fault) {
            int received = Receives.count(attributes);
            if (received >= maxReceiveCount) {
                progress.failed(jobId, step, "gave up after " + received + " attempts: " + fault.getMessage());
            }
            throw fault;
        }
    }

    /**
     * An uploaded image's header facts (format, dimensions, orientation, frames, alpha) into its asset record; a
     * broken image is recorded as such, not retried.
     */
    public void probe(String event) throws IOException {
        String assetId = json.readTree(event).path("assetId").asText();
        Asset asset = assets.find(assetId);
        Path original = Files.createTempFile("caravan-probe-", ".img");
        Map<String, Object> found = new LinkedHashMap<>();
        try {
            Files.delete(original);
            s3.getObject(r -> r.bucket(bucket).key(asset.originalKey()), ResponseTransformer.toFile(original));
            ImageInfo info = inspector.inspect(original);
            found.put("format", info.format().id());
            found.put("width", info.width());
            found.put("height", info.height());
            found.put("displayWidth", info.displayWidth());
            found.put("displayHeight", info.displayHeight());
            found.put("orientation", info.orientation());
            found.put("frames", info.frames());
            found.put("hasAlpha", info.hasAlpha());
        } catch (ImageProblem broken) {
            found.put("error", broken.type() + ": " + broken.detail());
        } finally {
            Files.deleteIfExists(original);
        }
        assets.recordMetadata(assetId, found);
        LOG.info("asset {}: image {}", assetId, found);
    }

    private Map<String, Object> render(Asset asset, ResizeSpec spec, String keyBase) throws IOException {
        Path original = Files.createTempFile("caravan-task-", ".img");
        Path output = Files.createTempFile("caravan-task-out-", ".img");
        try {
            Files.delete(original);
            s3.getObject(r -> r.bucket(bucket).key(asset.originalKey()), ResponseTransformer.toFile(original));
            ImageInfo info = inspector.inspect(original);
            RenderResult result;
            try (OutputStream out = Files.newOutputStream(output)) {
                result = resizer.render(original, info, spec, out);
            }
            String key = keyBase + "." + result.format().extension();
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(result.contentType()), RequestBody.fromFile(output));
            Map<String, Object> made = new LinkedHashMap<>();
            made.put("key", key);
            made.put("width", result.width());
            made.put("height", result.height());
            made.put("format", result.format().id());
            made.put("contentType", result.contentType());
            made.put("bytes", Files.size(output));
            return made;
        } finally {
            Files.deleteIfExists(original);
            Files.deleteIfExists(output);
        }
    }

    /** An operation as given in the job: {"options": "w:320,f:png"} or {"width": 320, "format": "png"}. */
    static String options(Map<String, Object> operation) {
        Object given = operation.get("options");
        if (given instanceof String text) {
            return text;
        }
        return operation.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

}
