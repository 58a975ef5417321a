package routes.jobs;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntConsumer;
import routes.assets.Asset;

/**
 * What a worker gets: the asset and job, the step's name, a local copy of the object the step works on
 * ({@code file}), a folder of its own for what it makes ({@code workDir}, removed afterwards), the step's options
 * (a batch job's operation; empty for pipeline steps) and where to report how far it is, in percent.
 */
public record StepInput(Asset asset, Job job, String step, Path file, Path workDir, Map<String, Object> options,
        IntConsumer progress) {
}
