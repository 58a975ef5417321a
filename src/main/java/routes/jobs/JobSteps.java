package routes.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import routes.assets.Asset;
import routes.assets.AssetService;

/**
 * The life of a job step, as the job-step route template drives it: start (or drop a task that is not to run),
 * then one outcome: succeeded, skipped or failed. Each change is one optimistic write of the job, so steps ending at
 * the same time on different workers all land; the job's status and progress follow from its steps, and an outcome
 * says whether the job ended with it.
 */
public class JobSteps {

    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);

    private final JobStore jobs;
    private final AssetService assets;

    public JobSteps(JobStore jobs, AssetService assets) {
        this.jobs = jobs;
        this.assets = assets;
    }

    /**
     * Marks step {@code step} of the task's job RUNNING (one more attempt) and returns it, or returns null when the
     * task is not to run: its job is gone or over, the step is done, or the job's asset was deleted (the job is then
     * cancelled).
     *
     * @param step the step's name; empty: the one the task names
     * @param attributes the SQS system attributes of the task's message (its receive count)
     */
    public StepRun start(StepTask task, String step, Map<?, ?> attributes) {
        String name = step == null || step.isBlank() ? task.step() : step;
        if (task.jobId() == null || name == null) {
            LOG.warn("a task names no job or no step ({}); it is dropped", task);
            return null;
        }
        Optional<Job> found = jobs.find(task.jobId());
        if (found.isEmpty()) {
            LOG.warn("job {}: not found (expired or never made); its {} task is dropped", task.jobId(), name);
            return null;
        }
        Job job = found.get();
        if (!job.hasStep(name)) {
            LOG.warn("job {}: has no step {}; the task is dropped", job.id(), name);
            return null;
        }
        if (job.status().terminal() || job.step(name).status().done()) {
            LOG.info("job {}: step {} skipped (job over or step done)", job.id(), name);
            return null;
        }
        Optional<Asset> asset = assets.lookUp(job.assetId());
        if (asset.isEmpty()) {
            jobs.update(job.id(), j -> j.status().terminal() ? j : j.cancelled());
            LOG.info("job {}: asset {} is gone; the job is cancelled and its {} task dropped", job.id(), job.assetId(),
                    name);
            return null;
        }
        Job running = jobs.update(job.id(), j -> j.started(name));
        if (running.status().terminal() || running.step(name).status() != JobStatus.RUNNING) {
            return null;
        }
        int receives = Receives.count(attributes);
        if (receives > 1) {
            LOG.info("job {}: step {} again (receive {}; an earlier worker stopped before it ended)", job.id(), name,
                    receives);
        }
        MDC.put("jobId", job.id());
        MDC.put("assetId", job.assetId());
        String source = task.key() == null || task.key().isBlank() ? asset.get().originalKey() : task.key();
        return new StepRun(name, running, asset.get(), source, receives, System.nanoTime(), progress(job.id(), name));
    }

    /** The step's work, done and stored: what the step's {@code next} gets before it is recorded. */
    public StepDone done(StepRun run, StepResult result) {
        return new StepDone(run, result);
    }

    /** The step made {@code result} (its files stored already): recorded on the job and, as it says, the asset. */
    public StepOutcome succeeded(StepRun run, StepResult result) {
        if (result.onAsset() && (result.metadata() != null || !result.outputs().isEmpty())) {
            assets.record(run.asset().id(), result.metadata(), result.outputs());
        }
        StepOutcome outcome = change(run, j -> j.succeeded(run.step(), result.outputs()));
        LOG.info("job {}: step {} done in {} ms, {} outputs", run.job().id(), run.step(),
                (System.nanoTime() - run.startedAt()) / 1_000_000, result.outputs().size());
        return outcome;
    }

    /** The input holds nothing for the step ({@code why}): it is SKIPPED, and so are the steps it starts. */
    public StepOutcome skipped(StepRun run, String why) {
        LOG.info("job {}: step {} skipped: {}", run.job().id(), run.step(), why);
        return change(run, j -> j.skipped(run.step(), why));
    }

    /**
     * The step failed: with the reason of a {@link StepFailure}, the message of {@link GaveUp}, or, for any other
     * fault (one that outlasted its last receive), "gave up after N attempts".
     */
    public StepOutcome failed(StepRun run, Throwable failure) {
        Throwable cause = reasonOf(failure);
        String reason;
        if (cause instanceof StepFailure stepFailure) {
            reason = stepFailure.reason() + ": " + stepFailure.getMessage();
        } else if (cause instanceof GaveUp gaveUp) {
            reason = gaveUp.getMessage();
        } else {
            reason = "gave up after " + run.receives() + " attempts: " + cause;
        }
        LOG.warn("job {}: step {} failed: {}", run.job().id(), run.step(), reason);
        return change(run, j -> j.failed(run.step(), reason));
    }

    /** The step's own failure in what was thrown (a splitter wraps what failed one of its parts), else the failure. */
    private static Throwable reasonOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StepFailure || t instanceof GaveUp) {
                return t;
            }
        }
        return failure;
    }

    /** The step's work is over: its lines of the log no longer name its job. */
    public void release() {
        MDC.remove("jobId");
        MDC.remove("assetId");
    }

    private StepOutcome change(StepRun run, UnaryOperator<Job> change) {
        AtomicReference<Job> before = new AtomicReference<>();
        Job after = jobs.update(run.job().id(), job -> {
            before.set(job);
            return change.apply(job);
        });
        boolean ended = !before.get().status().terminal() && after.status().terminal();
        if (ended) {
            LOG.info("job {}: {} ({}%){}", after.id(), after.status(), after.progress(),
                    after.error() == null ? "" : ": " + after.error());
        }
        return new StepOutcome(after, ended);
    }

    /** Reports a running step's progress to its job at every tenth (each report is a write). */
    private IntConsumer progress(String jobId, String step) {
        AtomicInteger reported = new AtomicInteger();
        return percent -> {
            int last = reported.get();
            if (percent >= last + 10 && percent < 100 && reported.compareAndSet(last, percent)) {
                jobs.update(jobId, j -> j.progressed(step, percent));
            }
        };
    }
}
