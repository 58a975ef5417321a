package routes.images;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Caravan's own resize grammar, one path segment of comma-separated {@code key:value} pairs (imgproxy-like), e.g.
 * {@code w:320,h:200,fit:fill,g:north,f:png,q:75,gray:1,blur:2,rot:90,up:0}. Order does not matter; a key may be
 * given once. An empty segment or {@code -} is the source re-encoded.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><th>key (aliases)</th><th>value</th></tr>
 *   <tr><td>{@code w} ({@code width}), {@code h} ({@code height})</td><td>pixels; 0 or absent follows the aspect ratio</td></tr>
 *   <tr><td>{@code fit}</td><td>{@code fit} (default), {@code fill}, {@code scale} - see {@link Fit}</td></tr>
 *   <tr><td>{@code g} ({@code gravity})</td><td>{@code ce no so ea we noea nowe soea sowe sm} or full names like {@code north_east}</td></tr>
 *   <tr><td>{@code f} ({@code format})</td><td>{@code jpeg}/{@code jpg}, {@code png}, {@code gif}, {@code bmp}, {@code webp} and
 *       {@code tiff} when a writer is installed</td></tr>
 *   <tr><td>{@code q} ({@code quality})</td><td>1..100</td></tr>
 *   <tr><td>{@code up} ({@code upscale}), {@code gray} ({@code grayscale}), {@code trim}, {@code strip}</td><td>{@code 1}/{@code 0}/{@code true}/{@code false}</td></tr>
 *   <tr><td>{@code blur}</td><td>Gaussian sigma, 0..100, up to three decimals</td></tr>
 *   <tr><td>{@code rot} ({@code rotate})</td><td>0, 90, 180, 270 clockwise</td></tr>
 *   <tr><td>{@code bg} ({@code fill})</td><td>colour: {@code fff}, {@code ffcc00}, {@code ffcc0080}, or a name</td></tr>
 *   <tr><td>{@code flip}</td><td>{@code h}, {@code v} or {@code hv}</td></tr>
 *   <tr><td>{@code crop}</td><td>{@code left:top:right:bottom} in upright source pixels; a side may be empty (the edge)</td></tr>
 *   <tr><td>{@code preset} ({@code pr})</td><td>a name from {@link ImagePresets}; the other keys override it</td></tr>
 * </table>
 * Unknown keys and bad values are a 400 {@code bad-options} naming the key; sizes beyond the output limits a 400
 * {@code output-too-large}.
 */
public final class ImageOptionsParser {

