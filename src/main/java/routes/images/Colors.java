package routes.images;

import java.awt.Color;
import java.util.Locale;
import java.util.Map;

/** Fill colours as options give them: hex ({@code fff}, {@code ffffff}, {@code ffffff80}, optional {@code #}) or a few names. */
final class Colors {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("white", "ffffff"), Map.entry("black", "000000"), Map.entry("red", "ff0000"),
            Map.entry("green", "008000"), Map.entry("lime", "00ff00"), Map.entry("blue", "0000ff"),
            Map.entry("yellow", "ffff00"), Map.entry("gray", "808080"), Map.entry("grey", "808080"),
            Map.entry("silver", "c0c0c0"), Map.entry("transparent", "00000000"));

    private Colors() {
    }

    /** The colour as lower-case {@code rrggbb}, or {@code rrggbbaa} when not opaque; null when not a colour. */
    static String normalize(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (NAMES.containsKey(v)) {
            return NAMES.get(v);
        }
        if (v.startsWith("#")) {
            v = v.substring(1);
        }
        if (!v.matches("[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8}")) {
            return null;
        }
        if (v.length() == 3) {
            v = "" + v.charAt(0) + v.charAt(0) + v.charAt(1) + v.charAt(1) + v.charAt(2) + v.charAt(2);
        }
        if (v.length() == 8 && v.endsWith("ff")) {
            v = v.substring(0, 6);
        }
        return v;
    }

    /** The colour of a normalized value. */
    static Color parse(String normalized) {
        int r = Integer.parseInt(normalized.substring(0, 2), 16);
        int g = Integer.parseInt(normalized.substring(2, 4), 16);
        int b = Integer.parseInt(normalized.substring(4, 6), 16);
        int a = normalized.length() == 8 ? Integer.parseInt(normalized.substring(6, 8), 16) : 255;
        return new Color(r, g, b, a);
    }
}
