package routes.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import routes.store.Versioned;

/**
 * A long piece of work on one asset, behind {@code /api/v1/jobs/{id}}: clients poll it (or get a webhook) instead of
 * holding a request open. {@code version} is the optimistic-locking counter of its DynamoDB item.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(String id, String assetId, String kind, JobStatus status, int progress,
        List<Map<String, Object>> operations, List<JobStep> steps, String callbackUrl, String error,
        Instant createdAt, Instant updatedAt, long version) implements Versioned<Job> {

    public Job {
        operations = operations == null ? List.of() : List.copyOf(operations);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public JobStep step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("job " + id + " has no step " + name));
    }

    /** This job with one step changed, and status and progress derived from all steps. */
    public Job withStep(String name, UnaryOperator<JobStep> change) {
        List<JobStep> changed = new ArrayList<>();
        for (JobStep step : steps) {
            changed.add(step.name().equals(name) ? change.apply(step) : step);
        }
        return derive(changed);
    }

    /** This job cancelled; its steps that had not started will not. */
    public Job cancelled() {
        return new Job(id, assetId, kind, JobStatus.CANCELLED, progress, operations,
                notStarted(steps, "not run: the job was cancelled"), callbackUrl, error, createdAt, updatedAt, version);
    }

    /** {@code steps} with those still queued marked CANCELLED, because {@code why}. */
    private static List<JobStep> notStarted(List<JobStep> steps, String why) {
        return steps.stream().map(s -> s.status() == JobStatus.QUEUED ? s.cancelled(why) : s).toList();
    }

    @Override
    public Job stamped(Instant now, long newVersion) {
        return new Job(id, assetId, kind, status, progress, operations, steps, callbackUrl, error,
                createdAt == null ? now : createdAt, now, newVersion);
    }

    private Job derive(List<JobStep> changed) {
        if (status.terminal()) {
            return new Job(id, assetId, kind, status, progress, operations, changed, callbackUrl, error, createdAt,
                    updatedAt, version);
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
        return new Job(id, assetId, kind, derived, total, operations, changed, callbackUrl, reason, createdAt,
                updatedAt, version);
    }
}
