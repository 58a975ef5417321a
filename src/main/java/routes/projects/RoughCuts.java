package routes.projects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.assets.AssetStatus;
import routes.jobs.Job;
import routes.jobs.JobStep;
import routes.jobs.JobStore;
import routes.problems.Refusal;
import routes.projects.PaperEdit.Type;

/**
 * Rough cuts of paper edits: a job of the caller's with one step that renders every paper cut, in order, from its
 * media's original into one MP4, WAV or MP3 ({@code routes.media.RoughCutRenderer}, on the render-tasks queue);
 * clients follow it as any job ({@code /api/v1/jobs/{id}}: progress, then the output). The job is on the first cut's
 * asset; every cut's media must be uploaded, and for MP4 have video.
 */
public class RoughCuts {

    private static final Logger LOG = LoggerFactory.getLogger(RoughCuts.class);
    public static final List<String> FORMATS = List.of("mp4", "wav", "mp3");

    private final PaperEdits edits;
    private final ProjectTranscripts transcripts;
    private final AssetService assets;
    private final JobStore jobs;

    public RoughCuts(PaperEdits edits, ProjectTranscripts transcripts, AssetService assets, JobStore jobs) {
        this.edits = edits;
        this.transcripts = transcripts;
        this.assets = assets;
        this.jobs = jobs;
    }

    /** The body of {@code POST .../renders}. */
    public record RenderRequest(String format) {
    }

    /** The job made to render {@code editId}, queued. */
    public Job start(String projectId, String editId, RenderRequest request, Caller caller) {
        PaperEdits.PaperEditView edit = edits.get(projectId, editId, caller);
        String format = request == null || request.format() == null ? "mp4"
                : request.format().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw Refusal.invalid("bad-format", "format must be mp4, wav or mp3");
        }
        List<Map<String, Object>> cuts = new ArrayList<>();
        Asset first = null;
        for (PaperEdits.ElementView e : edit.elements()) {
            if (e.type() != Type.PAPER_CUT) {
                continue;
            }
            ProjectTranscript transcript = transcripts.find(projectId, e.transcriptId());
            Asset asset = assets.lookUp(transcript.assetId()).filter(a -> a.status() == AssetStatus.READY
                    && a.originalKey() != null).orElseThrow(() -> Refusal.conflict("media-missing", "the media of "
                    + transcript.title() + " is gone or not uploaded yet; remove its cuts to render the rest"));
            if (format.equals("mp4") && asset.metadata() != null && asset.metadata().duration() != null
                    && asset.metadata().video() == null) {
                throw Refusal.conflict("needs-video", transcript.title() + " has no video: render the paper edit"
                        + " as wav or mp3, or remove its cuts");
            }
            first = first == null ? asset : first;
            Map<String, Object> cut = new LinkedHashMap<>();
            cut.put("key", asset.originalKey());
            cut.put("start", e.start());
            cut.put("end", e.end());
            cuts.add(cut);
        }
        if (cuts.isEmpty()) {
            throw Refusal.conflict("nothing-to-render", "the paper edit has no paper cut to render");
        }
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", "rough-cut");
        operation.put("format", format);
        operation.put("project", projectId);
        operation.put("paperEdit", editId);
        operation.put("cuts", cuts);
        Job job = jobs.create(Job.queued(UUID.randomUUID().toString(), first.id(), caller.subject(),
                format.equals("mp4") ? "video" : "audio", List.of(JobStep.queued(Job.operationStep(0))),
                List.of(operation), null));
        LOG.info("job {}: rough cut of paper edit {} ({} cuts, {}) for {}", job.id(), editId, cuts.size(), format,
                caller.subject());
        return job;
    }
}
