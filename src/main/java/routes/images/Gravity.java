package routes.images;

import net.coobird.thumbnailator.geometry.Position;
import net.coobird.thumbnailator.geometry.Positions;

/**
 * Where the kept part of an image sits when a {@link Fit#FILL} crop or a fit-in padding has to place it.
 * {@link #SMART} places a crop where the image's detail is ({@link SmartCrop}); when padding, it centres.
 */
public enum Gravity {
    CENTER("ce", Positions.CENTER),
    NORTH("no", Positions.TOP_CENTER),
    SOUTH("so", Positions.BOTTOM_CENTER),
    EAST("ea", Positions.CENTER_RIGHT),
    WEST("we", Positions.CENTER_LEFT),
    NORTH_EAST("noea", Positions.TOP_RIGHT),
    NORTH_WEST("nowe", Positions.TOP_LEFT),
    SOUTH_EAST("soea", Positions.BOTTOM_RIGHT),
    SOUTH_WEST("sowe", Positions.BOTTOM_LEFT),
    SMART("sm", Positions.CENTER);

    private final String option;
    private final Positions position;

    Gravity(String option, Positions position) {
        this.option = option;
        this.position = position;
    }

    /** The short value in Caravan's option grammar ({@code g:noea}). */
    public String option() {
        return option;
    }

    /** The Thumbnailator position this gravity crops or pads at. */
    public Position position() {
        return position;
    }

    /**
     * The gravity named by its short form ({@code ce}, {@code no}, {@code noea}...) or full name in lower case with
     * {@code _} or {@code -} ({@code north_east}, {@code north-east}, {@code center}, {@code centre}, {@code smart});
     * null when unknown.
     */
    public static Gravity byOption(String value) {
        String v = value.replace('-', '_');
        for (Gravity g : values()) {
            if (g.option.equals(v) || g.name().equalsIgnoreCase(v)) {
                return g;
            }
        }
        return "centre".equals(v) ? CENTER : null;
    }
}
