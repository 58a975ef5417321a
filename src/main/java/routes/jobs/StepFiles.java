package routes.jobs;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.work.WorkFolders;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The files of a job step: the object it works on, copied into a work folder of its own before the worker runs;
 * what the worker made, stored after; the folder, removed at the end whatever happened.
 */
public class StepFiles {

    private static final Logger LOG = LoggerFactory.getLogger(StepFiles.class);

    private final S3Client s3;
    private final String bucket;
    private final WorkFolders work;

    public StepFiles(S3Client s3, String bucket, WorkFolders work) {
        this.s3 = s3;
        this.bucket = bucket;
        this.work = work;
    }

    /**
     * A work folder with a copy of the run's object, named as in its key, for the worker. The copy is in a folder of
     * its own ({@code source/}), so nothing the worker writes into the work folder takes its name (an upload called
     * {@code speech.wav} is not the speech audio the audio step writes).
     */
    public StepInput fetch(StepRun run) throws IOException {
        Path dir = work.newFolder(run.step() + "-");
        Path file = java.nio.file.Files.createDirectory(dir.resolve("source")).resolve(fileName(run.sourceKey()));
        s3.getObject(r -> r.bucket(bucket).key(run.sourceKey()), ResponseTransformer.toFile(file));
        return new StepInput(run.asset(), run.job(), run.step(), file, dir, run.job().operationOf(run.step()),
                run.progress());
    }

    /** Stores the files of {@code result}; returns it. */
    public StepResult store(StepResult result) {
        long started = System.nanoTime();
        for (StoredFile made : result.files()) {
            s3.putObject(r -> r.bucket(bucket).key(made.key()).contentType(made.contentType()),
                    RequestBody.fromFile(made.file()));
        }
        if (!result.files().isEmpty()) {
            LOG.info("{} files stored in {} ms", result.files().size(), (System.nanoTime() - started) / 1_000_000);
        }
        return result;
    }

    /** Removes the work folder of {@code input} (null: none was made). */
    public void remove(StepInput input) {
        if (input == null) {
            return;
        }
        try {
            PathUtils.deleteDirectory(input.workDir());
        } catch (IOException e) {
            LOG.warn("work folder {} not removed: {}", input.workDir(), e.toString());
        }
    }

    /** The last segment of a key when it is a plain file name, so the copy keeps its extension. */
    static String fileName(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") ? name : "original";
    }
}
