package routes.library.search;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The library index's behaviour on the embedded Lucene engine: in memory, and in a folder to reopen. */
class LibraryIndexTest extends LibraryIndexBehaviour {

    @TempDir
    Path dir;

    @Override
    protected LibraryIndex create() {
        return LibraryIndex.inMemory();
    }

    @Override
    protected LibraryIndex open(String name) {
        return LibraryIndex.open(dir.resolve(name));
    }

    /** A rebuild writes into the live index: the next commit (any write) shows what it had read. */
    @Override
    protected boolean keepsWhatAFailedRebuildRead() {
        return true;
    }
}
