package routes.library.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One item found by a library search: the doc without its transcript, its score when the search is by relevance
 * (null otherwise), and for a text search the fields the words matched in, each as HTML with the matches in
 * {@code <mark>} (the whole value, or for the transcript a short passage around the best match).
 */
public record LibraryHit(LibraryDoc doc, Float score, Map<String, String> highlights) {

    public LibraryHit {
        highlights = highlights == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(highlights));
    }
}
