package routes.jobs;

import java.util.function.IntConsumer;
import routes.assets.Asset;

/**
 * A step that has started: its job (as it was marked running), its asset, the object it works on
 * ({@code sourceKey}), how often its message has been received ({@code receives}, 1 the first time), when it
 * started (System.nanoTime) and where it reports its progress.
 */
public record StepRun(String step, Job job, Asset asset, String sourceKey, int receives, long startedAt,
        IntConsumer progress) {
}
