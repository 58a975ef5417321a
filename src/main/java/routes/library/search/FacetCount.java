package routes.library.search;

/** How many of the items a search matched have this value (of an artist, album, genre or mediaKind). */
public record FacetCount(String value, long count) {
}
