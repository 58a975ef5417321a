package routes.library.search;

import static routes.library.search.LibraryDocuments.CREATED;
import static routes.library.search.LibraryDocuments.DURATION;
import static routes.library.search.LibraryDocuments.ID;
import static routes.library.search.LibraryDocuments.KIND;
import static routes.library.search.LibraryDocuments.OWNER;
import static routes.library.search.LibraryDocuments.READER;
import static routes.library.search.LibraryDocuments.TEXT_BOOSTS;
import static routes.library.search.LibraryDocuments.TRANSCRIPT;
import static routes.library.search.LibraryDocuments.YEAR;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.automaton.CompiledAutomaton;

/**
 * A {@link LibraryQuery} as Lucene queries and sorts.
 *
 * <p>Each word of the text must match in one of the text fields, exactly, by prefix (words of 2 characters or
 * more) or within a few typos (none up to 2 characters, 1 up to 5, then 2; the first letter as typed), as
 * Elasticsearch's AUTO fuzziness does. Typos are not looked for in transcripts: their vocabulary is large and
 * matching typos there costs the most and finds the least. A word scores the best of its matches, a field's
 * weight ({@link LibraryDocuments#TEXT_BOOSTS}) times 4 exact, 2 by prefix, 1 with typos; the words' scores add
 * up. So a title match ranks above a transcript match, and an exact match above a near one.
 */
final class LibraryQueries {

    /** How much an exact match of a word weighs, times its field's boost. */
    static final float EXACT = 4;
    /** How much a match by prefix weighs, times its field's boost. */
    static final float PREFIX = 2;
    /** How much a match with typos weighs, times its field's boost. */
    static final float FUZZY = 1;
    /** How much a word's other matching fields add to its best one. */
    static final float TIE_BREAKER = 0.1f;

    private LibraryQueries() {
    }

    /** The query of the text's terms (each must match), or null without text. */
    static Query text(List<String> terms) {
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (String term : terms) {
            int length = term.codePointCount(0, term.length());
            int edits = typos(term);
            CompiledAutomaton typos = edits > 0 ? TypoQuery.automaton(term, edits) : null;
            List<Query> ways = new ArrayList<>();
            for (Map.Entry<String, Float> field : TEXT_BOOSTS.entrySet()) {
                Term t = new Term(field.getKey(), term);
                float boost = field.getValue();
                ways.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(t)), boost * EXACT));
                if (length >= 2) {
                    ways.add(new BoostQuery(new ConstantScoreQuery(new PrefixQuery(t)), boost * PREFIX));
                }
                if (edits > 0 && !field.getKey().equals(TRANSCRIPT)) {
                    ways.add(new BoostQuery(new ConstantScoreQuery(new TypoQuery(field.getKey(), term, edits, typos)),
                            boost * FUZZY));
                }
            }
            all.add(new DisjunctionMaxQuery(ways, TIE_BREAKER), Occur.MUST);
        }
        return all.build();
    }

    /** How many typos a word may have: none up to 2 characters (code points), 1 up to 5, then 2. */
    static int typos(String term) {
        int length = term.codePointCount(0, term.length());
        return length <= 2 ? 0 : length <= 5 ? 1 : 2;
    }

    /** What the query matches: the text query (may be null), within what the reader may see and the filters. */
    static Query matching(LibraryQuery q, Query text) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        if (text != null) {
            query.add(text, Occur.MUST);
        }
        if (Boolean.TRUE.equals(q.owned())) {
            query.add(term(OWNER, q.reader()), Occur.FILTER);
        } else if (Boolean.FALSE.equals(q.owned())) {
            query.add(term(READER, q.reader()), Occur.FILTER);
            query.add(term(OWNER, q.reader()), Occur.MUST_NOT);
        } else if (!q.everything()) {
            query.add(new BooleanQuery.Builder().add(term(OWNER, q.reader()), Occur.SHOULD)
                    .add(term(READER, q.reader()), Occur.SHOULD).build(), Occur.FILTER);
        }
        filter(query, KIND, q.mediaKind());
        filter(query, "artist.key", q.artist());
        filter(query, "album.key", q.album());
        filter(query, "genre.key", q.genre());
        filter(query, "label.key", q.label());
        if (q.yearFrom() != null || q.yearTo() != null) {
            query.add(IntField.newRangeQuery(YEAR, q.yearFrom() == null ? Integer.MIN_VALUE : q.yearFrom(),
                    q.yearTo() == null ? Integer.MAX_VALUE : q.yearTo()), Occur.FILTER);
        }
        if (q.minDuration() != null || q.maxDuration() != null) {
            query.add(DoubleField.newRangeQuery(DURATION, q.minDuration() == null ? 0 : q.minDuration(),
                    q.maxDuration() == null ? Double.POSITIVE_INFINITY : q.maxDuration()), Occur.FILTER);
        }
        BooleanQuery built = query.build();
        return built.clauses().isEmpty() ? new MatchAllDocsQuery() : built;
    }

    /** The sort: the field (missing values last either way), then assetId. */
    static Sort sort(LibrarySort sort) {
        boolean reverse = sort.descending();
        SortField first = switch (sort.by()) {
            case RELEVANCE -> SortField.FIELD_SCORE;
            case CREATED -> numeric(LongField.newSortField(CREATED, reverse, SortedNumericSelector.Type.MIN),
                    reverse ? Long.MIN_VALUE : Long.MAX_VALUE);
            case YEAR -> numeric(IntField.newSortField(YEAR, reverse, SortedNumericSelector.Type.MIN),
                    reverse ? Integer.MIN_VALUE : Integer.MAX_VALUE);
            case DURATION -> numeric(DoubleField.newSortField(DURATION, reverse, SortedNumericSelector.Type.MIN),
                    reverse ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            case TITLE, ARTIST, ALBUM, FILENAME -> {
                SortField byKey = new SortField(sort.by().name().toLowerCase(java.util.Locale.ROOT) + ".key",
                        SortField.Type.STRING, reverse);
                byKey.setMissingValue(reverse ? SortField.STRING_FIRST : SortField.STRING_LAST);
                yield byKey;
            }
        };
        return new Sort(first, new SortField(ID, SortField.Type.STRING));
    }

    private static SortField numeric(SortField field, Object missing) {
        field.setMissingValue(missing);
        return field;
    }

    private static void filter(BooleanQuery.Builder query, String field, String value) {
        if (value != null) {
            query.add(term(field, field.equals(KIND) ? value : LibraryAnalyzer.key(value)), Occur.FILTER);
        }
    }

    private static Query term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }
}
