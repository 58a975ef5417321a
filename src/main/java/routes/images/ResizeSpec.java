package routes.images;

import java.awt.Color;
import java.math.BigDecimal;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a rendition should be. Built by {@link ImageOptionsParser} (Caravan's {@code k:v} grammar), {@link ThumborUrl}
 * or {@link #builder()}; rendered by {@link ImageResizer}. The compact constructor validates every field (a bad value
 * is a 400 {@code bad-options}) and normalizes defaults, so a spec that exists is renderable.
 *
 * <p>The steps run in this order: EXIF orientation, manual {@code crop} (in upright source pixels), {@code trim},
 * {@code rotate} (clockwise), resize by {@code fit} to {@code width} x {@code height} (which therefore describe the
 * output), flips, {@code grayscale}, {@code blur}, padding with {@code fill}, flattening alpha for JPEG, encoding.
 *
 * @param width     output width, or null to follow the height keeping the aspect ratio (and null with height null:
 *                  the source size)
 * @param height    output height, or null to follow the width
 * @param fit       how the source is fitted to width x height when both are given (default {@link Fit#FIT_IN})
 * @param gravity   where a {@link Fit#FILL} crop or a fit-in padding places the image (default {@link Gravity#CENTER})
 * @param format    output format, or null for the source's (JPEG and PNG stay as they are; others become PNG)
 * @param quality   1..100, the JPEG (and WebP) quality (default 82)
 * @param upscale   whether the output may be larger than the source (default false: never upscale)
 * @param grayscale whether to drop the colour
 * @param blur      Gaussian blur sigma in output pixels, 0 for none, at most {@value #MAX_BLUR}
 * @param rotate    clockwise rotation, 0, 90, 180 or 270 (other multiples of 90 are reduced modulo 360)
 * @param fill      padding colour as {@code rrggbb} or {@code rrggbbaa}: with {@link Fit#FIT_IN} and both width and
 *                  height the output is exactly width x height, padded; also the background JPEG alpha is flattened
 *                  onto (white when null)
 * @param flipH     mirror left-right
 * @param flipV     mirror top-bottom
 * @param stripExif kept for the grammars that name it; re-encoded output never carries EXIF or other metadata
 * @param trim      cut away borders of the top-left pixel's colour (with a small tolerance)
 * @param crop      manual crop in upright source pixels, or null
 */
public record ResizeSpec(Integer width, Integer height, Fit fit, Gravity gravity, ImageFormat format, int quality,
                         boolean upscale, boolean grayscale, double blur, int rotate, String fill, boolean flipH,
                         boolean flipV, boolean stripExif, boolean trim, Crop crop) {

    public static final int DEFAULT_QUALITY = 82;
    public static final double MAX_BLUR = 100;

    /** Re-encode at the source size with every default. */
    public static final ResizeSpec ORIGINAL = builder().build();

    /**
     * A manual crop in upright source pixels: the kept rectangle is [left, right) x [top, bottom). A null side is the
     * image's edge; right and bottom beyond the image are clamped to it.
     */
    public record Crop(Integer left, Integer top, Integer right, Integer bottom) {
        public Crop {
            for (Integer side : new Integer[] {left, top, right, bottom}) {
                if (side != null && side < 0) {
                    throw ImageProblem.badOptions("crop: coordinates must not be negative.");
                }
            }
            if (left != null && right != null && right <= left) {
                throw ImageProblem.badOptions("crop: right (" + right + ") must be greater than left (" + left + ").");
            }
            if (top != null && bottom != null && bottom <= top) {
                throw ImageProblem.badOptions("crop: bottom (" + bottom + ") must be greater than top (" + top + ").");
            }
        }

        /** Whether this crop keeps the whole image. */
        public boolean isWhole() {
            return (left == null || left == 0) && (top == null || top == 0) && right == null && bottom == null;
        }

        String canonical() {
            return side(left) + ":" + side(top) + ":" + side(right) + ":" + side(bottom);
        }

        private static String side(Integer value) {
            return value == null ? "" : value.toString();
        }
    }

    public ResizeSpec {
        width = positiveOrNull("w", width);
        height = positiveOrNull("h", height);
        fit = fit == null ? Fit.FIT_IN : fit;
        gravity = gravity == null ? Gravity.CENTER : gravity;
        if (quality < 1 || quality > 100) {
            throw ImageProblem.badOptions("q: the quality must be between 1 and 100, not " + quality + ".");
        }
        if (!(blur >= 0 && blur <= MAX_BLUR)) {
            throw ImageProblem.badOptions("blur: the sigma must be between 0 and " + (int) MAX_BLUR + ".");
        }
        if (rotate % 90 != 0) {
            throw ImageProblem.badOptions("rot: the rotation must be a multiple of 90 degrees, not " + rotate + ".");
        }
        rotate = Math.floorMod(rotate, 360);
        if (fill != null) {
            String color = Colors.normalize(fill);
            if (color == null) {
                throw ImageProblem.badOptions("bg: '" + fill + "' is not a colour (hex rgb, rrggbb, rrggbbaa or a name).");
            }
            fill = color;
        }
        if (crop != null && crop.isWhole()) {
            crop = null;
        }
    }

    private static Integer positiveOrNull(String key, Integer value) {
        if (value == null || value == 0) {
            return null;
        }
        if (value < 0) {
            throw ImageProblem.badOptions(key + ": the size must not be negative.");
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The fill colour, or null. */
    public Color fillColor() {
        return fill == null ? null : Colors.parse(fill);
    }

    /** Whether fit-in pads to exactly width x height. */
    public boolean pads() {
        return fit == Fit.FIT_IN && fill != null && width != null && height != null;
    }

    /**
     * The format of the output for a source in {@code source}: the requested one, else JPEG, GIF, WebP and AVIF as
     * they are (an animated GIF's or WebP's frames are kept), HEIC (read only: phone photos) as JPEG, else PNG.
     */
    public ImageFormat outputFormat(ImageFormat source) {
        if (format != null) {
            return format;
        }
        if (source == ImageFormat.HEIC) {
            return ImageFormat.JPEG;
        }
        return source == ImageFormat.JPEG || source == ImageFormat.GIF || source == ImageFormat.WEBP
                || source == ImageFormat.AVIF ? source : ImageFormat.PNG;
    }

    /**
     * Requested sizes over the output bounds are a 400 {@code output-too-large}.
     *
     * @return this spec
     */
    public ResizeSpec checkOutput(ImageLimits limits) {
        if (width != null && width > limits.maxOutputWidth()) {
            throw new ImageProblem(ImageProblem.Kind.OUTPUT_TOO_LARGE,
                    "w: " + width + " is wider than the limit of " + limits.maxOutputWidth() + " pixels.");
        }
        if (height != null && height > limits.maxOutputHeight()) {
            throw new ImageProblem(ImageProblem.Kind.OUTPUT_TOO_LARGE,
                    "h: " + height + " is taller than the limit of " + limits.maxOutputHeight() + " pixels.");
        }
        return this;
    }

    /**
     * The same rendition with every field that cannot change the output reset to its default: the fit and padding
     * colour when only one side is given, the gravity when nothing is cropped or padded, the quality of lossless
     * formats, the strip-EXIF flag (always in effect).
     */
    public ResizeSpec normalized() {
        boolean box = width != null && height != null;
        Fit f = box ? fit : Fit.FIT_IN;
        boolean pads = box && f == Fit.FIT_IN && fill != null;
        boolean flattens = format == ImageFormat.JPEG || format == ImageFormat.BMP;
        String fl = pads || flattens ? fill : null;
        boolean placed = box && (f == Fit.FILL || f == Fit.AUTO || pads);
        Gravity g = placed ? gravity : Gravity.CENTER;
        boolean lossy = format == null || format == ImageFormat.JPEG || format == ImageFormat.WEBP
                || format == ImageFormat.AVIF;
        int q = lossy ? quality : DEFAULT_QUALITY;
        return new ResizeSpec(width, height, f, g, format, q, upscale, grayscale, blur, rotate, fl, flipH, flipV,
                true, trim, crop);
    }

    /**
     * This spec in Caravan's option grammar, keys sorted, defaults and no-op fields left out: the same string for
     * every pair of specs that render the same, and parseable back by {@link ImageOptionsParser}. Empty for
     * {@link #ORIGINAL}. Used in rendition cache keys.
     */
    public String canonical() {
        ResizeSpec n = normalized();
        Map<String, String> options = new TreeMap<>();
        if (n.width != null) {
            options.put("w", n.width.toString());
        }
        if (n.height != null) {
            options.put("h", n.height.toString());
        }
        if (n.fit != Fit.FIT_IN) {
            options.put("fit", n.fit.option());
        }
        if (n.gravity != Gravity.CENTER) {
            options.put("g", n.gravity.option());
        }
        if (n.format != null) {
            options.put("f", n.format.id());
        }
        if (n.quality != DEFAULT_QUALITY) {
            options.put("q", Integer.toString(n.quality));
        }
        if (n.upscale) {
            options.put("up", "1");
        }
        if (n.grayscale) {
            options.put("gray", "1");
        }
        if (n.blur > 0) {
            options.put("blur", BigDecimal.valueOf(n.blur).stripTrailingZeros().toPlainString());
        }
        if (n.rotate != 0) {
            options.put("rot", Integer.toString(n.rotate));
        }
        if (n.fill != null) {
            options.put("bg", n.fill);
        }
        if (n.flipH || n.flipV) {
            options.put("flip", (n.flipH ? "h" : "") + (n.flipV ? "v" : ""));
        }
        if (n.trim) {
            options.put("trim", "1");
        }
        if (n.crop != null) {
            options.put("crop", n.crop.canonical());
        }
        StringJoiner joined = new StringJoiner(",");
        options.forEach((key, value) -> joined.add(key + ":" + value));
        return joined.toString();
    }

    /** Builds a {@link ResizeSpec}; every field starts at its default. */
    public static final class Builder {
        private Integer width;
        private Integer height;
        private Fit fit = Fit.FIT_IN;
        private Gravity gravity = Gravity.CENTER;
        private ImageFormat format;
        private int quality = DEFAULT_QUALITY;
        private boolean upscale;
        private boolean grayscale;
        private double blur;
        private int rotate;
        private String fill;
        private boolean flipH;
        private boolean flipV;
        private boolean stripExif = true;
        private boolean trim;
        private Crop crop;

        private Builder() {
        }

        private Builder(ResizeSpec s) {
            width = s.width;
            height = s.height;
            fit = s.fit;
            gravity = s.gravity;
            format = s.format;
            quality = s.quality;
            upscale = s.upscale;
            grayscale = s.grayscale;
            blur = s.blur;
            rotate = s.rotate;
            fill = s.fill;
            flipH = s.flipH;
            flipV = s.flipV;
            stripExif = s.stripExif;
            trim = s.trim;
            crop = s.crop;
        }

        public Builder width(Integer width) {
            this.width = width;
            return this;
        }

        public Builder height(Integer height) {
            this.height = height;
            return this;
        }

        public Builder size(Integer width, Integer height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder fit(Fit fit) {
            this.fit = fit;
            return this;
        }

        public Builder gravity(Gravity gravity) {
            this.gravity = gravity;
            return this;
        }

        public Builder format(ImageFormat format) {
            this.format = format;
            return this;
        }

        public Builder quality(int quality) {
            this.quality = quality;
            return this;
        }

        public Builder upscale(boolean upscale) {
            this.upscale = upscale;
            return this;
        }

        public Builder grayscale(boolean grayscale) {
            this.grayscale = grayscale;
            return this;
        }

        public Builder blur(double blur) {
            this.blur = blur;
            return this;
        }

        public Builder rotate(int rotate) {
            this.rotate = rotate;
            return this;
        }

        public Builder fill(String fill) {
            this.fill = fill;
            return this;
        }

        public Builder flipH(boolean flipH) {
            this.flipH = flipH;
            return this;
        }

        public Builder flipV(boolean flipV) {
            this.flipV = flipV;
            return this;
        }

        public Builder stripExif(boolean stripExif) {
            this.stripExif = stripExif;
            return this;
        }

        public Builder trim(boolean trim) {
            this.trim = trim;
            return this;
        }

        public Builder crop(Crop crop) {
            this.crop = crop;
            return this;
        }

        public ResizeSpec build() {
            return new ResizeSpec(width, height, fit, gravity, format, quality, upscale, grayscale, blur, rotate,
                    fill, flipH, flipV, stripExif, trim, crop);
        }
    }
}
