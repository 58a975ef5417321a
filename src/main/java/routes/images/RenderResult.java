package routes.images;

/**
 * What {@link ImageResizer#render} wrote.
 *
 * @param format      output format
 * @param width       output width in pixels
 * @param height      output height in pixels
 * @param bytes       bytes written to the output stream
 * @param contentType media type of the output, e.g. {@code image/jpeg}
 */
public record RenderResult(ImageFormat format, int width, int height, long bytes, String contentType) {
}
