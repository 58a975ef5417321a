package routes.library.search;

import static routes.library.search.LibraryDocuments.DIMENSIONS;
import static routes.library.search.LibraryDocuments.TEXT_BOOSTS;
import static routes.library.search.LibraryDocuments.TRANSCRIPT;
import static routes.library.search.LibraryQueries.EXACT;
import static routes.library.search.LibraryQueries.FUZZY;
import static routes.library.search.LibraryQueries.PREFIX;
import static routes.library.search.LibraryQueries.TIE_BREAKER;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.search.HighlighterEncoder;

/**
 * A {@link LibraryQuery} as an OpenSearch search, and a {@link LibraryDoc} as the document it searches: the same
 * clauses, boosts and sorts as {@link LibraryQueries} builds for Lucene, so both engines match and score alike.
 * Each word is a {@code dis_max} of constant scores (term, prefix, fuzzy with the first letter fixed) over the text
 * fields; the reader's visibility and the filters are {@code filter} clauses; facets are {@code terms}
 * aggregations over the keys, each with its most frequent spelling.
 */
final class OpenSearchQueries {

    /** The keyword fields a doc's keys are kept in, by what they are (see {@link LibraryAnalyzer#key}). */
    private static final String KEYS = "keys.";
    /** The keyword fields of the facet values as shown. */
    private static final String SHOWN = "shown.";

    private OpenSearchQueries() {
    }

    /** The document of {@code doc}: text composed, keys and shown facet values made here, the doc as JSON. */
    static ObjectNode source(LibraryDoc doc) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", doc.assetId());
        out.put("owner", doc.owner());
        doc.readers().forEach(out.withArray("readers")::add);
        out.put("mediaKind", doc.mediaKind());
        text(out, "title", doc.title());
        text(out, "artist", doc.artist());
        text(out, "album", doc.album());
        text(out, "albumArtist", doc.albumArtist());
        text(out, "composer", doc.composer());
        text(out, "genre", doc.genre());
        doc.labels().forEach(label -> {
            if (!label.isBlank()) {
                out.withArray("labels").add(LibraryAnalyzer.composed(label));
            }
        });
        text(out, "filename", doc.filename());
        text(out, "isrc", doc.isrc());
        text(out, TRANSCRIPT, doc.transcript());

