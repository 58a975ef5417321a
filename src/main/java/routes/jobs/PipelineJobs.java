package routes.jobs;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.assets.Asset;
import routes.config.CaravanProperties;

/**
 * The job an upload starts. Its steps are the pipeline's steps for the asset's kind of media
 * ({@code caravan.pipeline.steps}); it is the asset owner's; the {@code asset.uploaded} event names it, so every
 * worker the event reaches works on the same job.
 */
public class PipelineJobs {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineJobs.class);

    private final JobStore jobs;
    private final CaravanProperties.Pipeline pipeline;

    public PipelineJobs(JobStore jobs, CaravanProperties.Pipeline pipeline) {
        this.jobs = jobs;
        this.pipeline = pipeline;
    }

    /** The {@code asset.uploaded} event: the original that arrived, and the job made for it (none without steps). */
    public record AssetUploaded(String assetId, String jobId, String key, String contentType, Long size, String etag,
            String mediaKind) {
    }

    /** Makes the pipeline job of an asset whose original has just arrived; returns the event that announces it. */
    public AssetUploaded start(Asset asset) {
        List<String> names = pipeline.stepsFor(asset.mediaKind());
        String jobId = null;
        if (!names.isEmpty()) {
            List<JobStep> steps = names.stream().map(name -> {
                CaravanProperties.PipelineStep spec = pipeline.steps().get(name);
                return JobStep.queued(name, spec.weight(), spec.after());
            }).toList();
            Job job = jobs.create(Job.queued(UUID.randomUUID().toString(), asset.id(), asset.owner(),
                    asset.mediaKind(), steps, List.of(), null));
            jobId = job.id();
            LOG.info("job {}: pipeline of asset {} with steps {}", jobId, asset.id(), names);
        }
        return new AssetUploaded(asset.id(), jobId, asset.originalKey(), asset.contentType(), asset.size(),
                asset.etag(), asset.mediaKind());
    }
}
