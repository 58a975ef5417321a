package routes.images;

/**
 * Bounds every image request is checked against, before any pixel is decoded.
 *
 * @param maxBytes        largest source file accepted, in bytes
 * @param maxPixels       largest source accepted, as width * height (the decompression-bomb guard)
 * @param maxOutputWidth  widest rendition that may be produced
 * @param maxOutputHeight tallest rendition that may be produced
 * @param maxFrames       most frames an animated source may have
 */
public record ImageLimits(long maxBytes, long maxPixels, int maxOutputWidth, int maxOutputHeight, int maxFrames) {

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxOutputWidth <= 0 || maxOutputHeight <= 0 || maxFrames <= 0) {
            throw new IllegalArgumentException("every image limit must be positive");
        }
    }

    /** 50 MiB, 50 megapixels, 8192 x 8192 output, 100 frames. */
    public static ImageLimits defaults() {
        return new ImageLimits(50L * 1024 * 1024, 50_000_000L, 8192, 8192, 100);
    }
}
