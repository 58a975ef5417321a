package routes.images;

/** How a source is fitted to a requested width and height. */
public enum Fit {
    /** Scale to fit inside the box, keeping the aspect ratio (the default; with a fill colour, pad to the box). */
    FIT_IN("fit"),
    /** Scale to cover the box, keeping the aspect ratio, then crop what sticks out, placed by the gravity. */
    FILL("fill"),
    /** Stretch to exactly the box, ignoring the aspect ratio. */
    SCALE("scale");

    private final String option;

    Fit(String option) {
        this.option = option;
    }

    /** The value in Caravan's option grammar ({@code fit:fill}). */
    public String option() {
        return option;
    }

    /** The fit named {@code fit} (also {@code fit-in}, {@code contain}), {@code fill} ({@code cover}, {@code crop}) or {@code scale} ({@code force}, {@code stretch}); null when unknown. */
    public static Fit byOption(String value) {
        return switch (value) {
            case "fit", "fit-in", "fit_in", "contain" -> FIT_IN;
            case "fill", "cover", "crop" -> FILL;
            case "scale", "force", "stretch" -> SCALE;
            default -> null;
        };
    }
}
