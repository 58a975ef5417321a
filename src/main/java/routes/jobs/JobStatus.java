package routes.jobs;

/**
 * Where a job, or one of its steps, stands. {@link #SKIPPED} is for steps only: one the media turned out not to call
 * for (the video steps of a file that has no video stream); it counts as done.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }

    /** Finished without a fault: succeeded, or skipped. */
    public boolean done() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
