package routes.jobs;

/**
 * A message on a job step's queue, as far as the step needs it: the job, its asset, the object to work on
 * ({@code key}; null: the asset's original) and, for a queue that carries several steps, the step ({@code step}).
 * Events such as {@code asset.uploaded} and {@code audio.extracted} are read as tasks too.
 */
public record StepTask(String jobId, String assetId, String step, String key) {
}
