package routes.library.search;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import routes.problems.Refusal;

/**
 * One search of the library, as {@code reader} sees it: the items they own and those shared with them (all items
 * when {@code everything}, for an admin), narrowed by the words of {@code text} (each must match) and by filters,
 * in the {@code sort} order, {@code limit} at a time from {@code cursor} (the {@link LibraryPage#nextCursor()} of
 * the page before), with facet counts when {@code facets}. Filters compare without case; years and durations
 * (seconds) are inclusive ranges; {@code owned} null is own and shared, true own only, false shared only.
 * Malformed queries are refused as {@code bad-query}, cursors that are malformed or belong to another query as
 * {@code bad-cursor}.
 */
public record LibraryQuery(String reader, boolean everything, String text, String mediaKind, String artist,
        String album, String genre, String label, Integer yearFrom, Integer yearTo, Double minDuration,
        Double maxDuration, Boolean owned, LibrarySort sort, int limit, String cursor, boolean facets) {

    public static final int MAX_TEXT_CHARS = 200;
    public static final int MAX_TERMS = 16;
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public LibraryQuery {
        reader = blankToNull(reader);
        if (reader == null && (!everything || owned != null)) {
            throw Refusal.invalid("bad-query", "a search needs the reader it is for");
        }
        text = blankToNull(text);
        if (text != null) {
            if (text.length() > MAX_TEXT_CHARS) {
                throw Refusal.invalid("bad-query", "text is at most " + MAX_TEXT_CHARS + " characters");
            }
            int terms = LibraryAnalyzer.terms(text).size();
            if (terms == 0) {
                throw Refusal.invalid("bad-query", "text " + Refusal.quoted(text) + " has no letters or digits");
            }
            if (terms > MAX_TERMS) {
                throw Refusal.invalid("bad-query", "text is at most " + MAX_TERMS + " words, not " + terms);
            }
        }
        mediaKind = blankToNull(mediaKind);
        if (mediaKind != null) {
            mediaKind = mediaKind.toLowerCase(Locale.ROOT);
            if (!LibraryDoc.MEDIA_KINDS.contains(mediaKind)) {
                throw Refusal.invalid("bad-query", "mediaKind is audio, video or image, not "
                        + Refusal.quoted(mediaKind));
            }
        }
        artist = blankToNull(artist);
        album = blankToNull(album);
        genre = blankToNull(genre);
        label = blankToNull(label);
        if (yearFrom != null && yearTo != null && yearFrom > yearTo) {
            throw Refusal.invalid("bad-query", "yearFrom " + yearFrom + " is after yearTo " + yearTo);
        }
        for (Double seconds : new Double[] {minDuration, maxDuration}) {
            if (seconds != null && !(seconds >= 0 && seconds < Double.POSITIVE_INFINITY)) {
                throw Refusal.invalid("bad-query", "durations are seconds, 0 or more, not " + seconds);
            }
        }
        if (minDuration != null && maxDuration != null && minDuration > maxDuration) {
            throw Refusal.invalid("bad-query", "minDuration " + minDuration + " is above maxDuration " + maxDuration);
        }
        if (sort == null) {
            sort = text == null ? LibrarySort.NEWEST : LibrarySort.RELEVANCE;
        } else if (sort.by() == LibrarySort.By.RELEVANCE && text == null) {
            throw Refusal.invalid("bad-query", "sort relevance needs text to search for");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Refusal.invalid("bad-query", "limit is 1 to " + MAX_LIMIT + ", not " + limit);
        }
        cursor = blankToNull(cursor);
    }

    /** A query for {@code reader} (null for an admin's search of everything), to narrow with filters. */
    public static Builder builder(String reader) {
        return new Builder(reader);
    }

    /** The words of {@code text} as the index has them; empty without text. */
    public List<String> terms() {
        return text == null ? List.of() : LibraryAnalyzer.terms(text);
    }

    /** A digest of what the query matches and its order (not its limit, cursor or facets), to tie cursors to it. */
    long fingerprint() {
        String canonical = Arrays.asList(reader, everything, text, mediaKind, artist, album, genre, label, yearFrom,
                yearTo, minDuration, maxDuration, owned, sort).toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Builds a {@link LibraryQuery}; {@link #build()} refuses what is malformed, the cursor included. */
    public static final class Builder {
        private final String reader;
        private boolean everything;
        private String text;
        private String mediaKind;
        private String artist;
        private String album;
        private String genre;
        private String label;
        private Integer yearFrom;
        private Integer yearTo;
        private Double minDuration;
        private Double maxDuration;
        private Boolean owned;
        private LibrarySort sort;
        private int limit = DEFAULT_LIMIT;
        private String cursor;
        private boolean facets;

        private Builder(String reader) {
            this.reader = reader;
        }

        public Builder everything(boolean everything) {
            this.everything = everything;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder mediaKind(String mediaKind) {
            this.mediaKind = mediaKind;
            return this;
        }

        public Builder artist(String artist) {
            this.artist = artist;
            return this;
        }

        public Builder album(String album) {
            this.album = album;
            return this;
        }

        public Builder genre(String genre) {
            this.genre = genre;
            return this;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder years(Integer from, Integer to) {
            this.yearFrom = from;
            this.yearTo = to;
            return this;
        }

        public Builder duration(Double min, Double max) {
            this.minDuration = min;
            this.maxDuration = max;
            return this;
        }

        public Builder owned(Boolean owned) {
            this.owned = owned;
            return this;
        }

        /** As {@link LibrarySort#parse(String)}; null for the default. */
        public Builder sort(String sort) {
            this.sort = sort == null || sort.isBlank() ? null : LibrarySort.parse(sort.strip());
            return this;
        }

        /** Null for the default, 20. */
        public Builder limit(Integer limit) {
            this.limit = limit == null ? DEFAULT_LIMIT : limit;
            return this;
        }

        public Builder cursor(String cursor) {
            this.cursor = cursor;
            return this;
        }

        public Builder facets(boolean facets) {
            this.facets = facets;
            return this;
        }

        public LibraryQuery build() {
            LibraryQuery query = new LibraryQuery(reader, everything, text, mediaKind, artist, album, genre, label,
                    yearFrom, yearTo, minDuration, maxDuration, owned, sort, limit, cursor, facets);
            LibraryCursor.after(query);
            return query;
        }
    }
}
