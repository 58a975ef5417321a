package routes.media;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The renditions a video is transcoded to, tallest first. Configuration: build one from settings, or use
 * {@link #defaults()}.
 *
 * @param renditions the rungs; names and heights must be distinct
 */
public record Ladder(List<Rung> renditions) {

    public Ladder {
        if (renditions == null || renditions.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rendition");
        }
        Set<String> names = new HashSet<>();
        Set<Integer> heights = new HashSet<>();
        for (Rung rendition : renditions) {
            if (!names.add(rendition.name()) || !heights.add(rendition.height())) {
                throw new IllegalArgumentException("rendition names and heights must be distinct: "
                        + rendition.name());
            }
        }
        renditions = renditions.stream().sorted(Comparator.comparingInt(Rung::height).reversed()).toList();
    }

    /** 1080p, 720p and 480p H.264 with AAC, in bit-rate mode with a capped peak. */
    public static Ladder defaults() {
        return new Ladder(List.of(
                Rung.of("1080p", 1080, 5000, 5350, 7500, 128),
                Rung.of("720p", 720, 2800, 2996, 4200, 128),
                Rung.of("480p", 480, 1400, 1498, 2100, 96)));
    }

    public static Ladder of(Rung... renditions) {
        return new Ladder(List.of(renditions));
    }

    /** The shortest rung. */
    public Rung smallest() {
        return renditions.get(renditions.size() - 1);
    }
}
