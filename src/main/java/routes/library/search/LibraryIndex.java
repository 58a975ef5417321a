package routes.library.search;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The full-text index of the media library: items are put, replaced and deleted by assetId, and searched as
 * {@link LibraryQuery} says. Two engines keep it: {@link LuceneLibraryIndex}, embedded in the process, and
 * {@link OpenSearchLibraryIndex}, on an OpenSearch cluster; they match, rank, highlight, count facets and page
 * alike. Implementations are thread-safe, and a change is seen by searches as soon as its call returns.
 */
public interface LibraryIndex extends Closeable {

    /** The embedded index in {@code dir}, created (with the folder) when there is none. */
    static LibraryIndex open(Path dir) {
        return LuceneLibraryIndex.open(dir);
    }

    /** An embedded index in memory, gone when closed. */
    static LibraryIndex inMemory() {
        return LuceneLibraryIndex.inMemory();
    }

    /** Adds the doc, or replaces the one with its assetId. */
    default void put(LibraryDoc doc) {
        putAll(List.of(doc));
    }

    /** Adds each doc, or replaces the one with its assetId. */
    void putAll(Collection<LibraryDoc> docs);

    /** Removes the doc with this assetId, if there is one. */
    void delete(String assetId);

    /**
     * Rebuilds the index from {@code docs}: afterwards it holds exactly those. Searches see the old contents until
     * the rebuild is done, then the new. If {@code docs} fails part way, searches still see the old contents.
     */
    void replaceAll(Stream<LibraryDoc> docs);

    /** How many docs the index holds. */
    long count();

    /**
     * One page of what the query finds, as the index is now; refuses a cursor that is not the query's own. The
     * total and the facets count every match, not only the page.
     */
    LibraryPage search(LibraryQuery q);

    /** Releases what the index holds (files, connections); it is not used after. */
    @Override
    void close();
}
