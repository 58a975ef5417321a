package routes.jobs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers report their steps here. Each report is one optimistic write, so steps finishing at the same time on
 * different workers all land; the job's status and progress are derived from its steps (the aggregation), and a
 * job that has just ended is handed to {@link JobFinished} once.
 */
public class JobProgress {

    private static final Logger LOG = LoggerFactory.getLogger(JobProgress.class);

    private final JobStore jobs;
    private final JobFinished finished;

    public JobProgress(JobStore jobs, JobFinished finished) {
        this.jobs = jobs;
        this.finished = finished;
    }

    /** What to do with a job that has just ended (notify its webhook). */
    @FunctionalInterface
    public interface JobFinished {
        void ended(Job job);
    }

    /**
     * Marks a step running (one more attempt); returns false when the job is already over (cancelled, or failed on
     * another step), the step already succeeded, or the job is gone, so the task is not to run again.
     */
    public boolean start(String jobId, String step) {
        Job current = jobs.find(jobId).orElse(null);
        if (current == null) {
            LOG.warn("job {}: not found (expired or never made); its {} task is dropped", jobId, step);
            return false;
        }
        if (current.steps().stream().noneMatch(s -> s.name().equals(step))) {
            LOG.warn("job {}: has no step {}; the task is dropped", jobId, step);
            return false;
        }
        if (current.status().terminal() || current.step(step).status().done()) {
            return false;
        }
        Job job = change(jobId, step, s -> s.status().done() ? s : s.running());
        return !job.status().terminal() && job.step(step).status() == JobStatus.RUNNING;
    }

    public void progress(String jobId, String step, int percent) {
        change(jobId, step, s -> s.status() == JobStatus.RUNNING ? s.progress(percent) : s);
    }

    public Job succeeded(String jobId, String step, List<Map<String, Object>> outputs) {
        return change(jobId, step, s -> s.succeeded(outputs));
    }

    /** Marks a step that has not ended as not to run, because {@code why}: the media holds nothing for it. */
    public Job skipped(String jobId, String step, String why) {
        LOG.info("job {}: step {} skipped: {}", jobId, step, why);
        return change(jobId, step, s -> s.status().terminal() ? s : s.skipped(why));
    }

    public Job failed(String jobId, String step, String reason) {
        LOG.warn("job {}: step {} failed: {}", jobId, step, reason);
        return change(jobId, step, s -> s.status().terminal() ? s : s.failed(reason));
    }

    public Job get(String jobId) {
        return jobs.find(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
    }

    private Job change(String jobId, String step, UnaryOperator<JobStep> change) {
        AtomicReference<Job> before = new AtomicReference<>();
        Job after = jobs.update(jobId, job -> {
            before.set(job);
            return job.withStep(step, change);
        });
        if (!before.get().status().terminal() && after.status().terminal()) {
            LOG.info("job {}: {} ({}%){}", jobId, after.status(), after.progress(),
                    after.error() == null ? "" : ": " + after.error());
            finished.ended(after);
        }
        return after;
    }
}
