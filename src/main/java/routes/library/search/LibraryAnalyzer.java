package routes.library.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * How the library's text is cut into terms, the same for every text field and for the search box: words are runs of
 * letters and digits (so {@code Radiohead_-_Creep.mp3} is radiohead, creep, mp3), lower-cased and folded to ASCII
 * ({@code Beyoncé} is beyonce). Text is composed (NFC) first, so a file name spelled with combining accents, as
 * macOS writes them, folds like any other.
 */
final class LibraryAnalyzer extends Analyzer {

    static final LibraryAnalyzer INSTANCE = new LibraryAnalyzer();

    /** The longest keyword (filter, facet or sort value) kept; longer ones are cut. */
    private static final int KEY_CHARS = 256;

    private LibraryAnalyzer() {
    }

    @Override
    protected TokenStreamComponents createComponents(String field) {
        Tokenizer words = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
        return new TokenStreamComponents(words, new ASCIIFoldingFilter(new LowerCaseFilter(words)));
    }

    @Override
    protected TokenStream normalize(String field, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
    }

    /** The terms of a text, in order. */
    static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = INSTANCE.tokenStream("", composed(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    /** The text in composed form (NFC). */
    static String composed(String text) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    /** What a keyword is matched, grouped and sorted by: composed, trimmed, lower-cased, cut to 256 chars. */
    static String key(String value) {
        return cut(composed(value).strip().toLowerCase(Locale.ROOT));
    }

    /** The value cut to 256 chars, not inside a surrogate pair. */
    static String cut(String value) {
        if (value.length() <= KEY_CHARS) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(KEY_CHARS - 1)) ? KEY_CHARS - 1 : KEY_CHARS;
        return value.substring(0, end);
    }
}
