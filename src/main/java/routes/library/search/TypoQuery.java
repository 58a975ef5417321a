package routes.library.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

/**
 * The terms of one field within a few typos of a word (insertions, deletions, substitutions, swaps of neighbours;
 * the first letter as typed), matched with a constant score. Unlike Lucene's FuzzyQuery, which builds its
 * Levenshtein automaton again for every segment, field and highlighted document, the automaton is built once per
 * word ({@link #automaton}) and shared by the queries of every field.
 */
final class TypoQuery extends MultiTermQuery {

    private final String word;
    private final int edits;
    private final CompiledAutomaton automaton;

    /** The query of {@code field} with the {@link #automaton} of the word and edits. */
    TypoQuery(String field, String word, int edits, CompiledAutomaton automaton) {
        super(field, CONSTANT_SCORE_BLENDED_REWRITE);
        this.word = word;
        this.edits = edits;
        this.automaton = automaton;
    }

    /** The automaton of the terms within {@code edits} typos of the word, its first code point kept. */
    static CompiledAutomaton automaton(String word, int edits) {
        int[] codePoints = word.codePoints().toArray();
        int[] rest = Arrays.copyOfRange(codePoints, 1, codePoints.length);
        LevenshteinAutomata typos = new LevenshteinAutomata(rest, Character.MAX_CODE_POINT, true);
        return new CompiledAutomaton(typos.toAutomaton(edits, new String(codePoints, 0, 1)), true, false);
    }

    @Override
    protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
        return automaton.getTermsEnum(terms);
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) {
            automaton.visit(visitor, this, field);
        }
    }

    @Override
    public String toString(String defaultField) {
        return (field.equals(defaultField) ? "" : field + ":") + word + "~" + edits;
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && word.equals(((TypoQuery) other).word) && edits == ((TypoQuery) other).edits;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), word, edits);
    }
}
