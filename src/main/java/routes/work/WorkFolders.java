package routes.work;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this process keeps the files of its work (a job step's copy of its media, a request body, a form): one folder
 * per process under a common root, named after the process (its pid and start time), so what a killed process left
 * is known to be nobody's. On start, the folders of processes that are gone are removed; so a worker killed in the
 * middle of a job leaves nothing behind for longer than its next start (or the next start of any process sharing the
 * root).
 */
public final class WorkFolders {

    private static final Logger LOG = LoggerFactory.getLogger(WorkFolders.class);
    private static final Pattern OWNED = Pattern.compile("(\\d+)-(\\d+)");

    private final Path own;

    /** This process's folder under {@code root}, made now, after the folders of gone processes are removed. */
    public WorkFolders(Path root) throws IOException {
        Files.createDirectories(root);
        removeOrphans(root);
        ProcessHandle self = ProcessHandle.current();
        this.own = Files.createDirectories(root.resolve(name(self.pid(), startOf(self))));
    }

    /** A new folder of this process's for one piece of work. */
    public Path newFolder(String prefix) throws IOException {
        return Files.createTempDirectory(ensured(), prefix);
    }

    /** A new file of this process's. */
    public Path newFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(ensured(), prefix, suffix);
    }

    /** This process's folder. */
    public Path folder() {
        return own;
    }

    private Path ensured() throws IOException {
        // an operator's clean-up of the temp folder may have taken it
        return Files.createDirectories(own);
    }

    private static void removeOrphans(Path root) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                Matcher owned = OWNED.matcher(folder.getFileName().toString());
                if (!owned.matches() || alive(Long.parseLong(owned.group(1)), Long.parseLong(owned.group(2)))) {
                    continue;
                }
                try {
                    long bytes = PathUtils.sizeOfDirectory(folder);
                    PathUtils.deleteDirectory(folder);
                    LOG.info("removed {} ({} bytes): the work of a process that is gone", folder, bytes);
                } catch (IOException e) {
                    LOG.warn("the work folder {} of a process that is gone could not be removed: {}", folder,
                            e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("work folders under {} not looked through: {}", root, e.toString());
        }
    }

    /** Whether the process of this pid that started at this time still runs (a pid may have been reused). */
    private static boolean alive(long pid, long startMillis) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive() && startOf(process.get()) == startMillis;
    }

    private static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    static String name(long pid, long startMillis) {
        return pid + "-" + startMillis;
    }
}
