package routes.library.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of a library search: its hits, the cursor of the next page (null on the last), how many items the
 * search matched in all, and, when asked, the facet counts over all of them by dimension ({@code artist},
 * {@code album}, {@code genre}, {@code mediaKind}), top 20 each, most frequent first (null when not asked).
 */
public record LibraryPage(List<LibraryHit> items, String nextCursor, long total,
        Map<String, List<FacetCount>> facets) {

    public LibraryPage {
        items = List.copyOf(items);
        facets = facets == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(facets));
    }
}
