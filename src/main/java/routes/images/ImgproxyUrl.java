package routes.images;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * An imgproxy URL, {@code /{signature}/{option}/.../{source}}, read into a {@link ResizeSpec}, so imgproxy clients
 * work against Caravan unchanged. The source is {@code plain/{key}[@{extension}]} (percent-encoded) or the key in
 * URL-safe base64, possibly split by {@code /}, with an optional {@code .{extension}}; the key is an object key of
 * Caravan's storage ({@code {assetId}/{file}}, or {@code s3://{bucket}/originals/{assetId}/{file}}), or an http(s) URL,
 * fetched only from the origins {@link RemoteOriginals} allows. {@link #signedPath} is what imgproxy signs: everything after the signature, with its leading slash.
 *
 * <p>Options, with imgproxy's names and short forms: {@code resize|rs:type:w:h:enlarge}, {@code size|s:w:h:enlarge},
 * {@code resizing_type|rt} ({@code fit}, {@code fill}, {@code force}, {@code auto}), {@code width|w},
 * {@code height|h}, {@code enlarge|el}, {@code gravity|g} ({@code no so ea we noea nowe soea sowe ce sm}),
 * {@code quality|q}, {@code format|f|ext}, {@code background|bg} ({@code r:g:b} or hex), {@code blur|bl},
 * {@code extend|ex:1} (pad to the box with the background, else transparent), {@code rotate|rot} (clockwise),
 * {@code dpr}, {@code trim|t:10} (the one threshold served), {@code cachebuster|cb}, and {@code strip_metadata|sm},
 * {@code strip_color_profile|scp} (always done). As in imgproxy, images are not enlarged unless asked. Any other
 * option is a 400 that names it.
 *
 * @param signature  the first segment ({@code insecure} or {@code _} when unsigned)
 * @param signedPath {@code /} and everything after the signature, as received
 * @param spec       the rendition asked for
 * @param key        the source's key in Caravan's storage (without {@code originals/})
 */
public record ImgproxyUrl(String signature, String signedPath, ResizeSpec spec, String key) {

    /** Whether the URL is unsigned ({@code insecure} or {@code _}, as imgproxy spells it). */
    public boolean isUnsafe() {
        return signature.equals("insecure") || signature.equals("_");
    }

    /** Reads {@code path}, the part of the request path after {@code /imgproxy/} (percent-encoding intact). */
    public static ImgproxyUrl parse(String path) {
        int slash = path.indexOf('/');
        if (slash <= 0) {
            throw ImageProblem.badOptions("The URL is not /imgproxy/{signature}/{options}/{source}.");
        }
        String signature = path.substring(0, slash);
        String signedPath = path.substring(slash);
        String[] segments = signedPath.substring(1).split("/", -1);
        ResizeSpec.Builder spec = ResizeSpec.builder().fit(Fit.FIT_IN).upscale(false);
        double dpr = 1;
        boolean extend = false;
        String background = null;
        Integer width = null;
        Integer height = null;
        int i = 0;
        for (; i < segments.length && segments[i].contains(":"); i++) {
            String[] args = URLDecoder.decode(segments[i], StandardCharsets.UTF_8).split(":", -1);
            String name = args[0];
            switch (name) {
                case "resize", "rs" -> {
                    if (args.length > 1 && !args[1].isEmpty()) {
                        spec.fit(resizingType(args[1], spec));
                    }
                    width = arg(args, 2, width);
                    height = arg(args, 3, height);
                    enlarge(args, 4, spec);
                    extend = extend(args, 5, extend);
                }
                case "size", "s" -> {
                    width = arg(args, 1, width);
                    height = arg(args, 2, height);
                    enlarge(args, 3, spec);
                    extend = extend(args, 4, extend);
                }
                case "resizing_type", "rt" -> spec.fit(resizingType(one(args), spec));
                case "width", "w" -> width = arg(args, 1, width);
                case "height", "h" -> height = arg(args, 1, height);
                case "enlarge", "el" -> enlarge(args, 1, spec);
                case "gravity", "g" -> spec.gravity(gravity(args));
                case "quality", "q" -> spec.quality(number(name, one(args), 1, 100));
                case "format", "f", "ext" -> spec.format(ImageOptionsParser.writableFormat(name, one(args)));
                case "background", "bg" -> background = background(args);
                case "extend", "ex" -> extend = extend(args, 1, false);
                case "blur", "bl" -> spec.blur(decimal(name, one(args)));
                case "rotate", "rot" -> spec.rotate(number(name, one(args), 0, 359));
                case "dpr" -> dpr = decimal(name, one(args));
                case "trim", "t" -> {
                    // the threshold is fixed here (imgproxy's customary 10); colour and equal-sides are not taken
                    if (args.length < 2 || !args[1].equals(Integer.toString(ImageResizer.TRIM_TOLERANCE))
                            || args.length > 2 && !String.join("", java.util.Arrays.copyOfRange(args, 2, args.length))
                                    .isEmpty()) {
                        throw ImageProblem.badOptions("trim: only trim:" + ImageResizer.TRIM_TOLERANCE
                                + " is supported here (that threshold, the corner colour, sides trimmed as found).");
                    }
                    spec.trim(true);
                }
                case "strip_metadata", "sm", "strip_color_profile", "scp" -> spec.stripExif(true);
                case "cachebuster", "cb" -> {
                    // only makes the URL another one, as in imgproxy
                }
                default -> throw ImageProblem.badOptions("imgproxy option " + ImageOptionsParser.printable(name)
                        + " is not supported here.");
            }
        }
        if (!(dpr > 0 && dpr <= 8)) {
            throw ImageProblem.badOptions("dpr: must be more than 0 and at most 8.");
        }
        spec.size(scaled(width, dpr), scaled(height, dpr));
        ResizeSpec planned = spec.build();
        boolean box = planned.width() != null && planned.height() != null;
        if (extend && planned.fit() == Fit.AUTO) {
            throw ImageProblem.badOptions("extend: not served with resizing type auto here (whether it pads depends"
                    + " on the source); use fit with extend:1, or auto without extend.");
        }
        if (extend) {
            // padded to the box, with the background colour or transparent
            spec.fill(background != null ? background : "ffffff00");
        } else if (background != null) {
            if (box && planned.fit() == Fit.FIT_IN) {
                throw ImageProblem.badOptions("background: with fit and both sides it would pad the image here;"
                        + " add extend:1 to pad, or leave the background out.");
            }
            spec.fill(background);
        }
        if (i >= segments.length || segments[i].isEmpty()) {
            throw ImageProblem.badOptions("The URL names no source after its options.");
        }
        String source;
        if (segments[i].equals("plain")) {
            String plain = String.join("/", java.util.Arrays.copyOfRange(segments, i + 1, segments.length));
            int at = plain.lastIndexOf('@');
            if (at >= 0) {
                spec.format(ImageOptionsParser.writableFormat("extension", plain.substring(at + 1)));
                plain = plain.substring(0, at);
            }
            source = URLDecoder.decode(plain, StandardCharsets.UTF_8);
        } else if (segments[i].equals("enc")) {
            throw ImageProblem.badOptions("Encrypted sources (enc/) are not supported: use plain/ or base64.");
        } else {
            String encoded = String.join("", java.util.Arrays.copyOfRange(segments, i, segments.length));
            int dot = encoded.indexOf('.');
            if (dot >= 0) {
                spec.format(ImageOptionsParser.writableFormat("extension", encoded.substring(dot + 1)));
                encoded = encoded.substring(0, dot);
            }
            try {
                source = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ImageProblem(ImageProblem.Kind.BAD_KEY, "The source is neither plain/ nor URL-safe base64.");
            }
        }
        return new ImgproxyUrl(signature, signedPath, spec.build(), SourceKeys.validateKeyOrUrl(key(source)));
    }

    /** The key in Caravan's storage that a source names: {@code s3://{bucket}/originals/} is taken off. */
    private static String key(String source) {
        if (source.startsWith("s3://")) {
            int slash = source.indexOf('/', "s3://".length());
            String rest = slash < 0 ? "" : source.substring(slash + 1);
            if (!rest.startsWith("originals/")) {
                throw new ImageProblem(ImageProblem.Kind.BAD_KEY, "An s3:// source must name an original:"
                        + " s3://{bucket}/originals/{assetId}/{file}.");
            }
            return rest.substring("originals/".length());
        }
        return source;
    }

    private static Fit resizingType(String type, ResizeSpec.Builder spec) {
        return switch (type) {
            case "fit" -> Fit.FIT_IN;
            case "fill" -> Fit.FILL;
            case "force" -> Fit.SCALE;
            case "auto" -> Fit.AUTO;
            default -> throw ImageProblem.badOptions("resizing type " + ImageOptionsParser.printable(type)
                    + " is not supported here: use fit, fill, force or auto.");
        };
    }

    private static Gravity gravity(String[] args) {
        String type = args.length > 1 ? args[1] : "";
        Gravity gravity = Gravity.byOption(type);
        if (gravity == null || args.length > 2 && !(args.length == 4 && args[2].matches("0?") && args[3].matches("0?"))) {
            throw ImageProblem.badOptions("gravity " + ImageOptionsParser.printable(String.join(":", args))
                    + " is not supported here: use no, so, ea, we, noea, nowe, soea, sowe, ce or sm.");
        }
        return gravity;
    }

    private static String background(String[] args) {
        if (args.length == 2 && args[1].matches("[0-9A-Fa-f]{6}")) {
            return args[1].toLowerCase(Locale.ROOT);
        }
        if (args.length == 4) {
            StringBuilder hex = new StringBuilder();
            for (int c = 1; c <= 3; c++) {
                hex.append(String.format("%02x", number("background", args[c], 0, 255)));
            }
            return hex.toString();
        }
        throw ImageProblem.badOptions("background: give r:g:b (0-255 each) or a hex colour.");
    }

    /**
     * The extend flag at {@code index} ({@code 1}, {@code t} or {@code true}: pad, centred), else {@code current};
     * an extend gravity after it is refused.
     */
    private static boolean extend(String[] args, int index, boolean current) {
        if (args.length > index + 1 && !String.join("", java.util.Arrays.copyOfRange(args, index + 1, args.length))
                .isEmpty()) {
            throw ImageProblem.badOptions("extend: only a centred extend is supported here (no extend gravity).");
        }
        if (args.length <= index || args[index].isEmpty()) {
            return current;
        }
        return args[index].equals("1") || args[index].equals("t") || args[index].equals("true");
    }

    private static void enlarge(String[] args, int index, ResizeSpec.Builder spec) {
        if (args.length > index && !args[index].isEmpty()) {
            spec.upscale(args[index].equals("1") || args[index].equals("t") || args[index].equals("true"));
        }
    }

    private static String one(String[] args) {
        if (args.length != 2) {
            throw ImageProblem.badOptions(ImageOptionsParser.printable(args[0]) + ": takes one argument.");
        }
        return args[1];
    }

    /** Argument {@code index} as a size ({@code 0}: follow the other side), else {@code current}. */
    private static Integer arg(String[] args, int index, Integer current) {
        if (args.length <= index || args[index].isEmpty()) {
            return current;
        }
        int value = number(args[0], args[index], 0, 100_000);
        return value == 0 ? null : value;
    }

    private static Integer scaled(Integer size, double dpr) {
        return size == null ? null : (int) Math.max(1, Math.round(size * dpr));
    }

    private static int number(String name, String value, int min, int max) {
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
            throw ImageProblem.badOptions(ImageOptionsParser.printable(name) + ": '"
                    + ImageOptionsParser.printable(value) + "' is not a whole number from " + min + " to " + max + ".");
        }
        return Integer.parseInt(value);
    }

    private static double decimal(String name, String value) {
        if (!value.matches("\\d{1,6}(\\.\\d{1,6})?")) {
            throw ImageProblem.badOptions(ImageOptionsParser.printable(name) + ": '"
                    + ImageOptionsParser.printable(value) + "' is not a number.");
        }
        return Double.parseDouble(value);
    }
}
