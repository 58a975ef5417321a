package routes.library.search;

import static routes.library.search.LibraryDocuments.DIMENSIONS;
import static routes.library.search.LibraryDocuments.TEXT_BOOSTS;
import static routes.library.search.LibraryDocuments.TRANSCRIPT;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.util.BytesRef;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.aggregations.Aggregate;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.problems.Refusal;

/**
 * The library index on OpenSearch (2.x, self-hosted or AWS OpenSearch Service): the same matching, ranking,
 * highlights, facets and cursors as {@link LuceneLibraryIndex}, through the cluster's REST API.
 *
 * <p>{@code name} is an alias. The first use creates the index {@code name-0} behind it, with the mapping of
 * {@code opensearch-index.json}: the text fields analysed as {@link LibraryAnalyzer} does (runs of letters and
 * digits, lower-cased, folded to ASCII; the text composed before it is sent), the {@link LibraryAnalyzer#key keys}
 * to filter and sort by and the facet values as keywords (both made here, so they are the same as the embedded
 * engine's), the numbers, and the doc without its transcript as an unindexed object to read hits back from. A
 * {@link #replaceAll rebuild} fills a new index {@code name-<millis>} and moves the alias to it in one step, then
 * drops the old one.
 *
 * <p>Every write refreshes the index before it returns, so a search sees it at once, as with the embedded engine.
 * Writes from this process wait for a rebuild; writes another process makes during a rebuild land in the old index
 * and are lost with it (the events that follow, or the next reindex, put them back).
 *
 * <p>What the cluster refuses becomes a {@link Refusal}: a search it finds malformed {@code bad-query}; no answer,
 * a late one or an error the cluster's (upstream kinds, so the API answers 502 or 504 rather than 500).
 */
public final class OpenSearchLibraryIndex implements LibraryIndex {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchLibraryIndex.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FACET_VALUES = 20;
    private static final int TRANSCRIPT_FRAGMENT = 140;
    private static final int REBUILD_BATCH = 500;

    private final OpenSearchTransport transport;
    private final OpenSearchClient client;
    private final String name;
    private final ReadWriteLock rebuild = new ReentrantReadWriteLock();
    private volatile boolean ready;

    /** The index behind the alias {@code name} on the cluster {@code transport} talks to; closes the transport. */
    public OpenSearchLibraryIndex(OpenSearchTransport transport, String name) {
        this.transport = transport;
        this.client = new OpenSearchClient(transport);
        this.name = name;
    }

    @Override
    public void putAll(Collection<LibraryDoc> docs) {
        if (docs.isEmpty()) {
            return;
        }
        List<BulkOperation> operations = new ArrayList<>(docs.size());
        for (LibraryDoc doc : docs) {
            operations.add(index(doc));
        }
        write("put", operations);
    }

    @Override
    public void delete(String assetId) {
        write("delete", List.of(BulkOperation.of(b -> b.delete(d -> d.id(assetId)))));
    }

