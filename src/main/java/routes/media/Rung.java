package routes.media;

import java.util.regex.Pattern;

/**
 * One rung of a {@link Ladder}: H.264 video at a height, AAC audio.
 *
 * <p>The video is encoded at {@code videoBitrateKbps} (capped at {@code maxrateKbps} with a {@code bufsizeKbps}
 * buffer), or, when {@code crf} is set, at that constant quality with the same cap.
 *
 * @param name the output's name, also its file name ({@code {name}.mp4}): letters, digits, {@code -} and
 *     {@code _}
 * @param height the picture height for landscape video; for portrait video, the width (the shorter side)
 * @param videoBitrateKbps target video bit rate
 * @param maxrateKbps peak video bit rate
 * @param bufsizeKbps rate-control buffer
 * @param audioBitrateKbps AAC bit rate
 * @param crf constant rate factor (0..51), or null for bit-rate mode
 */
public record Rung(
        String name,
        int height,
        int videoBitrateKbps,
        int maxrateKbps,
        int bufsizeKbps,
        int audioBitrateKbps,
        Integer crf) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public Rung {
        requireName(name);
        if (height < 2 || height % 2 != 0) {
            throw new IllegalArgumentException("rendition height must be even and positive: " + height);
        }
        if (videoBitrateKbps <= 0 || maxrateKbps <= 0 || bufsizeKbps <= 0 || audioBitrateKbps <= 0) {
            throw new IllegalArgumentException("rendition bit rates must be positive: " + name);
        }
        if (crf != null && (crf < 0 || crf > 51)) {
            throw new IllegalArgumentException("crf must be 0..51: " + crf);
        }
    }

    /** Names become file names: 1-64 letters, digits, {@code -} and {@code _}, starting with a letter or digit. */
    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rendition name must be 1-64 letters, digits, '-' or '_': " + name);
        }
        return name;
    }

    /** A bit-rate-mode rung. */
    public static Rung of(String name, int height, int videoKbps, int maxrateKbps, int bufsizeKbps,
            int audioKbps) {
        return new Rung(name, height, videoKbps, maxrateKbps, bufsizeKbps, audioKbps, null);
    }

    /** The same rung at another size and name (for a source smaller than every rung). */
    Rung resized(String newName, int newHeight) {
        return new Rung(newName, newHeight, videoBitrateKbps, maxrateKbps, bufsizeKbps, audioBitrateKbps, crf);
    }
}
