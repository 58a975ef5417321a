package routes.images;

import java.awt.Color;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import net.coobird.thumbnailator.Thumbnails;

/**
 * Renders a {@link ResizeSpec} of a source that {@link ImageInspector} has accepted. The pipeline, one small step
 * each:
 * <ol>
 *   <li>{@link #plan plan} - the output size from the header alone (over the output limits: 400
 *       {@code output-too-large}, before decoding) and the source subsampling: the largest whole factor that
 *       still decodes at least twice the size the image is scaled to, so a 4000x3000 JPEG asked at 320 wide is
 *       decoded at 667x500;</li>
 *   <li>{@link #decode decode} - ImageIO with {@link ImageReadParam#setSourceSubsampling}; only the first frame
 *       of a GIF; a decoder failure, and a JPEG whose data ends early (libjpeg's "premature end" warning), are a 422
 *       {@code corrupt-image} rather than a half-grey rendition that would be cached;</li>
 *   <li>EXIF {@link Pixels#orient orientation}, manual {@link #cropManually crop}, {@link #trim}, {@code rotate};</li>
 *   <li>{@link #resize} with Thumbnailator: fit-in, fill (crop at the gravity) or scale, never larger than the
 *       source unless {@code upscale};</li>
 *   <li>flips, grayscale, blur, {@link Pixels#pad padding} to the fit-in box with the fill colour;</li>
 *   <li>{@link #encode}: alpha flattened onto the fill colour (white by default) for JPEG and BMP, JPEG written at
 *       the requested quality, no metadata (so no EXIF) in any output.</li>
 * </ol>
 * Thread-safe; holds no state but its limits.
 */
public final class ImageResizer {

    /** Trim treats colours within this distance per channel as the border colour (absorbs JPEG noise). */
    static final int TRIM_TOLERANCE = 10;

    static {
        ImageIO.setUseCache(false);
    }

    private final ImageLimits limits;

