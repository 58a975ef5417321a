package routes.library.search;

import static routes.library.search.LibraryDocuments.BATCH;
import static routes.library.search.LibraryDocuments.DIMENSIONS;
import static routes.library.search.LibraryDocuments.FACETS;
import static routes.library.search.LibraryDocuments.ID;
import static routes.library.search.LibraryDocuments.JSON_FIELD;
import static routes.library.search.LibraryDocuments.TEXT_BOOSTS;
import static routes.library.search.LibraryDocuments.TRANSCRIPT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MultiCollectorManager;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.LengthGoalBreakIterator;
import org.apache.lucene.search.uhighlight.PassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.search.uhighlight.WholeBreakIterator;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library index on an embedded Lucene index in a folder (or in memory): items are put, replaced and deleted by
 * assetId, and searched as {@link LibraryQuery} says (see {@link LibraryQueries} for how text matches and ranks).
 * Thread-safe.
 *
 * <p>A change is seen by searches as soon as its call returns. It is committed to disk within a second, and on
 * {@link #close()}: after an unclean stop the index opens at its last commit, without the changes of that last
 * second, which a reindex ({@link #replaceAll}) restores.
 */
public final class LuceneLibraryIndex implements LibraryIndex {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneLibraryIndex.class);
    private static final String PUT = "put";
    private static final String[] HIGHLIGHTED = TEXT_BOOSTS.keySet().toArray(String[]::new);
    /** How many passages each highlighted field shows: each matching label, one of the others. */
    private static final int[] PASSAGES = Arrays.stream(HIGHLIGHTED).mapToInt(f -> f.equals("labels") ? 20 : 1)
            .toArray();
    private static final PassageFormatter MARKS = new DefaultPassageFormatter("<mark>", "</mark>", " … ", true);
    private static final PassageFormatter LABEL_MARKS = new DefaultPassageFormatter("<mark>", "</mark>", ", ", true);
    private static final int FACET_VALUES = 20;
    private static final int TRANSCRIPT_FRAGMENT = 140;
    /** How far into a field (a long transcript) matches are looked for when highlighting. */
    private static final int MAX_HIGHLIGHT_CHARS = 2 << 20;

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** Writes share it; a rebuild takes it alone, so no refresh or commit shows the rebuild half done. */
    private final ReadWriteLock rebuild = new ReentrantReadWriteLock();
    private final ScheduledExecutorService committer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object facetLock = new Object();
    private volatile FacetState facetState;

    /** The facet ordinals of one reader, built on the first faceted search after a change. */
    private record FacetState(IndexReader reader, SortedSetDocValuesReaderState state) {
    }

    private LuceneLibraryIndex(Directory directory) throws IOException {
        this.directory = directory;
        this.writer = new IndexWriter(directory, new IndexWriterConfig(LibraryAnalyzer.INSTANCE)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setRAMBufferSizeMB(64));
        this.searchers = new SearcherManager(writer, null);
        this.committer = Executors.newSingleThreadScheduledExecutor(run -> {
            Thread thread = new Thread(run, "library-index-commit");
            thread.setDaemon(true);
            return thread;
        });
        committer.scheduleWithFixedDelay(this::commit, 1, 1, TimeUnit.SECONDS);
    }

    /** The index in {@code dir}, created (with the folder) when there is none. */
    public static LuceneLibraryIndex open(Path dir) {
        try {
            Files.createDirectories(dir);
            return new LuceneLibraryIndex(FSDirectory.open(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("the library index in " + dir + " could not be opened", e);
        }
    }

    /** An index in memory, gone when closed. */
    public static LuceneLibraryIndex inMemory() {
        try {
            return new LuceneLibraryIndex(new ByteBuffersDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(LibraryDoc doc) {
        putAll(List.of(doc));
    }

    @Override
    public void putAll(Collection<LibraryDoc> docs) {
        write(() -> {
            for (LibraryDoc doc : docs) {
                writer.updateDocument(new Term(ID, doc.assetId()), LibraryDocuments.toDocument(doc, PUT));
            }
        });
    }

    @Override
    public void delete(String assetId) {
        write(() -> writer.deleteDocuments(new Term(ID, assetId)));
    }

    /**
     * Rebuilds the index from {@code docs}: afterwards it holds exactly those. Searches see the old contents until
     * the rebuild is committed, then the new; other writes wait for it. If {@code docs} fails part way, searches
     * still see the old contents; the next write shows the old docs with those read so far put over them.
     */
    @Override
    public void replaceAll(Stream<LibraryDoc> docs) {
        Lock lock = rebuild.writeLock();
        lock.lock();
        try {
            String batch = UUID.randomUUID().toString();
            for (Iterator<LibraryDoc> each = docs.iterator(); each.hasNext(); ) {
                LibraryDoc doc = each.next();
                writer.updateDocument(new Term(ID, doc.assetId()), LibraryDocuments.toDocument(doc, batch));
            }
            writer.deleteDocuments(new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.MUST)
                    .add(new TermQuery(new Term(BATCH, batch)), Occur.MUST_NOT).build());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long count() {
        IndexSearcher searcher = acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            release(searcher);
        }
    }

    /**
     * One page of what the query finds, as the index is now; refuses a cursor that is not the query's own. The
     * total and the facets count every match, not only the page.
     */
    @Override
    public LibraryPage search(LibraryQuery q) {
        FieldDoc after = LibraryCursor.after(q);
        Query text = LibraryQueries.text(q.terms());
        Query query = LibraryQueries.matching(q, text);
        IndexSearcher searcher = acquire();
        try {
            var top = new TopFieldCollectorManager(LibraryQueries.sort(q.sort()), q.limit() + 1, after,
                    Integer.MAX_VALUE);
            TopFieldDocs found;
            Map<String, List<FacetCount>> facets = null;
            if (q.facets()) {
                Object[] both = searcher.search(query, new MultiCollectorManager(top, new FacetsCollectorManager()));
                found = (TopFieldDocs) both[0];
                facets = facets(searcher.getIndexReader(), (FacetsCollector) both[1]);
            } else {
                found = searcher.search(query, top);
            }
            ScoreDoc[] page = Arrays.copyOf(found.scoreDocs, Math.min(q.limit(), found.scoreDocs.length));
            Map<String, String[]> marked = text == null || page.length == 0 ? Map.of()
                    : highlighter(searcher).highlightFields(HIGHLIGHTED, text, new TopDocs(found.totalHits, page),
                            PASSAGES);
            StoredFields stored = searcher.storedFields();
            List<LibraryHit> items = new ArrayList<>(page.length);
            for (int i = 0; i < page.length; i++) {
                FieldDoc hit = (FieldDoc) page[i];
                LibraryDoc doc = LibraryDocuments.fromStored(stored.document(hit.doc, Set.of(JSON_FIELD)));
                Float score = q.sort().by() == LibrarySort.By.RELEVANCE ? (Float) hit.fields[0] : null;
                items.add(new LibraryHit(doc, score, highlights(marked, i)));
            }
            String next = found.scoreDocs.length > q.limit()
                    ? LibraryCursor.next(q, (FieldDoc) page[page.length - 1]) : null;
            return new LibraryPage(items, next, found.totalHits.value, facets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release(searcher);
        }
    }

    /** Commits what is left and closes the index. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        committer.shutdown();
        Lock lock = rebuild.writeLock();
        lock.lock();
        try {
            committer.awaitTermination(10, TimeUnit.SECONDS);
            writer.commit();
            IOUtils.close(searchers, writer, directory);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing the library index", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private void write(Write write) {
        Lock lock = rebuild.readLock();
        lock.lock();
        try {
            write.run();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private void commit() {
        Lock lock = rebuild.readLock();
        if (!lock.tryLock()) {
            return;
        }
        try {
            if (writer.hasUncommittedChanges()) {
                writer.commit();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("The library index could not commit; it tries again in a second", e);
        } finally {
            lock.unlock();
        }
    }

    private IndexSearcher acquire() {
        try {
            return searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void release(IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Marks matches in HTML: short fields whole, the labels that match, the transcript as a passage of about 140
     * characters around its best match. Prefix and typo matches are marked too.
     */
    private static UnifiedHighlighter highlighter(IndexSearcher searcher) {
        UnifiedHighlighter.Builder builder = UnifiedHighlighter.builder(searcher, LibraryAnalyzer.INSTANCE)
                .withHandleMultiTermQuery(true)
                // matches by the query's terms and automata against each hit's term vectors: several times faster
                // than asking the whole query for its matches in every field of every hit
                .withWeightMatches(false)
                .withMaxNoHighlightPassages(0)
                .withMaxLength(MAX_HIGHLIGHT_CHARS);
        return new UnifiedHighlighter(builder) {
            @Override
            protected PassageFormatter getFormatter(String field) {
                return field.equals("labels") ? LABEL_MARKS : MARKS;
            }

            @Override
            protected BreakIterator getBreakIterator(String field) {
                return field.equals(TRANSCRIPT) ? LengthGoalBreakIterator.createClosestToLength(
                        BreakIterator.getWordInstance(Locale.ROOT), TRANSCRIPT_FRAGMENT, 0.5f)
                        : new WholeBreakIterator();
            }
        };
    }

    /** The hit's highlights by field. */
    private static Map<String, String> highlights(Map<String, String[]> marked, int hit) {
        Map<String, String> highlights = new LinkedHashMap<>();
        marked.forEach((field, fragments) -> {
            if (fragments[hit] != null) {
                highlights.put(field, fragments[hit].replace("\u0000", "").strip());
            }
        });
        return highlights;
    }

    /**
     * The counts of each dimension's values over everything the search matched. Values that differ only in case
     * (their {@link LibraryAnalyzer#key keys}) count as one, shown as their most frequent spelling.
     */
    private Map<String, List<FacetCount>> facets(IndexReader reader, FacetsCollector matched) throws IOException {
        SortedSetDocValuesReaderState state = facetState(reader);
        Map<String, List<FacetCount>> facets = new LinkedHashMap<>();
        SortedSetDocValuesFacetCounts counts = state == null ? null : new SortedSetDocValuesFacetCounts(state, matched);
        for (String dimension : DIMENSIONS) {
            FacetResult result = counts == null ? null : counts.getAllChildren(dimension);
            Map<String, List<LabelAndValue>> spellings = new HashMap<>();
            if (result != null) {
                for (LabelAndValue value : result.labelValues) {
                    spellings.computeIfAbsent(LibraryAnalyzer.key(value.label), k -> new ArrayList<>()).add(value);
                }
            }
            facets.put(dimension, spellings.values().stream().map(LuceneLibraryIndex::merged)
                    .sorted(Comparator.comparingLong(FacetCount::count).reversed()
                            .thenComparing(FacetCount::value, String.CASE_INSENSITIVE_ORDER))
                    .limit(FACET_VALUES).toList());
        }
        return facets;
    }

    private static FacetCount merged(List<LabelAndValue> spellings) {
        LabelAndValue shown = spellings.stream().max(Comparator.comparingLong(s -> s.value.longValue())).orElseThrow();
        return new FacetCount(shown.label, spellings.stream().mapToLong(s -> s.value.longValue()).sum());
    }

    /** The facet state of the reader: built once per reader; null while no doc has facets. */
    private SortedSetDocValuesReaderState facetState(IndexReader reader) throws IOException {
        FacetState cached = facetState;
        if (cached == null || cached.reader() != reader) {
            synchronized (facetLock) {
                cached = facetState;
                if (cached == null || cached.reader() != reader) {
                    boolean any = FieldInfos.getMergedFieldInfos(reader)
                            .fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME) != null;
                    cached = new FacetState(reader, any ? new DefaultSortedSetDocValuesReaderState(reader, FACETS)
                            : null);
                    facetState = cached;
                }
            }
        }
        return cached.state();
    }
}
