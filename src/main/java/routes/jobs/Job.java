package routes.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import routes.store.Versioned;

/**
 * A long piece of work on one asset, behind {@code /api/v1/jobs/{id}}: clients poll it (or get a webhook) instead of
 * holding a request open. Its status and progress are derived from its steps. {@code operations} are what a client
 * asked for (one step each, {@code op-001}...); a pipeline job's steps come from the settings and it has none.
 * {@code owner} is the subject who asked for it (a pipeline job's is its asset's owner).
 * {@code version} is the optimistic-locking counter of its DynamoDB item.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(String id, String assetId, String owner, String kind, JobStatus status, int progress,
        List<Map<String, Object>> operations, List<JobStep> steps, String callbackUrl, String error,
        Instant createdAt, Instant updatedAt, long version) implements Versioned<Job> {

    public Job {
        operations = operations == null ? List.of() : List.copyOf(operations);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A new job of {@code owner} on asset {@code assetId} (of media {@code kind}), none of its steps started. */
    public static Job queued(String id, String assetId, String owner, String kind, List<JobStep> steps,
            List<Map<String, Object>> operations, String callbackUrl) {
        return new Job(id, assetId, owner, kind, JobStatus.QUEUED, 0, operations, steps, callbackUrl, null, null, null,
                0);
    }

    /** The {@code job.ended} event of a job: which job, on what, and how it ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ended(String jobId, String assetId, String owner, String mediaKind, JobStatus status, int progress,
            String error) {
    }

    /** This job's {@code job.ended} event. */
    public Ended ended() {
        return new Ended(id, assetId, owner, kind, status, progress, error);
    }

    /** The name of the step that carries operation {@code index} of a batch job. */
    public static String operationStep(int index) {
        return String.format(Locale.ROOT, "op-%03d", index + 1);
    }

    /** The operation step {@code name} carries, or an empty one for a step that is not an operation. */
    public Map<String, Object> operationOf(String name) {
        for (int i = 0; i < operations.size(); i++) {
            if (operationStep(i).equals(name)) {
                return operations.get(i);
            }
        }
        return Map.of();
    }

    public boolean hasStep(String name) {
        return steps.stream().anyMatch(s -> s.name().equals(name));
    }

    public JobStep step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("job " + id + " has no step " + name));
    }

    /** This job with step {@code name} running (one more attempt); unchanged when the job is over or it is done. */
    public Job started(String name) {
        return status.terminal() ? this : withStep(name, s -> s.status().done() ? s : s.running());
    }

    /** This job with step {@code name} {@code percent} done, while it runs. */
    public Job progressed(String name, int percent) {
        return withStep(name, s -> s.status() == JobStatus.RUNNING ? s.progress(percent) : s);
    }

    public Job succeeded(String name, List<routes.assets.Rendition> outputs) {
        return withStep(name, s -> s.succeeded(outputs));
    }

    /**
     * This job with step {@code name} not to run, because the media holds nothing for it ({@code why}), and with it
     * every step started by it.
     */
    public Job skipped(String name, String why) {
        Job job = withStep(name, s -> s.status().terminal() ? s : s.skipped(why));
        for (JobStep step : steps) {
            if (name.equals(step.after())) {
                job = job.skipped(step.name(), why);
            }
        }
        return job;
    }

    public Job failed(String name, String reason) {
        return withStep(name, s -> s.status().terminal() ? s : s.failed(reason));
    }

    /** This job with one step changed, and status and progress derived from all steps. */
    public Job withStep(String name, UnaryOperator<JobStep> change) {
        List<JobStep> changed = new ArrayList<>();
        for (JobStep step : steps) {
            changed.add(step.name().equals(name) ? change.apply(step) : step);
        }
        return derive(changed);
    }

    /**
     * This job with each step's outputs through {@code change} (as a client is shown them, with URLs); status and
     * progress as they are.
     */
    public Job withOutputs(UnaryOperator<routes.assets.Rendition> change) {
        if (steps.stream().allMatch(s -> s.outputs().isEmpty())) {
            return this;
        }
        List<JobStep> changed = steps.stream().map(s -> s.outputs().isEmpty() ? s
                : s.withOutputs(s.outputs().stream().map(change).toList())).toList();
        return new Job(id, assetId, owner, kind, status, progress, operations, changed, callbackUrl, error, createdAt,
                updatedAt, version);
    }

    /** This job cancelled; its steps that had not started will not. */
    public Job cancelled() {
        return new Job(id, assetId, owner, kind, JobStatus.CANCELLED, progress, operations,
                notStarted(steps, "not run: the job was cancelled"), callbackUrl, error, createdAt, updatedAt, version);
    }

    /** {@code steps} with those still queued marked CANCELLED, because {@code why}. */
    private static List<JobStep> notStarted(List<JobStep> steps, String why) {
        return steps.stream().map(s -> s.status() == JobStatus.QUEUED ? s.cancelled(why) : s).toList();
    }

    @Override
    public Job stamped(Instant now, long newVersion) {
        return new Job(id, assetId, owner, kind, status, progress, operations, steps, callbackUrl, error,
                createdAt == null ? now : createdAt, now, newVersion);
    }

    private Job derive(List<JobStep> changed) {
        if (status.terminal()) {
            return new Job(id, assetId, owner, kind, status, progress, operations, changed, callbackUrl, error,
                    createdAt, updatedAt, version);
        }
        int shares = changed.stream().mapToInt(JobStep::share).sum();
        int total = changed.isEmpty() ? 100 : changed.stream().mapToInt(s -> s.progress() * s.share()).sum() / shares;
        JobStep failedStep = changed.stream().filter(s -> s.status() == JobStatus.FAILED).findFirst().orElse(null);
        JobStatus derived;
        String reason = null;
        if (failedStep != null) {
            derived = JobStatus.FAILED;
            reason = "step " + failedStep.name() + " failed: " + failedStep.error();
            changed = notStarted(changed, "not run: step " + failedStep.name() + " failed");
        } else if (changed.stream().allMatch(s -> s.status().done())) {
            derived = JobStatus.SUCCEEDED;
            total = 100;
        } else if (changed.stream().anyMatch(s -> s.status() != JobStatus.QUEUED)) {
            derived = JobStatus.RUNNING;
        } else {
            derived = JobStatus.QUEUED;
        }
        return new Job(id, assetId, owner, kind, derived, total, operations, changed, callbackUrl, reason, createdAt,
                updatedAt, version);
    }
}
