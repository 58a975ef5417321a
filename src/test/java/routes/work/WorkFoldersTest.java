package routes.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process's work goes under a folder named after it; what processes that are gone left is removed on start. */
class WorkFoldersTest {

    @TempDir
    Path root;

    @Test
    void theFoldersOfProcessesThatAreGoneAreRemovedOnStartAndNoOneElses() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        long endedStart = ended.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
        ended.waitFor();
        Path gone = withFile(root.resolve(WorkFolders.name(ended.pid(), endedStart)));
        ProcessHandle self = ProcessHandle.current();
        long selfStart = self.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
        // the pid of a live process, but another start time: the pid was reused, its first owner is gone
        Path reused = withFile(root.resolve(WorkFolders.name(self.pid(), selfStart - 1000)));
        Path live = withFile(root.resolve(WorkFolders.name(self.pid(), selfStart)));
        Path notOurs = withFile(root.resolve("something-else"));

        WorkFolders work = new WorkFolders(root);

        assertThat(gone).doesNotExist();
        assertThat(reused).doesNotExist();
        assertThat(live).exists();
        assertThat(notOurs).exists();
        assertThat(work.folder()).isEqualTo(live);
        Path folder = work.newFolder("step-");
        assertThat(folder.getParent()).isEqualTo(live);
        assertThat(work.newFile("body-", ".bin").getParent()).isEqualTo(live);
    }

    private static Path withFile(Path folder) throws Exception {
        Files.createDirectories(folder.resolve("job"));
        Files.write(folder.resolve("job").resolve("media.mp4"), new byte[1024]);
        return folder;
    }
}
