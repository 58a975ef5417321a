package routes.jobs;

import java.nio.file.Path;

/** A file a worker made, to be stored at {@code key} with {@code contentType}. */
public record StoredFile(Path file, String key, String contentType) {
}
