package routes.images;

/** How a source is fitted to a requested width and height. */
public enum Fit {
    /** Scale to fit inside the box, keeping the aspect ratio (the default; with a fill colour, pad to the box). */
    FIT_IN("fit"),
    /** Scale to cover the box, keeping the aspect ratio, then crop what sticks out, placed by the gravity. */
    FILL("fill"),
    /** Stretch to exactly the box, ignoring the aspect ratio. */
    SCALE("scale"),
    /**
     * Thumbor's {@code adaptive-fit-in}: as {@link #FIT_IN}, in the box turned to the source's orientation (a
     * portrait source in a landscape box fits a portrait box of the same sides).
     */
    ADAPTIVE("fit-adaptive"),
    /**
     * Thumbor's {@code full-fit-in}: scaled so the box is covered, keeping the aspect ratio, nothing cropped (the
     * output may be larger than the box on one side).
     */
    FULL("fit-full"),
    /** Thumbor's {@code adaptive-full-fit-in}: {@link #FULL} in the box turned to the source's orientation. */
    ADAPTIVE_FULL("fit-adaptive-full"),
    /**
     * imgproxy's {@code rt:auto}: {@link #FILL} when the source and the box have the same orientation (both
     * landscape or square, or both portrait), else {@link #FIT_IN}; {@link #FIT_IN} when only one side is given.
     */
    AUTO("fit-auto");

    private final String option;

    Fit(String option) {
        this.option = option;
    }

    /** The fit {@link #AUTO} stands for with a {@code width} x {@code height} source and box; any other fit itself. */
    public Fit resolved(long width, long height, Integer boxWidth, Integer boxHeight) {
        if (this != AUTO) {
            return this;
        }
        if (boxWidth == null || boxHeight == null) {
            return FIT_IN;
        }
        return (width >= height) == (boxWidth >= boxHeight) ? FILL : FIT_IN;
    }

    /** Whether the box is turned to the source's orientation first. */
    public boolean adaptive() {
        return this == ADAPTIVE || this == ADAPTIVE_FULL;
    }

    /** Whether the source covers the box (scaled by the larger factor) instead of fitting in it. */
    public boolean covers() {
        return this == FILL || this == FULL || this == ADAPTIVE_FULL;
    }

    /** The value in Caravan's option grammar ({@code fit:fill}). */
    public String option() {
        return option;
    }

    /**
     * The fit named {@code fit} (also {@code fit-in}, {@code contain}), {@code fill} ({@code cover}, {@code crop}),
     * {@code scale} ({@code force}, {@code stretch}), {@code fit-adaptive}, {@code fit-full} or
     * {@code fit-adaptive-full} (also as Thumbor spells them), {@code fit-auto} ({@code auto}); null when unknown.
     */
    public static Fit byOption(String value) {
        return switch (value) {
            case "fit", "fit-in", "fit_in", "contain" -> FIT_IN;
            case "fill", "cover", "crop" -> FILL;
            case "scale", "force", "stretch" -> SCALE;
            case "fit-adaptive", "adaptive-fit-in" -> ADAPTIVE;
            case "fit-full", "full-fit-in" -> FULL;
            case "fit-adaptive-full", "adaptive-full-fit-in" -> ADAPTIVE_FULL;
            case "fit-auto", "auto" -> AUTO;
            default -> null;
        };
    }
}
