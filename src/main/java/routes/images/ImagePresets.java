package routes.images;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Named {@link ResizeSpec}s, used with {@code preset:NAME} in Caravan's option grammar. Immutable. */
public final class ImagePresets {

    private static final String NAME = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final ImagePresets EMPTY = new ImagePresets(Map.of());

    private final Map<String, ResizeSpec> presets;

    private ImagePresets(Map<String, ResizeSpec> presets) {
        this.presets = presets;
    }

    public static ImagePresets empty() {
        return EMPTY;
    }

    /** Presets by name; names are lower-case letters, digits, {@code _} and {@code -}. */
    public static ImagePresets of(Map<String, ResizeSpec> presets) {
        Map<String, ResizeSpec> copy = new LinkedHashMap<>();
        presets.forEach((name, spec) -> {
            if (name == null || !name.matches(NAME)) {
                throw new IllegalArgumentException("bad preset name '" + name + "': use a-z, 0-9, _ and -");
            }
            copy.put(name, spec);
        });
        return new ImagePresets(Map.copyOf(copy));
    }

    /**
     * Presets from their definitions in the option grammar, e.g. {@code thumb -> "w:150,h:150,fit:fill"} (as
     * configuration gives them); a definition may not use {@code preset:} itself.
     *
     * @throws ImageProblem naming the preset when a definition is bad
     */
    public static ImagePresets parse(Map<String, String> definitions, ImageLimits limits) {
        ImageOptionsParser parser = new ImageOptionsParser(limits, empty());
        Map<String, ResizeSpec> specs = new LinkedHashMap<>();
        definitions.forEach((name, options) -> {
            try {
                specs.put(name, parser.parse(options));
            } catch (ImageProblem e) {
                throw new ImageProblem(e.imageKind(), "preset " + name + ": " + e.detail(), e);
            }
        });
        return of(specs);
    }

    public Optional<ResizeSpec> get(String name) {
        return Optional.ofNullable(presets.get(name));
    }

    public Set<String> names() {
        return presets.keySet();
    }
}
