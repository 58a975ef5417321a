package routes.jobs;

/** How a step ended: its job afterwards, and whether the job ended just now. */
public record StepOutcome(Job job, boolean jobEnded) {
}
