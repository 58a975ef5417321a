package routes.library;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.assets.AssetStatus;
import routes.library.search.LibraryDoc;
import routes.library.search.LibraryIndex;
import routes.library.search.LibraryPage;
import routes.library.search.LibraryQuery;
import routes.stt.Transcript;
import routes.stt.Transcripts;
import routes.store.VersionedTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The library's search index, kept in step with the tables: an event naming an asset (uploaded, changed by a step,
 * edited, shared, deleted) makes its document again from what is stored now (the asset, its library entry, its
 * transcript), so events may come late, twice or out of order; a deleted asset's document and library entry are
 * removed. A reindex rebuilds every document from the tables.
 * Searches and listings read the index only.
 */
public class LibraryIndexing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibraryIndexing.class);
    /** The most of a transcript the index holds (characters). */
    static final int MAX_TRANSCRIPT = 1_000_000;

    private final java.util.function.Supplier<LibraryIndex> opener;
    private volatile LibraryIndex index;
    private final AssetService assets;
    private final VersionedTable<Asset> assetTable;
    private final LibraryService library;
    private final VersionedTable<LibraryEntry> entries;
    private final Transcripts transcripts;

    /** @param opener opens the index, the first time it is used (only the processes that search hold it) */
    public LibraryIndexing(java.util.function.Supplier<LibraryIndex> opener, AssetService assets, VersionedTable<Asset> assetTable,
            LibraryService library, VersionedTable<LibraryEntry> entries, Transcripts transcripts) {
        this.opener = opener;
        this.assets = assets;
        this.assetTable = assetTable;
        this.library = library;
        this.entries = entries;
        this.transcripts = transcripts;
    }

    private LibraryIndex index() {
        LibraryIndex open = index;
        if (open == null) {
            synchronized (this) {
                if (index == null) {
                    index = opener.get();
                }
                open = index;
            }
        }
        return open;
    }

    @Override
    public synchronized void close() throws IOException {
        if (index != null) {
            index.close();
            index = null;
        }
    }

    /** The result of a reindex. */
    public record Reindexed(long items, long millis) {
    }

    /** Makes asset {@code assetId}'s document again from the tables, or removes it when the asset is gone. */
    public void refresh(String assetId) {
        if (assetId == null || assetId.isBlank()) {
            return;
        }
        Optional<Asset> asset = assets.lookUp(assetId);
        if (asset.isEmpty()) {
            // a deleted asset: its library entry (edits, labels, shares) goes with it
            entries.delete(LibraryEntry.idOf(assetId));
        }
        if (asset.isEmpty() || asset.get().status() != AssetStatus.READY) {
            index().delete(assetId);
            LOG.debug("library index: {} removed", assetId);
            return;
        }
        index().put(doc(asset.get(), library.entryOf(assetId).orElse(null)));
        LOG.debug("library index: {} updated", assetId);
    }

    /**
     * Rebuilds the index from the tables when it is empty (a new API process, a data folder that did not survive a
     * restart); an index that holds anything is left to the events.
     *
     * @return whether it was rebuilt
     */
    public boolean rebuildIfEmpty() {
        if (index().count() > 0) {
            return false;
        }
        reindex();
        return true;
    }

    /** Rebuilds the index from the tables: every stored asset, with its library entry. */
    public Reindexed reindex() {
        long started = System.nanoTime();
        Map<String, LibraryEntry> byAsset = new HashMap<>();
        scan(entries, "item").forEachRemaining(e -> byAsset.put(e.assetId(), e));
        long[] count = {0};
        Iterator<Asset> all = scan(assetTable, null);
        Iterator<LibraryDoc> docs = new Iterator<>() {
            private LibraryDoc next = advance();

            private LibraryDoc advance() {
                while (all.hasNext()) {
                    Asset asset = all.next();
                    if (asset.status() == AssetStatus.READY && asset.owner() != null && asset.mediaKind() != null) {
                        count[0]++;
                        return doc(asset, byAsset.get(asset.id()));
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public LibraryDoc next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                LibraryDoc current = next;
                next = advance();
                return current;
            }
        };
        index().replaceAll(java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(docs, java.util.Spliterator.ORDERED), false));
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("library index rebuilt from the tables: {} items in {} ms", count[0], millis);
        return new Reindexed(count[0], millis);
    }

    /**
     * A search or listing of the items the caller may see, from the query parameters of
     * {@code GET /library/items}: q, type, artist, album, genre, label, yearFrom, yearTo, minDuration, maxDuration,
     * owned, sort, limit, cursor, facets.
     */
    public LibraryPage search(Map<String, Object> parameters, Caller caller) {
        LibraryQuery query = LibraryQuery.builder(caller.subject()).everything(caller.admin())
                .text(text(parameters, "q")).mediaKind(text(parameters, "type")).artist(text(parameters, "artist"))
                .album(text(parameters, "album")).genre(text(parameters, "genre")).label(text(parameters, "label"))
                .years(whole(parameters, "yearFrom"), whole(parameters, "yearTo"))
                .duration(seconds(parameters, "minDuration"), seconds(parameters, "maxDuration"))
                .owned(yesNo(parameters, "owned")).sort(text(parameters, "sort")).limit(whole(parameters, "limit"))
                .cursor(text(parameters, "cursor")).facets(Boolean.TRUE.equals(yesNo(parameters, "facets")))
                .build();
        return index().search(query);
    }

    private static String text(Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        if (value instanceof List<?> several) {
            throw routes.problems.Refusal.invalid("bad-query", name + " is given " + several.size() + " times");
        }
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static Integer whole(Map<String, Object> parameters, String name) {
        String value = text(parameters, name);
        try {
            return value == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw routes.problems.Refusal.invalid("bad-query", name + " must be a whole number, not "
                    + routes.problems.Refusal.quoted(value));
        }
    }

    private static Double seconds(Map<String, Object> parameters, String name) {
        String value = text(parameters, name);
        try {
            Double seconds = value == null ? null : Double.valueOf(value.strip());
            if (seconds != null && (seconds.isNaN() || seconds.isInfinite())) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw routes.problems.Refusal.invalid("bad-query", name + " must be a number of seconds, not "
                    + routes.problems.Refusal.quoted(value));
        }
    }

    private static Boolean yesNo(Map<String, Object> parameters, String name) {
        String value = text(parameters, name);
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw routes.problems.Refusal.invalid("bad-query", name + " must be true or false");
        };
    }

    /** What the index holds of an asset: its file, its tags (edits over the file's), labels, shares, transcript. */
    LibraryDoc doc(Asset asset, LibraryEntry entry) {
        MusicTags tags = LibraryService.tagsOf(asset, entry);
        return LibraryDoc.builder(asset.id(), asset.owner(), asset.mediaKind())
                .readers(entry == null ? null : new HashSet<>(entry.sharedWith()))
                .filename(asset.filename()).contentType(asset.contentType())
                .title(tags.title()).artist(tags.artist()).album(tags.album()).albumArtist(tags.albumArtist())
                .genre(tags.genre()).composer(tags.composer()).year(tags.year()).track(tags.track())
                .disc(tags.disc()).isrc(tags.isrc()).duration(asset.metadata().duration())
                .labels(entry == null ? List.of() : entry.labels())
                .transcript(transcript(asset))
                .createdAt(asset.createdAt()).updatedAt(asset.updatedAt())
                .build();
    }

    private String transcript(Asset asset) {
        if (LibraryService.rendition(asset, "transcript").isEmpty()) {
            return null;
        }
        try {
            String text = transcripts.stored(asset.id()).map(Transcript::text).orElse(null);
            return text == null || text.length() <= MAX_TRANSCRIPT ? text : text.substring(0, MAX_TRANSCRIPT);
        } catch (IOException unreadable) {
            LOG.warn("library index: the transcript of {} is not readable ({}); indexed without it", asset.id(),
                    unreadable.getMessage());
            return null;
        }
    }

    /** Every document of {@code table} (of {@code kind}, when given), a page of the scan at a time. */
    private static <T extends routes.store.Versioned<T>> Iterator<T> scan(VersionedTable<T> table, String kind) {
        return new Iterator<>() {
            private Map<String, AttributeValue> start;
            private boolean more = true;
            private Iterator<Map<String, AttributeValue>> page = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && more) {
                    Map<String, AttributeValue> from = start;
                    ScanResponse response = table.client().scan(r -> {
                        r.tableName(table.table()).exclusiveStartKey(from);
                        if (kind != null) {
                            r.filterExpression("#k = :k").expressionAttributeNames(Map.of("#k", LibraryService.KIND))
                                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(kind)));
                        }
                    });
                    page = response.items().iterator();
                    start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                            ? response.lastEvaluatedKey() : null;
                    more = start != null;
                }
                return page.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return table.read(page.next());
            }
        };
    }
}
