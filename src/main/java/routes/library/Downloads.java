package routes.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.assets.Asset;
import routes.assets.ObjectKeys;
import routes.media.AudioEncoder;
import routes.media.MediaProblem;
import routes.work.WorkFolders;
import routes.problems.Refusal;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Items as downloads: the original as it was uploaded, or its audio as MP3 or AAC, made the first time it is asked
 * for and kept beside the asset's other derivatives ({@code derived/{id}/download/}).
 */
public class Downloads {

    private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);

    private final S3Client s3;
    private final String bucket;
    private final RangedObjects objects;
    private final AudioEncoder encoder;
    private final WorkFolders work;

    /** @param work this process's work folders (removed with the process, also when it is killed) */
    public Downloads(S3Client s3, String bucket, RangedObjects objects, AudioEncoder encoder, WorkFolders work) {
        this.s3 = s3;
        this.bucket = bucket;
        this.objects = objects;
        this.encoder = encoder;
        this.work = work;
    }

    public RangedObjects.Delivery download(Asset asset, String format, String range, String ifRange, boolean head) {
        String name = asset.filename() == null ? asset.id() : asset.filename();
        if (format.equals("original")) {
            return objects.serve(asset.originalKey(), asset.contentType(), range, ifRange, name, head);
        }
        String extension = format.equals("mp3") ? "mp3" : "m4a";
        String type = format.equals("mp3") ? "audio/mpeg" : "audio/mp4";
        String key = ObjectKeys.derived(asset.id()) + "download/audio." + extension;
        if (!exists(key)) {
            make(asset, format, key, type);
        }
        String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        return objects.serve(key, type, range, ifRange, base + "." + extension, head);
    }

    private boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException missing) {
            return false;
        }
    }

    private void make(Asset asset, String format, String key, String type) {
        Path folder = null;
        try {
            folder = work.newFolder("download-");
            Path source = folder.resolve("source");
            s3.getObject(r -> r.bucket(bucket).key(asset.originalKey()), source);
            long started = System.nanoTime();
            Path out = encoder.encode(source, format, folder.resolve("out." + format));
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(type), RequestBody.fromFile(out));
            LOG.info("download of {} as {} made in {} ms", asset.id(), format, (System.nanoTime() - started) / 1_000_000);
        } catch (MediaProblem broken) {
            throw new Refusal(Refusal.Kind.UNPROCESSABLE, "not-transcodable", null,
                    "the item cannot be downloaded as " + format + ": " + broken.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (folder != null) {
                org.apache.commons.io.FileUtils.deleteQuietly(folder.toFile());
            }
        }
    }
}