    /** Longest options segment accepted. */
    public static final int MAX_LENGTH = 1024;

    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        alias("w", "width");
        alias("h", "height");
        alias("fit", "rt", "resize");
        alias("g", "gravity");
        alias("f", "format", "ext");
        alias("q", "quality");
        alias("up", "upscale", "enlarge");
        alias("gray", "grayscale", "greyscale");
        alias("blur", "bl");
        alias("rot", "rotate");
        alias("bg", "fill", "background");
        alias("flip");
        alias("strip", "strip_exif");
        alias("trim", "t");
        alias("crop", "c");
        alias("preset", "pr");
    }

    private static void alias(String key, String... aliases) {
        KEYS.put(key, key);
        for (String alias : aliases) {
            KEYS.put(alias, key);
        }
    }

    private final ImageLimits limits;
    private final ImagePresets presets;

    public ImageOptionsParser(ImageLimits limits, ImagePresets presets) {
        this.limits = limits;
        this.presets = presets;
    }

    /** Default limits, no presets. */
    public ImageOptionsParser() {
        this(ImageLimits.defaults(), ImagePresets.empty());
    }

    public ResizeSpec parse(String options) {
        if (options == null || options.isEmpty() || options.equals("-")) {
            return ResizeSpec.ORIGINAL;
        }
        if (options.length() > MAX_LENGTH) {
            throw ImageProblem.badOptions("The options are longer than " + MAX_LENGTH + " characters.");
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (String item : options.split(",", -1)) {
            int colon = item.indexOf(':');
            if (item.isEmpty() || colon <= 0) {
                throw ImageProblem.badOptions("'" + printable(item) + "' is not key:value.");
            }
            String name = item.substring(0, colon).toLowerCase(Locale.ROOT);
            String key = KEYS.get(name);
            if (key == null) {
                throw ImageProblem.badOptions(printable(name) + ": unknown option.");
            }
            if (given.putIfAbsent(key, item.substring(colon + 1)) != null) {
                throw ImageProblem.badOptions(key + ": given more than once.");
            }
        }
        ResizeSpec.Builder spec = ResizeSpec.builder();
        String preset = given.remove("preset");
        if (preset != null) {
            spec = presets.get(preset)
                    .orElseThrow(() -> ImageProblem.badOptions("preset: no preset named '" + printable(preset) + "'."))
                    .toBuilder();
        }
        for (Map.Entry<String, String> option : given.entrySet()) {
            apply(spec, option.getKey(), option.getValue());
        }
        return spec.build().checkOutput(limits);
    }

    private static void apply(ResizeSpec.Builder spec, String key, String value) {
        switch (key) {
            case "w" -> spec.width(size(key, value));
            case "h" -> spec.height(size(key, value));
            case "fit" -> spec.fit(known(key, value, Fit.byOption(value.toLowerCase(Locale.ROOT))));
            case "g" -> spec.gravity(known(key, value, Gravity.byOption(value.toLowerCase(Locale.ROOT))));
            case "f" -> spec.format(writableFormat(key, value));
            case "q" -> spec.quality(ranged(key, value, 1, 100));
            case "up" -> spec.upscale(bool(key, value));
            case "gray" -> spec.grayscale(bool(key, value));
            case "blur" -> spec.blur(sigma(key, value));
            case "rot" -> spec.rotate(rotation(key, value));
            case "bg" -> spec.fill(colour(key, value));
            case "flip" -> flip(spec, value);
            case "strip" -> spec.stripExif(bool(key, value));
            case "trim" -> spec.trim(bool(key, value));
            case "crop" -> spec.crop(crop(value));
            default -> throw new IllegalStateException(key);
        }
    }

    static Integer size(String key, String value) {
        if (!value.matches("\\d{1,9}")) {
            throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not a size in pixels.");
        }
        return Integer.valueOf(value);
    }

    private static int ranged(String key, String value, int min, int max) {
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
            throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not a whole number from " + min
                    + " to " + max + ".");
        }
        return Integer.parseInt(value);
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true", "t", "yes" -> true;
            case "0", "false", "f", "no" -> false;
            default -> throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not 1 or 0.");
        };
    }

    static double sigma(String key, String value) {
        if (!value.matches("\\d{1,3}(\\.\\d{1,3})?") || Double.parseDouble(value) > ResizeSpec.MAX_BLUR) {
            throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not a blur sigma from 0 to "
                    + (int) ResizeSpec.MAX_BLUR + ".");
        }
        return Double.parseDouble(value);
    }

    private static int rotation(String key, String value) {
        if (!value.matches("-?\\d{1,4}") || Integer.parseInt(value) % 90 != 0) {
            throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not 0, 90, 180 or 270.");
        }
        return Integer.parseInt(value);
    }

    private static String colour(String key, String value) {
        if (Colors.normalize(value) == null) {
            throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not a colour (hex rgb, rrggbb, "
                    + "rrggbbaa or a name).");
        }
        return value;
    }

    private static void flip(ResizeSpec.Builder spec, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "h" -> spec.flipH(true).flipV(false);
            case "v" -> spec.flipH(false).flipV(true);
            case "hv", "vh", "both" -> spec.flipH(true).flipV(true);
            case "0", "none" -> spec.flipH(false).flipV(false);
            default -> throw ImageProblem.badOptions("flip: '" + printable(value) + "' is not h, v or hv.");
        }
    }

    private static ResizeSpec.Crop crop(String value) {
        String[] sides = value.split(":", -1);
        if (sides.length != 4) {
            throw ImageProblem.badOptions("crop: '" + printable(value) + "' is not left:top:right:bottom.");
        }
        Integer[] numbers = new Integer[4];
        for (int i = 0; i < 4; i++) {
            numbers[i] = sides[i].isEmpty() ? null : size("crop", sides[i]);
        }
        return new ResizeSpec.Crop(numbers[0], numbers[1], numbers[2], numbers[3]);
    }

    static ImageFormat writableFormat(String key, String value) {
        ImageFormat format = ImageFormat.byName(value);
        if (format == null) {
            throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not an image format.");
        }
        if (!format.canWrite()) {
            throw ImageProblem.badOptions(key + ": " + format.id() + " cannot be written by this server.");
        }
        return format;
    }

    private static <T> T known(String key, String value, T parsed) {
        if (parsed == null) {
            throw ImageProblem.badOptions(key + ": '" + printable(value) + "' is not a known value.");
        }
        return parsed;
    }

    /** The value as it may be quoted back in a message: at most 64 characters, no control characters. */
    static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        return out.toString();
    }
}
