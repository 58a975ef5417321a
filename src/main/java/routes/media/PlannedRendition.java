package routes.media;

/**
 * A rendition {@link LadderPlanner} decided to make for one video: the rung's encoder settings and the exact
 * output size (even, aspect kept, never larger than the source).
 *
 * @param name the output's name ({@code {name}.mp4})
 * @param width output width in pixels (square pixels, as displayed)
 * @param height output height in pixels (as displayed)
 * @param settings the rung's bit rates and quality
 */
public record PlannedRendition(String name, int width, int height, Rung settings) {

    public PlannedRendition {
        Rung.requireName(name);
        if (settings == null) {
            throw new IllegalArgumentException("settings are required");
        }
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("rendition size must be even and positive: " + width + "x" + height);
        }
    }
}
