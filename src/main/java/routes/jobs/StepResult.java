package routes.jobs;

import java.util.List;
import routes.assets.AssetMetadata;
import routes.assets.Rendition;

/**
 * What a worker made: files to store, the outputs the step lists (and, when {@code onAsset}, the asset too, as
 * renditions) and what it found out about the asset's original ({@code metadata}, or null).
 */
public record StepResult(List<StoredFile> files, List<Rendition> outputs, AssetMetadata metadata, boolean onAsset) {

    public StepResult {
        files = List.copyOf(files);
        outputs = List.copyOf(outputs);
    }

    /** Renditions of the asset, with the files they are made of. */
    public static StepResult renditions(List<StoredFile> files, List<Rendition> renditions) {
        return new StepResult(files, renditions, null, true);
    }

    /** Facts about the asset's original; nothing made. */
    public static StepResult found(AssetMetadata metadata) {
        return new StepResult(List.of(), List.of(), metadata, true);
    }

    /** Outputs of a batch job, kept with the job, not listed on the asset. */
    public static StepResult jobOutputs(List<StoredFile> files, List<Rendition> outputs) {
        return new StepResult(files, outputs, null, false);
    }
}
