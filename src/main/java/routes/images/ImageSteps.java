package routes.images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import routes.assets.AssetMetadata;
import routes.assets.ObjectKeys;
import routes.assets.Rendition;
import routes.jobs.StepFailure;
import routes.jobs.StepInput;
import routes.jobs.StepResult;
import routes.jobs.StoredFile;

/**
 * The image workers: an uploaded image's header facts for its asset ({@link #inspect}), and one operation of a batch
 * job ({@link #render}). A broken image or a bad operation is a {@link StepFailure} with the image problem's type as
 * its reason, never retried. A batch output's key derives from the job and step, so a task run twice writes the same
 * object.
 */
public class ImageSteps {

    private final ImageOptionsParser parser;
    private final ImageInspector inspector;
    private final ImageResizer resizer;

    public ImageSteps(ImageOptionsParser parser, ImageLimits limits) {
        this.parser = parser;
        this.inspector = new ImageInspector(limits);
        this.resizer = new ImageResizer(limits);
    }

    /** Format, dimensions (stored and displayed), EXIF orientation, frames and alpha, read from the header. */
    public StepResult inspect(StepInput input) throws IOException {
        ImageInfo info = checked(input.file());
        return StepResult.found(AssetMetadata.image(info.format().id(), info.width(), info.height(),
                info.displayWidth(), info.displayHeight(), info.orientation(), info.frames(), info.hasAlpha()));
    }

    /** The job's operation for this step, rendered from the original into one output of the job. */
    public StepResult render(StepInput input) throws IOException {
        Path output = input.workDir().resolve("rendition");
        RenderResult result;
        try {
            ResizeSpec spec = parser.parse(options(input.options()));
            ImageInfo info = inspector.inspect(input.file());
            try (OutputStream out = Files.newOutputStream(output)) {
                result = resizer.render(input.file(), info, spec, out);
            }
        } catch (ImageProblem problem) {
            throw failure(problem);
        }
        String key = ObjectKeys.jobOutput(input.asset().id(), input.job().id(), input.step(),
                result.format().extension());
        Rendition made = Rendition.of(input.step(), key, result.contentType()).sized(result.width(), result.height())
                .encoded(result.format().id(), Files.size(output));
        return StepResult.jobOutputs(List.of(new StoredFile(output, key, result.contentType())), List.of(made));
    }

    /** An operation as given in the job: {"options": "w:320,f:png"} or {"width": 320, "format": "png"}. */
    static String options(Map<String, Object> operation) {
        Object given = operation.get("options");
        if (given instanceof String text) {
            return text;
        }
        return operation.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private ImageInfo checked(Path file) throws IOException {
        try {
            return inspector.inspect(file);
        } catch (ImageProblem problem) {
            throw failure(problem);
        }
    }

    private static StepFailure failure(ImageProblem problem) {
        return new StepFailure(problem.type(), problem.detail(), problem);
    }
}
