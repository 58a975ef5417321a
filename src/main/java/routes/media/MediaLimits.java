package routes.media;

import java.time.Duration;

/**
 * What Caravan agrees to process, and how long one ffmpeg or ffprobe run may take.
 *
 * <p>The pixel limits do not depend on orientation: the longer side of the displayed picture must fit the larger
 * of {@code maxWidth}/{@code maxHeight} and the shorter side the smaller, so a portrait 2160x3840 phone video
 * passes the same limits as a landscape 3840x2160 one.
 *
 * @param maxDuration longest accepted media ({@code too-long} beyond)
 * @param maxWidth widest accepted picture, in displayed pixels ({@code too-large} beyond)
 * @param maxHeight tallest accepted picture, in displayed pixels ({@code too-large} beyond)
 * @param maxBytes largest accepted file ({@code too-large} beyond)
 * @param timeout longest one ffmpeg or ffprobe run may take ({@code timeout} beyond)
 */
public record MediaLimits(Duration maxDuration, int maxWidth, int maxHeight, long maxBytes, Duration timeout) {

    public MediaLimits {
        requirePositive(maxDuration, "maxDuration");
        requirePositive(timeout, "timeout");
        if (maxWidth <= 0 || maxHeight <= 0) {
            throw new IllegalArgumentException("maxWidth and maxHeight must be positive");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }

    /** Four hours, 8K (7680x4320), 20 GiB, and two hours per run. */
    public static MediaLimits defaults() {
        return new MediaLimits(Duration.ofHours(4), 7680, 4320, 20L * 1024 * 1024 * 1024, Duration.ofHours(2));
    }

    public MediaLimits withTimeout(Duration newTimeout) {
        return new MediaLimits(maxDuration, maxWidth, maxHeight, maxBytes, newTimeout);
    }

    public MediaLimits withMaxDuration(Duration newMaxDuration) {
        return new MediaLimits(newMaxDuration, maxWidth, maxHeight, maxBytes, timeout);
    }

    public MediaLimits withMaxSize(int newMaxWidth, int newMaxHeight) {
        return new MediaLimits(maxDuration, newMaxWidth, newMaxHeight, maxBytes, timeout);
    }

    public MediaLimits withMaxBytes(long newMaxBytes) {
        return new MediaLimits(maxDuration, maxWidth, maxHeight, newMaxBytes, timeout);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