    public ImageResizer(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageResizer() {
        this(ImageLimits.defaults());
    }

    /**
     * Writes the rendition of {@code source} (as {@code info} describes it) made by {@code spec} to {@code out},
     * which is not closed.
     *
     * @throws ImageProblem for anything wrong with the image or the spec
     * @throws IOException  when {@code out} cannot be written
     */
    public RenderResult render(Path source, ImageInfo info, ResizeSpec spec, OutputStream out) throws IOException {
        ImageFormat format = outputFormat(info, spec);
        boolean animatedSource = info.frames() > 1
                && (info.format() == ImageFormat.GIF || info.format() == ImageFormat.WEBP);
        if (animatedSource && (format == ImageFormat.GIF || format == ImageFormat.WEBP)) {
            return renderAnimated(source, info, spec, format, out);
        }
        Plan plan = plan(info, spec);
        BufferedImage image = decode(source, info, plan.subsampling());
        image = Pixels.orient(image, info.orientation());
        Size region = plan.region();
        if (spec.crop() != null) {
            image = cropManually(image, plan);
        }
        if (spec.trim()) {
            Rectangle kept = Pixels.trimBounds(image, TRIM_TOLERANCE);
            image = Pixels.crop(image, kept);
            region = new Size(kept.width * plan.subsampling(), kept.height * plan.subsampling());
        }
        image = Pixels.rotate(image, spec.rotate());
        if (spec.rotate() == 90 || spec.rotate() == 270) {
            region = region.transposed();
        }
        Target target = target(region, spec);
        return encode(sized(image, spec, target), format, spec, out);
    }

    /**
     * An animated GIF or WebP rendered frame by frame into an animated GIF or WebP (within the frame limit the
     * inspection checked): every whole frame cropped, trimmed (by the first frame's bounds), rotated, sized, flipped,
     * coloured and padded alike, with its delay kept. A smart crop is centred here, so the window does not move
     * between frames.
     */
    private RenderResult renderAnimated(Path source, ImageInfo info, ResizeSpec asked, ImageFormat format,
            OutputStream out) throws IOException {
        if (format == ImageFormat.WEBP && !AnimatedWebp.canWrite()) {
            throw ImageProblem.badOptions("The image is animated and this server cannot write animated WebP"
                    + " (img2webp is not installed): ask for f:gif to keep the frames, or f:png for the first one.");
        }
        ResizeSpec spec = asked.gravity() == Gravity.SMART ? asked.toBuilder().gravity(Gravity.CENTER).build() : asked;
        List<AnimatedWebp.Frame> made = new ArrayList<>();
        Target[] target = new Target[1];
        Rectangle[] trimmed = new Rectangle[1];
        java.util.function.BiConsumer<BufferedImage, Integer> each = (whole, millis) -> {
            BufferedImage image = whole;
            if (spec.crop() != null) {
                image = Pixels.crop(image, cropRectangle(image.getWidth(), image.getHeight(), spec.crop()));
            }
            if (spec.trim()) {
                if (trimmed[0] == null) {
                    trimmed[0] = Pixels.trimBounds(image, TRIM_TOLERANCE);
                }
                image = Pixels.crop(image, trimmed[0]);
            }
            image = Pixels.rotate(image, spec.rotate());
            if (target[0] == null) {
                target[0] = target(new Size(image.getWidth(), image.getHeight()), spec);
                Size canvas = target[0].canvas();
                long pixels = (long) canvas.width() * canvas.height() * info.frames();
                if (pixels > limits.maxPixels()) {
                    throw new ImageProblem(ImageProblem.Kind.OUTPUT_TOO_LARGE, "The animation would be "
                            + info.frames() + " frames of " + canvas.width() + "x" + canvas.height() + ", "
                            + pixels + " pixels in all; the limit is " + limits.maxPixels() + ". Ask for a smaller"
                            + " size, or for its first frame in another format.");
                }
            }
            try {
                made.add(new AnimatedWebp.Frame(sized(image, spec, target[0]), millis));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        String name = info.format() == ImageFormat.GIF ? "GIF" : "WebP";
        try {
            if (info.format() == ImageFormat.GIF) {
                AnimatedGif.read(source, limits.maxFrames(), limits.maxPixels(),
                        frame -> each.accept(frame.image(), frame.delay() * 10));
            } else {
                AnimatedWebp.read(source, limits.maxFrames(), limits.maxPixels(),
                        frame -> each.accept(frame.image(), frame.durationMillis()));
            }
        } catch (ImageProblem e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ImageProblem.corrupt("The " + name + "'s frames cannot be read: " + ImageInspector.reason(e), e);
        }
        if (made.isEmpty()) {
            throw ImageProblem.corrupt("The " + name + " has no frame that can be read.", null);
        }
        CountingOutputStream counted = new CountingOutputStream(out);
        if (format == ImageFormat.GIF) {
            AnimatedGif.write(made.stream().map(f -> new AnimatedGif.Frame(f.image(),
                    Math.max(1, Math.round(f.durationMillis() / 10f)))).toList(), counted);
        } else {
            AnimatedWebp.write(made, spec.quality(), counted);
        }
        BufferedImage first = made.get(0).image();
        return new RenderResult(format, first.getWidth(), first.getHeight(), counted.count, format.contentType());
    }

    /** The upright, cropped image sized to the target, flipped, greyed, blurred and padded as {@code spec} asks. */
    private static BufferedImage sized(BufferedImage upright, ResizeSpec spec, Target target) throws IOException {
        BufferedImage image = resize(upright, spec, target);
        image = Pixels.flip(image, spec.flipH(), spec.flipV());
        if (spec.grayscale()) {
            image = Pixels.grayscale(image);
        }
        image = Pixels.blur(image, spec.blur());
        if (spec.pads()) {
            image = Pixels.pad(image, target.canvas().width(), target.canvas().height(), spec.fillColor(),
                    spec.gravity().position());
        }
        return image;
    }

    /**
     * The grey a grey PNG's {@code tRNS} chunk makes transparent, as the 8-bit sample the JDK's reader gives it, or -1:
     * the reader applies it at 8 and 16 bits, but at 1, 2 or 4 (PngSuite's {@code tbbn0g04}) it compares the value
     * with the sample scaled to 8 bits and leaves every pixel opaque.
     */
    private static int transparentGrey(ImageReader reader) throws IOException {
        javax.imageio.metadata.IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null) {
            return -1;
        }
        int bits = 8;
        for (org.w3c.dom.Node n = metadata.getAsTree("javax_imageio_png_1.0").getFirstChild(); n != null;
                n = n.getNextSibling()) {
            if (n.getNodeName().equals("IHDR")) {
                String depth = ((javax.imageio.metadata.IIOMetadataNode) n).getAttribute("bitDepth");
                String colour = ((javax.imageio.metadata.IIOMetadataNode) n).getAttribute("colorType");
                bits = Integer.parseInt(depth);
                if (!colour.equals("Grayscale") || bits >= 8) {
                    return -1;
                }
            }
            if (n.getNodeName().equals("tRNS")) {
                for (org.w3c.dom.Node t = n.getFirstChild(); t != null; t = t.getNextSibling()) {
                    if (t.getNodeName().equals("tRNS_Grayscale")) {
                        int gray = Integer.parseInt(((javax.imageio.metadata.IIOMetadataNode) t).getAttribute("gray"));
                        return gray * 255 / ((1 << bits) - 1);
                    }
                }
            }
        }
        return -1;
    }

    /** A width and a height. */
    record Size(int width, int height) {
        Size transposed() {
            return new Size(height, width);
        }
    }

    /**
     * The sizes one render goes through.
     *
     * @param scaled the upright (cropped, rotated) source scaled by the fit, before a fill crop
     * @param output the image after the fill crop (= scaled for fit-in and scale)
     * @param canvas the final size, with padding
     */
    record Target(Size scaled, Size output, Size canvas) {
    }

    /**
     * @param region      the part of the upright source that is used (after the manual crop), in source pixels
     * @param crop        that part as a rectangle of the upright source
     * @param target      the sizes, as far as the header tells (trim can still change them)
     * @param subsampling the decoding factor
     */
    record Plan(Size region, Rectangle crop, Target target, int subsampling) {
    }

    ImageFormat outputFormat(ImageInfo info, ResizeSpec spec) {
        ImageFormat format = spec.outputFormat(info.format());
        if (!format.canWrite()) {
            throw ImageProblem.badOptions("f: " + format.id() + " cannot be written by this server.");
        }
        return format;
    }

    /** The output size and the subsampling factor, from the header and the spec; checks the output limits. */
    Plan plan(ImageInfo info, ResizeSpec spec) {
        Rectangle crop = cropRectangle(info.displayWidth(), info.displayHeight(), spec.crop());
        Size region = new Size(crop.width, crop.height);
        Size rotated = spec.rotate() == 90 || spec.rotate() == 270 ? region.transposed() : region;
        Target target = target(rotated, spec);
        int subsampling = 1;
        if (!spec.trim()) { // trim's result is unknown until decoded: keep full resolution for it
            double factor = Math.min(rotated.width() / (2.0 * target.scaled().width()),
                    rotated.height() / (2.0 * target.scaled().height()));
            subsampling = Math.max(1, (int) Math.floor(factor));
        }
        return new Plan(region, crop, target, subsampling);
    }

    /** The manual crop as a rectangle of a {@code width} x {@code height} upright image, clamped to it. */
    static Rectangle cropRectangle(int width, int height, ResizeSpec.Crop crop) {
        if (crop == null) {
            return new Rectangle(0, 0, width, height);
        }
        int left = crop.left() == null ? 0 : crop.left();
        int top = crop.top() == null ? 0 : crop.top();
        int right = crop.right() == null ? width : Math.min(crop.right(), width);
        int bottom = crop.bottom() == null ? height : Math.min(crop.bottom(), height);
        if (left >= right || top >= bottom) {
            throw ImageProblem.badOptions("crop: " + crop.canonical() + " lies outside the " + width + "x" + height
                    + " image.");
        }
        return new Rectangle(left, top, right - left, bottom - top);
    }

    /** The sizes for a {@code region}-sized upright source; beyond the output limits is a 400. */
    Target target(Size region, ResizeSpec spec) {
        Integer w = spec.width();
        Integer h = spec.height();
        Fit fit = spec.fit().resolved(region.width(), region.height(), w, h);
        double sx;
        double sy;
        if (w == null && h == null) {
            sx = 1;
            sy = 1;
        } else if (w == null) {
            sx = (double) h / region.height();
            sy = sx;
        } else if (h == null) {
            sx = (double) w / region.width();
            sy = sx;
        } else {
            int boxW = w;
            int boxH = h;
            // Thumbor's adaptive fits: a box of the other orientation than the source is turned
            if (fit.adaptive() && Integer.signum(region.width() - region.height()) * Integer.signum(w - h) < 0) {
                boxW = h;
                boxH = w;
            }
            double fx = (double) boxW / region.width();
            double fy = (double) boxH / region.height();
            if (fit == Fit.SCALE) {
                sx = fx;
                sy = fy;
            } else {
                sx = sy = fit.covers() ? Math.max(fx, fy) : Math.min(fx, fy);
            }
        }
        if (!spec.upscale()) {
            sx = Math.min(sx, 1);
            sy = Math.min(sy, 1);
        }
        Size scaled = new Size(scale(region.width(), sx), scale(region.height(), sy));
        Size output = scaled;
        if (fit == Fit.FILL && w != null && h != null) {
            output = new Size(Math.min(w, scaled.width()), Math.min(h, scaled.height()));
        }
        Size canvas = spec.pads() ? new Size(w, h) : output;
        if (canvas.width() > limits.maxOutputWidth() || canvas.height() > limits.maxOutputHeight()) {
            throw new ImageProblem(ImageProblem.Kind.OUTPUT_TOO_LARGE, "The output would be " + canvas.width() + "x"
                    + canvas.height() + "; the limit is " + limits.maxOutputWidth() + "x" + limits.maxOutputHeight()
                    + ". Ask for a smaller size.");
        }
        return new Target(scaled, output, canvas);
    }

    /** {@code length * factor} rounded, at least 1. */
    private static int scale(int length, double factor) {
        return (int) Math.max(1, Math.round(length * factor));
    }

    /** Reads the first frame with the planned subsampling; any decoder failure is a 422 corrupt-image. */
    BufferedImage decode(Path source, ImageInfo info, int subsampling) {
        if (info.format() == ImageFormat.WEBP && AnimatedWebp.isAnimated(source)) {
            return firstWebpFrame(source);
        }
        ImageReader reader = ImageInspector.readerFor(info.format());
        PrematureEnd prematureEnd = new PrematureEnd();
        try (ImageInputStream input = new FileImageInputStream(source.toFile())) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener(prematureEnd);
            ImageReadParam param = reader.getDefaultReadParam();
            if (subsampling > 1) {
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            if (prematureEnd.seen) {
                throw ImageProblem.corrupt("The " + info.format().id() + " data ends before the image does "
                        + "(truncated file).", null);
            }
            if (info.format() == ImageFormat.PNG) {
                image = Pixels.transparentGrey(image, transparentGrey(reader));
            }
            return image;
        } catch (ImageProblem e) {
            throw e;
        } catch (IIOException e) {
            if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                throw new ImageProblem(ImageProblem.Kind.UNSUPPORTED_FORMAT, "The " + info.format().id()
                        + " uses a colour space this server cannot decode (e.g. CMYK).", e);
            }
            throw ImageProblem.corrupt("The " + info.format().id() + " cannot be decoded: "
                    + ImageInspector.reason(e), e);
        } catch (IOException | RuntimeException e) {
            throw ImageProblem.corrupt("The " + info.format().id() + " cannot be decoded: "
                    + ImageInspector.reason(e), e);
        } finally {
            reader.dispose();
        }
    }

    /** The first whole frame of an animated WebP (libwebp's still decoder refuses the animation container). */
    private BufferedImage firstWebpFrame(Path source) {
        BufferedImage[] first = new BufferedImage[1];
        try {
            AnimatedWebp.read(source, 1, limits.maxPixels(), frame -> first[0] = frame.image());
        } catch (ImageProblem e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ImageProblem.corrupt("The WebP's first frame cannot be read: " + ImageInspector.reason(e), e);
        }
        return first[0];
    }

    /**
     * Notes the JPEG reader's warnings for data that ends early ("Truncated File - Missing EOI marker", libjpeg's
     * "premature end of data segment"); the reader then pads the image with grey and returns it. Other warnings,
     * like extraneous bytes before a marker, are common in camera files and harmless.
     */
    private static final class PrematureEnd implements IIOReadWarningListener {
        volatile boolean seen;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String w = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
            if (w.contains("premature end") || w.contains("truncated file")) {
                seen = true;
            }
        }
    }

