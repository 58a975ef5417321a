package routes.media;

import java.nio.file.Path;

/**
 * A video file Caravan made.
 *
 * @param name the rendition's name (the file is {@code {name}.mp4})
 * @param path where it is
 * @param width picture width in pixels
 * @param height picture height in pixels
 */
public record RenditionOutput(String name, Path path, int width, int height) {
}
