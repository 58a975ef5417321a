package routes.library;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import routes.problems.Refusal;

/**
 * The tags a music library shows of an item: read from the file (ID3, Vorbis comments, MP4 atoms, as ffprobe names
 * them) and, where the owner edited them, their edits over those. A field that is null is unknown; an edited text
 * that is empty clears the file's value. Edits are never written into the original.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MusicTags(String title, String artist, String album, String albumArtist, Integer track, Integer disc,
        Integer year, String genre, String composer, String isrc) {

    public static final MusicTags NONE = new MusicTags(null, null, null, null, null, null, null, null, null, null);

    /** The longest text a tag holds; longer edits are refused, longer file values cut. */
    public static final int MAX_TEXT = 500;
    static final List<String> FIELDS = List.of("title", "artist", "album", "albumArtist", "track", "disc", "year",
            "genre", "composer", "isrc");
    private static final Pattern LEADING_NUMBER = Pattern.compile("\\s*(\\d{1,9})");
    private static final Pattern YEAR = Pattern.compile("(?<!\\d)(\\d{4})(?!\\d)");
    private static final Pattern ISRC = Pattern.compile("[A-Z]{2}[A-Z0-9]{3}\\d{7}");

    /** The tags of a file as ffprobe lists its container's (and first audio stream's) tags, any case. */
    public static MusicTags fromFile(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return NONE;
        }
        Map<String, String> lower = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            if (k != null && v != null && !v.isBlank()) {
                lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v.strip());
            }
        });
        return new MusicTags(
                text(lower, "title", "tit2", "©nam"),
                text(lower, "artist", "tpe1", "©art"),
                text(lower, "album", "talb", "©alb"),
                text(lower, "album_artist", "albumartist", "album artist", "tpe2", "aart"),
                number(text(lower, "track", "tracknumber", "trck", "trkn")),
                number(text(lower, "disc", "discnumber", "tpos", "disk")),
                year(text(lower, "date", "year", "tdrc", "tyer", "originaldate", "©day")),
                text(lower, "genre", "tcon", "©gen"),
                text(lower, "composer", "tcom", "©wrt"),
                isrc(text(lower, "isrc", "tsrc")));
    }

    /** These tags with {@code edits} over them: an edit's value where it has one, an empty text clearing. */
    public MusicTags with(MusicTags edits) {
        if (edits == null) {
            return this;
        }
        BiFunction<String, String, String> over = (mine, edit) -> edit == null ? mine : edit.isEmpty() ? null : edit;
        return new MusicTags(over.apply(title, edits.title), over.apply(artist, edits.artist),
                over.apply(album, edits.album), over.apply(albumArtist, edits.albumArtist),
                edits.track != null ? positive(edits.track) : track, edits.disc != null ? positive(edits.disc) : disc,
                edits.year != null ? positive(edits.year) : year, over.apply(genre, edits.genre),
                over.apply(composer, edits.composer), over.apply(isrc, edits.isrc));
    }

    /**
     * These edits with {@code patch} applied: each field the patch names is set to its value, or, when the value is
     * JSON null, no longer edited (the file's value shows again). An integer edit of 0 clears it.
     *
     * @throws Refusal for an unknown field, a value of the wrong type, a text longer than {@value #MAX_TEXT}, a
     *     number out of range or a malformed ISRC
     */
    public MusicTags patched(Map<String, Object> patch) {
        Map<String, Object> values = new LinkedHashMap<>(asMap());
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String field = e.getKey();
            Object value = e.getValue();
            if (!FIELDS.contains(field)) {
                throw Refusal.invalid("bad-tag", "unknown tag " + Refusal.quoted(field) + "; tags are " + FIELDS);
            }
            if (value == null) {
                values.remove(field);
            } else if (field.equals("track") || field.equals("disc") || field.equals("year")) {
                if (!(value instanceof Integer number) || number < 0 || number > (field.equals("year") ? 9999 : 999)) {
                    throw Refusal.invalid("bad-tag", field + " must be a whole number from 0 (clears it) to "
                            + (field.equals("year") ? 9999 : 999));
                }
                values.put(field, number);
            } else {
                if (!(value instanceof String text)) {
                    throw Refusal.invalid("bad-tag", field + " must be a text");
                }
                String stripped = text.strip();
                if (stripped.length() > MAX_TEXT) {
                    throw Refusal.invalid("bad-tag", field + " has " + stripped.length() + " characters, more than "
                            + MAX_TEXT);
                }
                if (stripped.codePoints().anyMatch(c -> Character.isISOControl(c))) {
                    throw Refusal.invalid("bad-tag", field + " holds control characters");
                }
                if (field.equals("isrc") && !stripped.isEmpty()) {
                    stripped = stripped.replace("-", "").toUpperCase(Locale.ROOT);
                    if (!ISRC.matcher(stripped).matches()) {
                        throw Refusal.invalid("bad-tag", "isrc must be an ISRC (CC-XXX-YY-NNNNN), e.g. GBAYE0601498");
                    }
                }
                values.put(field, stripped);
            }
        }
        return new MusicTags((String) values.get("title"), (String) values.get("artist"), (String) values.get("album"),
                (String) values.get("albumArtist"), (Integer) values.get("track"), (Integer) values.get("disc"),
                (Integer) values.get("year"), (String) values.get("genre"), (String) values.get("composer"),
                (String) values.get("isrc"));
    }

    @JsonIgnore
    public boolean isEmpty() {
        return equals(NONE);
    }

    private Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        Object[] all = {title, artist, album, albumArtist, track, disc, year, genre, composer, isrc};
        for (int i = 0; i < all.length; i++) {
            if (all[i] != null) {
                map.put(FIELDS.get(i), all[i]);
            }
        }
        return map;
    }

    private static String text(Map<String, String> tags, String... names) {
        for (String name : names) {
            String value = tags.get(name);
            if (value != null) {
                String printable = value.codePoints().filter(c -> !Character.isISOControl(c))
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                        .strip();
                if (!printable.isEmpty()) {
                    return printable.length() > MAX_TEXT ? printable.substring(0, MAX_TEXT) : printable;
                }
            }
        }
        return null;
    }

    /** "3", "03", "3/12" -> 3. */
    private static Integer number(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = LEADING_NUMBER.matcher(value);
        if (!m.lookingAt()) {
            return null;
        }
        int n = Integer.parseInt(m.group(1));
        return n > 0 && n < 10_000 ? n : null;
    }

    /** "2019", "2019-05-01", "2019-05-01T00:00:00Z" -> 2019. */
    private static Integer year(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = YEAR.matcher(value);
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    private static String isrc(String value) {
        if (value == null) {
            return null;
        }
        String compact = value.replace("-", "").strip().toUpperCase(Locale.ROOT);
        return ISRC.matcher(compact).matches() ? compact : null;
    }

    private static Integer positive(int value) {
        return value > 0 ? value : null;
    }
}
