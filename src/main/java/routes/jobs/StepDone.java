package routes.jobs;

import routes.assets.Rendition;

/** A step whose work is done and stored, on its way to being recorded: what the template's {@code next} gets. */
public record StepDone(StepRun run, StepResult result) {

    /** The event that names output {@code name} of this step, for the steps that follow it. */
    public StepEvent event(String name) {
        Rendition output = result.outputs().stream().filter(o -> name.equals(o.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("step " + run.step() + " made no output " + name));
        return new StepEvent(run.asset().id(), run.job().id(), output.key(), run.asset().mediaKind());
    }

    /** An event a step publishes for the steps after it: the object it made for them, and whose it is. */
    public record StepEvent(String assetId, String jobId, String key, String mediaKind) {
    }
}
