package routes.images;

/**
 * What the header of a source image says, read without decoding any pixel.
 *
 * @param format      the format, from the file's signature
 * @param width       stored width in pixels (of the first frame)
 * @param height      stored height in pixels (of the first frame)
 * @param orientation EXIF orientation, 1 (upright) to 8; 1 when the file has none
 * @param frames      number of frames (animated GIF or WebP); 1 for still formats
 * @param hasAlpha    whether the decoded image will carry an alpha channel
 * @param bytes       file size
 */
public record ImageInfo(ImageFormat format, int width, int height, int orientation, int frames, boolean hasAlpha,
                        long bytes) {

    /** Whether the EXIF orientation swaps width and height (5 to 8: a quarter turn, possibly mirrored). */
    public boolean orientationSwapsAxes() {
        return orientation >= 5 && orientation <= 8;
    }

    /** The width as displayed, after the EXIF orientation is applied. */
    public int displayWidth() {
        return orientationSwapsAxes() ? height : width;
    }

    /** The height as displayed, after the EXIF orientation is applied. */
    public int displayHeight() {
        return orientationSwapsAxes() ? width : height;
    }

    public long pixels() {
        return (long) width * height;
    }
}