    @Override
    public void replaceAll(Stream<LibraryDoc> docs) {
        ensureIndex();
        Lock lock = rebuild.writeLock();
        lock.lock();
        try {
            String fresh = name + "-" + System.currentTimeMillis();
            createIndex(fresh, false);
            try {
                List<BulkOperation> batch = new ArrayList<>(REBUILD_BATCH);
                for (Iterator<LibraryDoc> each = docs.iterator(); each.hasNext(); ) {
                    batch.add(index(each.next()));
                    if (batch.size() == REBUILD_BATCH) {
                        bulk(fresh, batch, Refresh.False);
                        batch.clear();
                    }
                }
                bulk(fresh, batch, Refresh.True);
                List<String> old = call("read the alias", () -> List.copyOf(
                        client.indices().getAlias(a -> a.name(name)).result().keySet()));
                call("move the alias", () -> client.indices().updateAliases(u -> {
                    old.forEach(index -> u.actions(a -> a.remove(r -> r.index(index).alias(name))));
                    return u.actions(a -> a.add(add -> add.index(fresh).alias(name)));
                }));
                for (String index : old) {
                    drop(index);
                }
            } catch (RuntimeException e) {
                drop(fresh);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long count() {
        ensureIndex();
        return call("count", () -> client.count(c -> c.index(name)).count());
    }

    @Override
    public LibraryPage search(LibraryQuery q) {
        ensureIndex();
        FieldDoc after = LibraryCursor.after(q);
        SearchRequest request = OpenSearchQueries.search(name, q, after == null ? null : searchAfter(q, after),
                FACET_VALUES, TRANSCRIPT_FRAGMENT);
        SearchResponse<ObjectNode> found;
        try {
            found = client.search(request, ObjectNode.class);
        } catch (OpenSearchException e) {
            if (e.status() == 400) {
                throw new Refusal(Refusal.Kind.INVALID, "bad-query", null, "the search engine refused the query ("
                        + reason(e) + ")", e);
            }
            throw failure("search", e);
        } catch (IOException e) {
            throw failure("search", e);
        }
        List<Hit<ObjectNode>> hits = found.hits().hits();
        int shown = Math.min(q.limit(), hits.size());
        boolean relevance = q.sort().by() == LibrarySort.By.RELEVANCE;
        List<LibraryHit> items = new ArrayList<>(shown);
        for (Hit<ObjectNode> hit : hits.subList(0, shown)) {
            LibraryDoc doc = LibraryDocuments.fromJson(hit.source().get("doc"));
            Float score = relevance && hit.score() != null ? hit.score().floatValue() : null;
            items.add(new LibraryHit(doc, score, highlights(hit.highlight())));
        }
        String next = hits.size() > q.limit() ? LibraryCursor.next(q, fieldDoc(q, hits.get(shown - 1))) : null;
        long total = found.hits().total() == null ? hits.size() : found.hits().total().value();
        return new LibraryPage(items, next, total, q.facets() ? facets(found.aggregations()) : null);
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- writes ---

    private BulkOperation index(LibraryDoc doc) {
        ObjectNode source = OpenSearchQueries.source(doc);
        return BulkOperation.of(b -> b.index(i -> i.id(doc.assetId()).document(source)));
    }

    private void write(String what, List<BulkOperation> operations) {
        ensureIndex();
        Lock lock = rebuild.readLock();
        lock.lock();
        try {
            bulk(name, operations, Refresh.True);
        } finally {
            lock.unlock();
        }
    }

    /** Sends the operations to {@code index}; fails on the first that fails (a delete of nothing does not). */
    private void bulk(String index, List<BulkOperation> operations, Refresh refresh) {
        if (operations.isEmpty()) {
            if (refresh == Refresh.True) {
                call("refresh", () -> client.indices().refresh(r -> r.index(index)));
            }
            return;
        }
        BulkResponse response = call("write", () -> client.bulk(b -> b.index(index).operations(operations)
                .refresh(refresh)));
        if (response.errors()) {
            for (BulkResponseItem item : response.items()) {
                if (item.error() != null && item.status() != 404) {
                    throw new Refusal(Refusal.Kind.UPSTREAM_FAILED, "search-engine-failed", null,
                            "OpenSearch did not take library doc " + item.id() + " into " + index + " ("
                                    + item.error().type() + ": " + item.error().reason() + ")");
                }
            }
        }
    }

    // --- the index and its alias ---

    /** Creates the first index behind the alias when there is none (once per process; racing processes agree). */
    private void ensureIndex() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            boolean alias = call("look for the alias", () -> client.indices().existsAlias(a -> a.name(name)).value());
            if (!alias) {
                if (call("look for the index", () -> client.indices().exists(e -> e.index(name)).value())) {
                    throw new IllegalStateException("OpenSearch has an index named " + name + ", where the library "
                            + "index wants an alias: delete that index, or set caravan.library.opensearch.index to "
                            + "another name");
                }
                createIndex(name + "-0", true);
            }
            ready = true;
        }
    }

    /** Creates an index with the library's mapping, behind the alias when {@code aliased}. */
    private void createIndex(String index, boolean aliased) {
        ObjectNode body = mapping();
        if (aliased) {
            body.putObject("aliases").putObject(name);
        }
        Response response = call("create index " + index, () -> client.generic().execute(Requests.builder()
                .method("PUT").endpoint("/" + index).json(body.toString()).build()));
        try (response) {
            int status = response.getStatus();
            String answer = response.getBody().map(b -> b.bodyAsString()).orElse("");
            if (status >= 300 && !(aliased && answer.contains("resource_already_exists_exception"))) {
                throw new Refusal(Refusal.Kind.UPSTREAM_FAILED, "search-engine-failed", null,
                        "OpenSearch did not create the library index " + index + " (" + status + ": " + answer + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drop(String index) {
        try {
            client.indices().delete(d -> d.index(index));
        } catch (IOException | OpenSearchException e) {
            LOG.warn("The library index {} could not be deleted; delete it by hand", index, e);
        }
    }

    private static ObjectNode mapping() {
        try (InputStream in = OpenSearchLibraryIndex.class.getResourceAsStream("opensearch-index.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- reading hits ---

    /** Highlights in the order of the text fields: labels as the matching ones, joined by commas. */
    private static Map<String, String> highlights(Map<String, List<String>> marked) {
        Map<String, String> highlights = new LinkedHashMap<>();
        if (marked == null) {
            return highlights;
        }
        for (String field : TEXT_BOOSTS.keySet()) {
            List<String> fragments = marked.get(field);
            if (fragments != null && !fragments.isEmpty()) {
                highlights.put(field, String.join(field.equals("labels") ? ", " : " … ", fragments).strip());
            }
        }
        return highlights;
    }

    /**
     * The counts of each dimension's values, grouped by {@link LibraryAnalyzer#key key} and shown as their most
     * frequent spelling, most frequent first, as the embedded engine counts them.
     */
    private static Map<String, List<FacetCount>> facets(Map<String, Aggregate> aggregations) {
        Map<String, List<FacetCount>> facets = new LinkedHashMap<>();
        for (String dimension : DIMENSIONS) {
            List<FacetCount> counts = new ArrayList<>();
            for (StringTermsBucket bucket : aggregations.get(dimension).sterms().buckets().array()) {
                List<StringTermsBucket> spellings = bucket.aggregations().get("shown").sterms().buckets().array();
                String shown = spellings.isEmpty() ? bucket.key() : spellings.get(0).key();
                counts.add(new FacetCount(shown, bucket.docCount()));
            }
            counts.sort(Comparator.comparingLong(FacetCount::count).reversed()
                    .thenComparing(FacetCount::value, String.CASE_INSENSITIVE_ORDER));
            facets.put(dimension, List.copyOf(counts));
        }
        return facets;
    }

    // --- cursors ---

    /** The hit's sort values as the embedded engine's, for {@link LibraryCursor}. */
    private static FieldDoc fieldDoc(LibraryQuery q, Hit<ObjectNode> hit) {
        List<FieldValue> values = hit.sort();
        FieldValue first = values.get(0);
        Object value = switch (q.sort().by()) {
            case RELEVANCE -> (float) number(first);
            case CREATED -> first.longValue();
            case YEAR -> (int) first.longValue();
            case DURATION -> number(first);
            default -> first.isNull() ? null : new BytesRef(first.stringValue());
        };
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {value, new BytesRef(values.get(1)
                .stringValue())});
    }

    /** The sort values to search after, from a cursor's. */
    private static List<FieldValue> searchAfter(LibraryQuery q, FieldDoc after) {
        Object value = after.fields[0];
        FieldValue first = switch (q.sort().by()) {
            case RELEVANCE -> FieldValue.of((double) (Float) value);
            case CREATED -> FieldValue.of((Long) value);
            case YEAR -> FieldValue.of((long) (Integer) value);
            case DURATION -> Double.isInfinite((Double) value) ? FieldValue.of(value.toString())
                    : FieldValue.of((Double) value);
            default -> value == null ? FieldValue.NULL : FieldValue.of(((BytesRef) value).utf8ToString());
        };
        return List.of(first, FieldValue.of(((BytesRef) after.fields[1]).utf8ToString()));
    }

    /** A number the cluster sent, Infinity included (which JSON sends as a string). */
    private static double number(FieldValue value) {
        if (value.isString()) {
            return Double.parseDouble(value.stringValue());
        }
        return value.isLong() ? value.longValue() : value.doubleValue();
    }

    // --- calls ---

    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (OpenSearchException | IOException e) {
            throw failure(what, e);
        }
    }

    /** A failed call as a refusal of an upstream kind, saying what the cluster answered. */
    private Refusal failure(String what, Exception e) {
        if (e instanceof OpenSearchException refused) {
            Refusal.Kind kind = refused.status() == 401 || refused.status() == 403 ? Refusal.Kind.UPSTREAM_DENIED
                    : Refusal.Kind.UPSTREAM_FAILED;
            return new Refusal(kind, "search-engine-failed", null, "OpenSearch refused to " + what + " on the "
                    + "library index " + name + " (" + refused.status() + ", " + reason(refused) + ")", e);
        }
        if (e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException) {
            return new Refusal(Refusal.Kind.UPSTREAM_TIMEOUT, "search-engine-timeout", null,
                    "OpenSearch did not answer in time to " + what + " on the library index " + name, e);
        }
        return new Refusal(Refusal.Kind.UPSTREAM_FAILED, "search-engine-failed", null,
                "OpenSearch could not be reached to " + what + " on the library index " + name + " ("
                        + e.getMessage() + ")", e);
    }

    private static String reason(OpenSearchException e) {
        return e.error() == null ? e.getMessage() : e.error().type() + ": " + e.error().reason();
    }
}