        ObjectNode keys = out.putObject("keys");
        key(keys, "artist", doc.artist());
        key(keys, "album", doc.album());
        key(keys, "genre", doc.genre());
        key(keys, "title", doc.title());
        key(keys, "filename", doc.filename());
        key(keys, "mediaKind", doc.mediaKind());
        doc.labels().forEach(label -> {
            if (!label.isBlank()) {
                keys.withArray("labels").add(LibraryAnalyzer.key(label));
            }
        });
        ObjectNode shown = out.putObject("shown");
        for (String dimension : DIMENSIONS) {
            String value = switch (dimension) {
                case "artist" -> doc.artist();
                case "album" -> doc.album();
                case "genre" -> doc.genre();
                default -> doc.mediaKind();
            };
            if (value != null && !value.isBlank()) {
                shown.put(dimension, LibraryDocuments.shown(value));
            }
        }
        if (doc.year() != null) {
            out.put("year", doc.year());
        }
        if (doc.duration() != null) {
            out.put("duration", doc.duration());
        }
        if (doc.createdAt() != null) {
            out.put("created", doc.createdAt().toEpochMilli());
        }
        out.set("doc", LibraryDocuments.toJson(doc));
        return out;
    }

    /** The search of one page (and one hit more, to tell whether there is a next page) of {@code q}. */
    static SearchRequest search(String index, LibraryQuery q, List<FieldValue> after, int facetValues,
            int transcriptFragment) {
        Query text = text(q.terms());
        return SearchRequest.of(s -> {
            s.index(index).query(matching(q, text)).size(q.limit() + 1).sort(sort(q.sort()))
                    .trackTotalHits(t -> t.enabled(true)).source(src -> src.filter(f -> f.includes("doc")));
            if (after != null) {
                s.searchAfter(after);
            }
            if (text != null) {
                s.highlight(h -> {
                    h.preTags("<mark>").postTags("</mark>").encoder(HighlighterEncoder.Html).requireFieldMatch(true)
                            .highlightQuery(text);
                    for (String field : TEXT_BOOSTS.keySet()) {
                        // short fields whole (each matching label), the transcript as a passage around a match
                        h.fields(field, f -> field.equals(TRANSCRIPT)
                                ? f.fragmentSize(transcriptFragment).numberOfFragments(1).noMatchSize(0)
                                : f.numberOfFragments(0));
                    }
                    return h;
                });
            }
            if (q.facets()) {
                for (String dimension : DIMENSIONS) {
                    s.aggregations(dimension, a -> a.terms(t -> t.field(KEYS + dimension).size(facetValues)
                            .order(List.of(Map.of("_count", SortOrder.Desc), Map.of("_key", SortOrder.Asc))))
                            .aggregations("shown", spelling -> spelling.terms(t -> t.field(SHOWN + dimension)
                                    .size(1))));
                }
            }
            return s;
        });
    }

    /** Each word must match: exactly, by prefix or with typos, as {@link LibraryQueries#text} says; null without. */
    static Query text(List<String> terms) {
        if (terms.isEmpty()) {
            return null;
        }
        List<Query> words = new ArrayList<>();
        for (String term : terms) {
            int length = term.codePointCount(0, term.length());
            int edits = LibraryQueries.typos(term);
            List<Query> ways = new ArrayList<>();
            TEXT_BOOSTS.forEach((field, boost) -> {
                ways.add(constant(Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(term)))),
                        boost * EXACT));
                if (length >= 2) {
                    ways.add(constant(Query.of(q -> q.prefix(p -> p.field(field).value(term))), boost * PREFIX));
                }
                if (edits > 0 && !field.equals(TRANSCRIPT)) {
                    // every term within the typos, not the 50 most frequent: rewrite constant_score
                    ways.add(constant(Query.of(q -> q.fuzzy(f -> f.field(field).value(FieldValue.of(term))
                            .fuzziness(Integer.toString(edits)).prefixLength(1).transpositions(true)
                            .rewrite("constant_score"))), boost * FUZZY));
                }
            });
            words.add(Query.of(q -> q.disMax(d -> d.queries(ways).tieBreaker(TIE_BREAKER))));
        }
        return Query.of(q -> q.bool(b -> b.must(words)));
    }

    /** What the query matches: the text query (may be null), within what the reader may see and the filters. */
    static Query matching(LibraryQuery q, Query text) {
        BoolQuery.Builder query = new BoolQuery.Builder();
        boolean any = false;
        if (text != null) {
            query.must(text);
            any = true;
        }
        if (Boolean.TRUE.equals(q.owned())) {
            query.filter(term("owner", q.reader()));
            any = true;
        } else if (Boolean.FALSE.equals(q.owned())) {
            query.filter(term("readers", q.reader())).mustNot(term("owner", q.reader()));
            any = true;
        } else if (!q.everything()) {
            query.filter(Query.of(v -> v.bool(b -> b.should(term("owner", q.reader()), term("readers", q.reader()))
                    .minimumShouldMatch("1"))));
            any = true;
        }
        any |= filter(query, "mediaKind", q.mediaKind());
        any |= filter(query, KEYS + "artist", q.artist());
        any |= filter(query, KEYS + "album", q.album());
        any |= filter(query, KEYS + "genre", q.genre());
        any |= filter(query, KEYS + "labels", q.label());
        if (q.yearFrom() != null || q.yearTo() != null) {
            query.filter(Query.of(r -> r.range(y -> {
                y.field("year");
                if (q.yearFrom() != null) {
                    y.gte(JsonData.of(q.yearFrom()));
                }
                if (q.yearTo() != null) {
                    y.lte(JsonData.of(q.yearTo()));
                }
                return y;
            })));
            any = true;
        }
        if (q.minDuration() != null || q.maxDuration() != null) {
            query.filter(Query.of(r -> r.range(d -> {
                d.field("duration");
                if (q.minDuration() != null) {
                    d.gte(JsonData.of(q.minDuration()));
                }
                if (q.maxDuration() != null) {
                    d.lte(JsonData.of(q.maxDuration()));
                }
                return d;
            })));
            any = true;
        }
        return any ? Query.of(b -> b.bool(query.build())) : Query.of(m -> m.matchAll(a -> a));
    }

    /** The sort: the field (missing values last either way), then assetId. */
    static List<SortOptions> sort(LibrarySort sort) {
        SortOrder order = sort.descending() ? SortOrder.Desc : SortOrder.Asc;
        SortOptions first = switch (sort.by()) {
            case RELEVANCE -> SortOptions.of(s -> s.score(score -> score.order(SortOrder.Desc)));
            case CREATED, YEAR, DURATION -> field(sort.by().name().toLowerCase(Locale.ROOT), order);
            case TITLE, ARTIST, ALBUM, FILENAME -> field(KEYS + sort.by().name().toLowerCase(Locale.ROOT), order);
        };
        return List.of(first, field("id", SortOrder.Asc));
    }

    private static SortOptions field(String field, SortOrder order) {
        return SortOptions.of(s -> s.field(f -> f.field(field).order(order).missing(FieldValue.of("_last"))));
    }

    private static Query constant(Query query, float boost) {
        return Query.of(q -> q.constantScore(c -> c.filter(query).boost(boost)));
    }

    private static boolean filter(BoolQuery.Builder query, String field, String value) {
        if (value == null) {
            return false;
        }
        query.filter(term(field, field.equals("mediaKind") ? value : LibraryAnalyzer.key(value)));
        return true;
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    private static void text(ObjectNode out, String field, String value) {
        if (value != null && !value.isBlank()) {
            out.put(field, LibraryAnalyzer.composed(value));
        }
    }

    private static void key(ObjectNode out, String field, String value) {
        if (value != null && !value.isBlank()) {
            out.put(field, LibraryAnalyzer.key(value));
        }
    }
}
