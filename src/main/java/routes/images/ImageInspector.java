package routes.images;

import java.awt.image.ColorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads what a source image is from its header, checking every {@link ImageLimits} bound before a single pixel is
 * decoded. The checks run in order, each on as little of the file as it needs:
 * <ol>
 *   <li>{@link #checkSize size} - the file length alone: empty (422 {@code empty-image}) or over
 *       {@code maxBytes} (413 {@code image-too-large});</li>
 *   <li>{@link #sniff format} - the signature bytes: unknown or without an installed reader
 *       (415 {@code unsupported-format});</li>
 *   <li>{@link #checkDeclared declared size} - the width and height the PNG IHDR, GIF logical screen or JPEG SOF
 *       state, read by Caravan itself: over {@code maxPixels} is a 422 {@code decompression-bomb};</li>
 *   <li>{@link #readHeader header} - an ImageIO {@link ImageReader}'s {@code getWidth(0)} / {@code getHeight(0)},
 *       frame count and image type, which parse headers only: unreadable or truncated headers are a 422
 *       {@code corrupt-image}; the same pixel bound again; for GIF the frames are counted up to
 *       {@code maxFrames + 1} (422 {@code too-many-frames}) and every frame's size is bounded.</li>
 * </ol>
 * The EXIF orientation of JPEG (APP1 {@code Exif}), TIFF and PNG ({@code eXIf}) files is read from the bytes here too.
 */
public final class ImageInspector {

    private static final int HEAD_LENGTH = 32;

    static {
        ImageIO.setUseCache(false);
    }

    private final ImageLimits limits;

    public ImageInspector(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    /** {@link #inspect(Path, ImageLimits)} with this inspector's limits. */
    public ImageInfo inspect(Path file) throws IOException {
        return inspect(file, limits);
    }

    /**
     * What {@code file} is, or an {@link ImageProblem} saying why it is refused.
     *
     * @throws IOException when the local file itself cannot be read (missing, unreadable)
     */
    public static ImageInfo inspect(Path file, ImageLimits limits) throws IOException {
        long bytes = Files.size(file);
        checkSize(bytes, limits);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            byte[] head = new byte[HEAD_LENGTH];
            int headLength = readHead(channel, head);
            ImageFormat format = sniff(head, headLength);
            ImageHeaders.Declared declared;
            try {
                declared = ImageHeaders.read(channel, format, head, headLength);
            } catch (IOException e) {
                throw ImageProblem.corrupt("The " + format.id() + " header is truncated.", e);
            }
            checkDeclared(format, declared, limits);
            int webpFrames = format == ImageFormat.WEBP ? webpFrames(channel, limits) : 1;
            return readHeader(file, format, declared.orientation(), bytes, limits, webpFrames);
        }
    }

    static void checkSize(long bytes, ImageLimits limits) {
        if (bytes == 0) {
            throw new ImageProblem(ImageProblem.Kind.EMPTY_IMAGE, "The image is empty (0 bytes).");
        }
        if (bytes > limits.maxBytes()) {
            throw new ImageProblem(ImageProblem.Kind.IMAGE_TOO_LARGE,
                    "The image is " + bytes + " bytes; the limit is " + limits.maxBytes() + " bytes.");
        }
    }

    static ImageFormat sniff(byte[] head, int length) {
        ImageFormat format = ImageFormat.sniff(head, length);
        if (format == null) {
            throw new ImageProblem(ImageProblem.Kind.UNSUPPORTED_FORMAT,
                    "The file is not an image in a supported format (JPEG, PNG, GIF, WebP, AVIF, HEIC, TIFF, BMP).");
        }
        if (!format.canRead()) {
            throw new ImageProblem(ImageProblem.Kind.UNSUPPORTED_FORMAT,
                    "The image is " + format.id() + ", which this server cannot read.");
        }
        return format;
    }

    static void checkDeclared(ImageFormat format, ImageHeaders.Declared declared, ImageLimits limits) {
        if (declared.width() > 0 && declared.height() > 0) {
            checkPixels(format, declared.width(), declared.height(), limits);
        }
    }

    private static void checkPixels(ImageFormat format, long width, long height, ImageLimits limits) {
        if (width * height > limits.maxPixels()) {
            throw new ImageProblem(ImageProblem.Kind.DECOMPRESSION_BOMB,
                    "The " + format.id() + " declares " + width + "x" + height + " pixels (" + width * height
                            + "); the limit is " + limits.maxPixels() + " pixels.");
        }
    }

    /**
     * The frames of an animated WebP, counted from its ANMF chunks without decoding (422 {@code too-many-frames} past
     * the limit, 422 {@code corrupt-image} for chunks that do not add up); 1 for a still WebP.
     */
    private static int webpFrames(SeekableByteChannel channel, ImageLimits limits) {
        AnimatedWebp.Layout layout;
        try {
            layout = AnimatedWebp.frames(channel, limits.maxFrames(), limits.maxPixels());
        } catch (IOException e) {
            throw ImageProblem.corrupt("The webp's frames cannot be read: " + reason(e), e);
        }
        if (layout == null) {
            return 1;
        }
        if (layout.frames() > limits.maxFrames()) {
            throw new ImageProblem(ImageProblem.Kind.TOO_MANY_FRAMES, "The image has more than "
                    + limits.maxFrames() + " frames; the limit is " + limits.maxFrames() + ".");
        }
        if (layout.frames() == 0) {
            throw ImageProblem.corrupt("The animated webp has no frame.", null);
        }
        return layout.frames();
    }

    private static ImageInfo readHeader(Path file, ImageFormat format, int orientation, long bytes,
                                        ImageLimits limits, int webpFrames) throws IOException {
        ImageReader reader = readerFor(format);
        try (ImageInputStream input = new FileImageInputStream(file.toFile())) {
            reader.setInput(input, false, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw ImageProblem.corrupt("The " + format.id() + " header cannot be read: " + reason(e), e);
            }
            if (width <= 0 || height <= 0) {
                throw ImageProblem.corrupt("The " + format.id() + " header gives no size.", null);
            }
            checkPixels(format, width, height, limits);
            int frames = format == ImageFormat.GIF ? countFrames(reader, format, limits) : webpFrames;
            return new ImageInfo(format, width, height, orientation, frames, hasAlpha(reader), bytes);
        } finally {
            reader.dispose();
        }
    }

    static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
        if (!readers.hasNext()) {
            throw new ImageProblem(ImageProblem.Kind.UNSUPPORTED_FORMAT,
                    "The image is " + format.id() + ", which this server cannot read.");
        }
        return readers.next();
    }

    /**
     * Frames of a GIF, walking the image descriptors (the reader skips each frame's data blocks without
     * decompressing them) and stopping at {@code maxFrames + 1}; every frame's size is bounded too.
     */
    private static int countFrames(ImageReader reader, ImageFormat format, ImageLimits limits) {
        int frames = 1;
        while (frames <= limits.maxFrames()) {
            int width;
            int height;
            try {
                width = reader.getWidth(frames);
                height = reader.getHeight(frames);
            } catch (IndexOutOfBoundsException e) {
                break; // no frame at that index: all counted
            } catch (IOException | RuntimeException e) {
                break; // a damaged trailer after good frames: the first frame is what gets rendered
            }
            checkPixels(format, width, height, limits);
            frames++;
        }
        if (frames > limits.maxFrames()) {
            throw new ImageProblem(ImageProblem.Kind.TOO_MANY_FRAMES,
                    "The image has more than " + limits.maxFrames() + " frames; the limit is "
                            + limits.maxFrames() + ".");
        }
        return frames;
    }

    private static boolean hasAlpha(ImageReader reader) {
        try {
            ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type == null) {
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                type = types.hasNext() ? types.next() : null;
            }
            ColorModel model = type == null ? null : type.getColorModel();
            return model != null && model.hasAlpha();
        } catch (IOException | RuntimeException e) {
            return false; // not known from the header: decided again on the decoded image
        }
    }

    private static int readHead(SeekableByteChannel channel, byte[] head) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(head);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return buffer.position();
    }

    static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
