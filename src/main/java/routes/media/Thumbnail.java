package routes.media;

import java.nio.file.Path;

/**
 * A JPEG still taken from a video.
 *
 * @param path where it is
 * @param width picture width in pixels
 * @param height picture height in pixels
 * @param seconds where in the video it was taken
 */
public record Thumbnail(Path path, int width, int height, double seconds) {
}