    /** The planned manual crop, mapped onto the (subsampled) decoded image. */
    static BufferedImage cropManually(BufferedImage image, Plan plan) {
        int s = plan.subsampling();
        Rectangle crop = plan.crop();
        int x = Math.min(crop.x / s, image.getWidth() - 1);
        int y = Math.min(crop.y / s, image.getHeight() - 1);
        int right = Math.min(Math.max(x + 1, ceilDiv(crop.x + crop.width, s)), image.getWidth());
        int bottom = Math.min(Math.max(y + 1, ceilDiv(crop.y + crop.height, s)), image.getHeight());
        return Pixels.crop(image, new Rectangle(x, y, right - x, bottom - y));
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** Scales (and for fill, crops at the gravity) the decoded image to the target with Thumbnailator. */
    static BufferedImage resize(BufferedImage image, ResizeSpec spec, Target target) throws IOException {
        int dw = image.getWidth();
        int dh = image.getHeight();
        Size scaled = target.scaled();
        Size output = target.output();
        Rectangle window = new Rectangle(0, 0, dw, dh);
        if (!output.equals(scaled)) { // fill: the part of the decoded image that ends up in the output
            int ww = Math.max(1, Math.min(dw, (int) Math.round((double) output.width() * dw / scaled.width())));
            int wh = Math.max(1, Math.min(dh, (int) Math.round((double) output.height() * dh / scaled.height())));
            Point at = spec.gravity() == Gravity.SMART ? SmartCrop.window(image, ww, wh)
                    : spec.gravity().position().calculate(dw, dh, ww, wh, 0, 0, 0, 0);
            window = new Rectangle(at.x, at.y, ww, wh);
        }
        if (window.width == output.width() && window.height == output.height()) {
            return Pixels.crop(image, window);
        }
        BufferedImage in = image.getType() == BufferedImage.TYPE_CUSTOM
                || image.getType() == BufferedImage.TYPE_BYTE_INDEXED
                || image.getType() == BufferedImage.TYPE_BYTE_BINARY ? Pixels.toInt(image) : image;
        try {
            return Thumbnails.of(in)
                    .sourceRegion(window)
                    .forceSize(output.width(), output.height())
                    .asBufferedImage();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ImageProblem.corrupt("The image cannot be resized: " + ImageInspector.reason(e), e);
        }
    }

    /** Writes the image in {@code format} without metadata; counts the bytes. */
    static RenderResult encode(BufferedImage image, ImageFormat format, ResizeSpec spec, OutputStream out)
            throws IOException {
        BufferedImage ready = image;
        if (format == ImageFormat.JPEG || format == ImageFormat.BMP) {
            Color fill = spec.fillColor();
            ready = Pixels.flatten(image, fill == null || fill.getAlpha() < 255 ? Color.WHITE : fill);
            int type = ready.getType();
            if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_3BYTE_BGR
                    && type != BufferedImage.TYPE_BYTE_GRAY) {
                ready = Pixels.toInt(ready);
            }
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.id());
        if (!writers.hasNext()) {
            throw ImageProblem.badOptions("f: " + format.id() + " cannot be written by this server.");
        }
        ImageWriter writer = writers.next();
        CountingOutputStream counting = new CountingOutputStream(out);
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(counting)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if ((format == ImageFormat.JPEG || format == ImageFormat.WEBP || format == ImageFormat.AVIF)
                    && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                String[] types = param.getCompressionTypes();
                if (param.getCompressionType() == null && types != null && types.length > 0) {
                    param.setCompressionType(types[0]);
                }
                param.setCompressionQuality(spec.quality() / 100f);
            }
            writer.write(null, new IIOImage(ready, null, null), param);
        } finally {
            writer.dispose();
        }
        counting.flush();
        return new RenderResult(format, ready.getWidth(), ready.getHeight(), counting.count, format.contentType());
    }

    /** Counts what passes through; does not close the stream it wraps. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
