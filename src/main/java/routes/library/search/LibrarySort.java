package routes.library.search;

import java.util.Locale;
import routes.problems.Refusal;

/**
 * The order of a library search: by relevance (best first), or by one field ascending ({@code title}) or descending
 * ({@code -title}). Items without the field come last either way; items that tie are in assetId order.
 */
public record LibrarySort(By by, boolean descending) {

    /** What a search can be ordered by. */
    public enum By {
        RELEVANCE, CREATED, TITLE, ARTIST, ALBUM, YEAR, DURATION, FILENAME
    }

    public static final LibrarySort RELEVANCE = new LibrarySort(By.RELEVANCE, true);
    public static final LibrarySort NEWEST = new LibrarySort(By.CREATED, true);

    /** {@code relevance}, or a field name with a leading {@code -} for descending, e.g. {@code -created}. */
    public static LibrarySort parse(String text) {
        boolean descending = text.startsWith("-");
        String name = descending ? text.substring(1) : text;
        for (By by : By.values()) {
            if (by.name().toLowerCase(Locale.ROOT).equals(name) && !(by == By.RELEVANCE && descending)) {
                return by == By.RELEVANCE ? RELEVANCE : new LibrarySort(by, descending);
            }
        }
        throw Refusal.invalid("bad-query", "sort " + Refusal.quoted(text) + " is not one of relevance, created, "
                + "title, artist, album, year, duration, filename (with a leading - for descending)");
    }

    @Override
    public String toString() {
        String name = by.name().toLowerCase(Locale.ROOT);
        return descending && by != By.RELEVANCE ? "-" + name : name;
    }
}
