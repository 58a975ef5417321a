package routes.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Thumbor-style image URL:
 * <pre>/{unsafe|SIGNATURE}/[trim/][AxB:CxD/][fit-in/][-]Wx[-]H/[halign/][valign/][smart/][filters:f(a):g()/]KEY</pre>
 * Every part but the signature and the key is optional, and they come in this order. {@link #signedPath} is
 * everything after the signature segment, exactly what Thumbor signs (and what {@link UrlSigner} checks).
 *
 * <p>Mapping onto {@link ResizeSpec}: {@code fit-in} is {@link Fit#FIT_IN}, never enlarging (unless
 * {@code filters:upscale()}), {@code adaptive-fit-in} {@link Fit#ADAPTIVE}, {@code full-fit-in} {@link Fit#FULL} (which
 * may enlarge), {@code adaptive-full-fit-in} {@link Fit#ADAPTIVE_FULL}, as Thumbor's transformer sizes them;
 * otherwise a width and a height give {@link Fit#FILL}, cropped at the
 * alignment ({@code left|center|right}, {@code top|middle|bottom}; {@code smart} is {@link Gravity#SMART}). A
 * negative width or height flips; 0 or none follows the aspect ratio. {@code trim} (or {@code trim:top-left})
 * trims; {@code AxB:CxD} is the manual crop (left x top : right x bottom, {@code 0x0:0x0} = none). As in Thumbor,
 * cropped images are upscaled unless {@code no_upscale()} is given.
 *
 * <p>Filters: {@code quality(n)}, {@code format(jpeg|png|webp|gif)},
 * {@code grayscale()}, {@code blur(radius[,sigma])} (sigma defaults to the radius, capped at
 * {@value ResizeSpec#MAX_BLUR}), {@code rotate(deg)} (counter-clockwise like Thumbor's PIL engine, multiples of 90
 * only; applied before the resize, so the requested size is the output's), {@code fill(colour)},
 * {@code no_upscale()}, {@code upscale()}, {@code strip_exif()}. Anything else, {@code orig} sizes, {@code debug/}
 * are a 400 {@code bad-options}. {@code meta/} first asks for the rendition's description instead of its pixels.
 *
 * @param signature  the first segment: the URL-safe base64 HMAC, or {@code unsafe}
 * @param signedPath everything after the signature segment and its slash, as received (still percent-encoded)
 * @param spec       the rendition asked for
 * @param key        the source key: the rest of the path, percent-decoded
 * @param meta       whether {@code meta/} asked for the description (Thumbor's metadata endpoint)
 */
public record ThumborUrl(String signature, String signedPath, ResizeSpec spec, String key, boolean meta) {

    public ThumborUrl(String signature, String signedPath, ResizeSpec spec, String key) {
        this(signature, signedPath, spec, key, false);
    }

    public static final String UNSAFE = "unsafe";

    private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_=-]{28,}");
    private static final Pattern CROP = Pattern.compile("(\\d{1,9})x(\\d{1,9}):(\\d{1,9})x(\\d{1,9})");
    private static final Pattern FIT_IN = Pattern.compile("(adaptive-)?(full-)?fit-in");
    private static final Pattern SIZE = Pattern.compile("(-)?(\\d{1,9}|orig)?x(-)?(\\d{1,9}|orig)?");
    private static final Pattern FILTER = Pattern.compile("([a-z_]+)\\(([^()]*)\\)");

    /** Whether the URL is unsigned. */
    public boolean isUnsafe() {
        return UNSAFE.equals(signature);
    }

    /** {@link #parse(String, ImageLimits)} with the default limits. */
    public static ThumborUrl parse(String path) {
        return parse(path, ImageLimits.defaults());
    }

    /**
     * The parts of {@code path}: the raw request path (percent-encoding intact, query string removed), with or
     * without its leading slash, e.g. {@code /unsafe/fit-in/300x200/filters:quality(80)/photos/cat.jpg}.
     */
    public static ThumborUrl parse(String path, ImageLimits limits) {
        if (path == null) {
            throw ImageProblem.badOptions("The URL has no path.");
        }
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw ImageProblem.badOptions("The URL must be /{signature or unsafe}/.../{key}.");
        }
        String signature = rest.substring(0, slash);
        if (!UNSAFE.equals(signature) && !SIGNATURE.matcher(signature).matches()) {
            throw ImageProblem.badOptions("The first path segment must be a signature or 'unsafe'.");
        }
        String signedPath = rest.substring(slash + 1);
        Cursor cursor = new Cursor(signedPath);
        ResizeSpec.Builder spec = ResizeSpec.builder().upscale(true);

        String segment = cursor.peek();
        boolean meta = "meta".equals(segment);
        if (meta) {
            segment = cursor.next();
        }
        if ("debug".equals(segment)) {
            throw ImageProblem.badOptions(segment + ": not supported.");
        }
        if (segment != null && (segment.equals("trim") || segment.startsWith("trim:"))) {
            if (!segment.equals("trim") && !segment.equals("trim:top-left")) {
                throw ImageProblem.badOptions("trim: only 'trim' and 'trim:top-left' are supported.");
            }
            spec.trim(true);
            segment = cursor.next();
        }
        Matcher m;
        if (segment != null && (m = CROP.matcher(segment)).matches()) {
            spec.crop(new ResizeSpec.Crop(num(m.group(1)), num(m.group(2)), nonZero(m.group(3)), nonZero(m.group(4))));
            segment = cursor.next();
        }
        Fit fit = Fit.FILL;
        if (segment != null && (m = FIT_IN.matcher(segment)).matches()) {
            boolean adaptive = m.group(1) != null;
            boolean full = m.group(2) != null;
            fit = full ? (adaptive ? Fit.ADAPTIVE_FULL : Fit.FULL) : (adaptive ? Fit.ADAPTIVE : Fit.FIT_IN);
            // as in Thumbor, fit-in never enlarges (unless filters:upscale()); full-fit-in covers the box, and may
            spec.upscale(full);
            segment = cursor.next();
        }
        Integer width = null;
        Integer height = null;
        if (segment != null && (m = SIZE.matcher(segment)).matches()) {
            if ("orig".equals(m.group(2)) || "orig".equals(m.group(4))) {
                throw ImageProblem.badOptions("size: 'orig' is not supported; leave the side out or use 0.");
            }
            spec.flipH(m.group(1) != null).flipV(m.group(3) != null);
            width = m.group(2) == null ? null : num(m.group(2));
            height = m.group(4) == null ? null : num(m.group(4));
            segment = cursor.next();
        }
        String halign = "center";
        String valign = "middle";
        if (segment != null && segment.matches("left|right|center")) {
            halign = segment;
            segment = cursor.next();
        }
        if (segment != null && segment.matches("top|bottom|middle")) {
            valign = segment;
            segment = cursor.next();
        }
        Gravity gravity = gravity(halign, valign);
        if ("smart".equals(segment)) {
            gravity = Gravity.SMART;
            cursor.next();
        }
        spec.size(width, height).gravity(gravity).fit(fit);
        if (cursor.rest().startsWith("filters:")) {
            int end = cursor.rest().indexOf(")/");
            if (end < 0) {
                throw ImageProblem.badOptions("filters: must end with ')' followed by '/' and the key.");
            }
            filters(spec, cursor.rest().substring("filters:".length(), end + 1));
            cursor.skip(end + 2);
        }
        String raw = cursor.rest();
        if (raw.isEmpty()) {
            throw ImageProblem.badOptions("The URL names no image key.");
        }
        String key = SourceKeys.validateKeyOrUrl(percentDecode(raw));
        return new ThumborUrl(signature, signedPath, spec.build().checkOutput(limits), key, meta);
    }

    private static void filters(ResizeSpec.Builder spec, String filters) {
        for (String filter : filters.split(":")) {
            Matcher m = FILTER.matcher(filter);
            if (!m.matches()) {
                throw ImageProblem.badOptions("filters: '" + ImageOptionsParser.printable(filter)
                        + "' is not name(arguments).");
            }
            String name = m.group(1);
            String args = m.group(2).trim();
            switch (name) {
                case "quality" -> spec.quality(intArg(name, args, 1, 100));
                case "format" -> spec.format(ImageOptionsParser.writableFormat("format", args));
                case "grayscale" -> noArgs(name, args, () -> spec.grayscale(true));
                case "no_upscale" -> noArgs(name, args, () -> spec.upscale(false));
                case "upscale" -> noArgs(name, args, () -> spec.upscale(true));
                case "strip_exif" -> noArgs(name, args, () -> spec.stripExif(true));
                case "blur" -> spec.blur(blur(args));
                case "rotate" -> spec.rotate(counterClockwise(args));
                case "fill" -> spec.fill(fillColour(args));
                default -> throw ImageProblem.badOptions("filters: " + ImageOptionsParser.printable(name)
                        + " is not supported.");
            }
        }
    }

    private static void noArgs(String name, String args, Runnable apply) {
        if (!args.isEmpty()) {
            throw ImageProblem.badOptions(name + ": takes no argument.");
        }
        apply.run();
    }

    private static int intArg(String name, String args, int min, int max) {
        if (!args.matches("-?\\d{1,9}") || Integer.parseInt(args) < min || Integer.parseInt(args) > max) {
            throw ImageProblem.badOptions(name + ": '" + ImageOptionsParser.printable(args) + "' is not a whole "
                    + "number from " + min + " to " + max + ".");
        }
        return Integer.parseInt(args);
    }

    private static double blur(String args) {
        String[] parts = args.split(",", -1);
        if (parts.length > 2) {
            throw ImageProblem.badOptions("blur: takes a radius and an optional sigma.");
        }
        int radius = intArg("blur", parts[0].trim(), 0, 150);
        double sigma = parts.length == 2 ? ImageOptionsParser.sigma("blur", parts[1].trim()) : radius;
        return Math.min(sigma, ResizeSpec.MAX_BLUR);
    }

    private static int counterClockwise(String args) {
        if (!args.matches("-?\\d{1,4}") || Integer.parseInt(args) % 90 != 0) {
            throw ImageProblem.badOptions("rotate: '" + ImageOptionsParser.printable(args)
                    + "' is not a multiple of 90 degrees.");
        }
        return Math.floorMod(-Integer.parseInt(args), 360);
    }

    private static String fillColour(String args) {
        if (Colors.normalize(args) == null) {
            throw ImageProblem.badOptions("fill: '" + ImageOptionsParser.printable(args)
                    + "' is not a colour (hex or a name; 'auto' and 'blur' are not supported).");
        }
        return args;
    }

    private static Gravity gravity(String halign, String valign) {
        String h = switch (halign) {
            case "left" -> "west";
            case "right" -> "east";
            default -> "";
        };
        String v = switch (valign) {
            case "top" -> "north";
            case "bottom" -> "south";
            default -> "";
        };
        if (h.isEmpty() && v.isEmpty()) {
            return Gravity.CENTER;
        }
        return Gravity.byOption(v.isEmpty() ? h : h.isEmpty() ? v : v + "_" + h);
    }

    private static Integer num(String digits) {
        return Integer.valueOf(digits);
    }

    /** Thumbor writes "no crop" as 0x0:0x0; a zero right or bottom is the image's edge. */
    private static Integer nonZero(String digits) {
        int value = Integer.parseInt(digits);
        return value == 0 ? null : value;
    }

    /** Percent-decodes a path (no '+' for space); malformed escapes or bytes that are not UTF-8 are a bad-options. */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw ImageProblem.badOptions("key: '%' must be followed by two hex digits.");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ImageProblem.badOptions("key: '%' must be followed by two hex digits.");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    encoded = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ImageProblem.badOptions("key: the percent-encoded bytes are not UTF-8.");
        }
    }

    /** Walks the path one segment at a time. */
    private static final class Cursor {
        private String rest;

        Cursor(String path) {
            this.rest = path;
        }

        /** The current segment if a '/' follows it (the last segment is always the key), else null. */
        String peek() {
            int slash = rest.indexOf('/');
            return slash < 0 ? null : rest.substring(0, slash);
        }

        /** Drops the current segment; the new current one. */
        String next() {
            rest = rest.substring(rest.indexOf('/') + 1);
            return peek();
        }

        void skip(int chars) {
            rest = rest.substring(chars);
        }

        String rest() {
            return rest;
        }
    }
}
