package routes.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import routes.assets.Rendition;

/**
 * One step of a job: its state, how often it was tried, what it produced, or why it failed ({@code error}) or was
 * skipped or cancelled ({@code note}). {@code weight} is its share of the job's progress against the other steps
 * (null: 1), so a long step moves the job's percentage more than a short one. {@code after} names the step whose
 * event starts this one: when that step is skipped, so is this one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStep(String name, JobStatus status, int attempts, int progress, List<Rendition> outputs,
        String error, String note, Integer weight, String after) {

    public JobStep {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public static JobStep queued(String name) {
        return new JobStep(name, JobStatus.QUEUED, 0, 0, List.of(), null, null, null, null);
    }

    /**
     * A queued step that counts {@code weight} times as much as a step of weight 1 in the job's progress, started
     * by the step {@code after} (null: by the job's own start).
     */
    public static JobStep queued(String name, int weight, String after) {
        return new JobStep(name, JobStatus.QUEUED, 0, 0, List.of(), null, null, weight, after);
    }

    /** Its weight in the job's progress, at least 1. */
    public int share() {
        return weight == null || weight < 1 ? 1 : weight;
    }

    /** Not to run: the media does not call for it ({@code why}). */
    public JobStep skipped(String why) {
        return new JobStep(name, JobStatus.SKIPPED, attempts, 100, List.of(), null, why, weight, after);
    }

    /** Not to run: the job ended before it started ({@code why}). */
    public JobStep cancelled(String why) {
        return new JobStep(name, JobStatus.CANCELLED, attempts, progress, outputs, null, why, weight, after);
    }

    public JobStep running() {
        return new JobStep(name, JobStatus.RUNNING, attempts + 1, progress, outputs, null, note, weight, after);
    }

    public JobStep progress(int percent) {
        return new JobStep(name, status, attempts, Math.max(progress, Math.min(100, percent)), outputs, error, note,
                weight, after);
    }

    public JobStep succeeded(List<Rendition> produced) {
        return new JobStep(name, JobStatus.SUCCEEDED, Math.max(attempts, 1), 100, produced, null, note, weight, after);
    }

    /** This step with other outputs (the same files, e.g. with URLs to fetch them); nothing else changes. */
    public JobStep withOutputs(List<Rendition> files) {
        return new JobStep(name, status, attempts, progress, files, error, note, weight, after);
    }

    public JobStep failed(String reason) {
        return new JobStep(name, JobStatus.FAILED, Math.max(attempts, 1), progress, outputs, reason, note, weight,
                after);
    }
}
