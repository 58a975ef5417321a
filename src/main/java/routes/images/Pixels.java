package routes.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import net.coobird.thumbnailator.geometry.Position;

/**
 * The pixel steps of the resize pipeline that Thumbnailator does not do, on packed ARGB ints. Each returns a new
 * {@link BufferedImage#TYPE_INT_RGB} or {@link BufferedImage#TYPE_INT_ARGB} image (or the input when there is
 * nothing to do) and never changes its input.
 */
final class Pixels {

    private Pixels() {
    }

    /** The image as INT_RGB or INT_ARGB (by whether it has alpha); the input itself when it already is one. */
    static BufferedImage toInt(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage out = blank(w, h, alpha);
        int[] dst = data(out);
        if (type == BufferedImage.TYPE_3BYTE_BGR && image.getRaster().getDataBuffer() instanceof DataBufferByte bytes
                && isPacked(image, 3)) {
            byte[] src = bytes.getData(); // the decoders' usual output: skip the per-pixel colour model
            for (int i = 0, j = 0; i < dst.length; i++, j += 3) {
                dst[i] = (src[j + 2] & 0xFF) << 16 | (src[j + 1] & 0xFF) << 8 | (src[j] & 0xFF);
            }
        } else if (type == BufferedImage.TYPE_4BYTE_ABGR
                && image.getRaster().getDataBuffer() instanceof DataBufferByte bytes && isPacked(image, 4)) {
            byte[] src = bytes.getData();
            for (int i = 0, j = 0; i < dst.length; i++, j += 4) {
                dst[i] = (src[j] & 0xFF) << 24 | (src[j + 3] & 0xFF) << 16 | (src[j + 2] & 0xFF) << 8
                        | (src[j + 1] & 0xFF);
            }
        } else {
            image.getRGB(0, 0, w, h, dst, 0, w);
        }
        return out;
    }

    /** Whether the raster is the image's own, row after row with no padding or offset (not a sub-image). */
    private static boolean isPacked(BufferedImage image, int bytesPerPixel) {
        var raster = image.getRaster();
        return raster.getParent() == null && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && raster.getDataBuffer().getSize() == image.getWidth() * image.getHeight() * bytesPerPixel
                && raster.getDataBuffer().getNumBanks() == 1 && raster.getDataBuffer().getOffset() == 0;
    }

    /**
     * The image as it should be displayed given its EXIF orientation (1 upright; 2 mirrored; 3 upside down;
     * 4 mirrored upside down; 5 transposed; 6 needs a quarter turn clockwise; 7 transversed; 8 needs a quarter
     * turn counter-clockwise).
     */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        BufferedImage in = toInt(image);
        int w = in.getWidth();
        int h = in.getHeight();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] src = data(in);
        BufferedImage out = blank(ow, oh, in.getColorModel().hasAlpha());
        int[] dst = data(out);
        for (int y = 0; y < oh; y++) {
            int row = y * ow;
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                dst[row + x] = src[sy * w + sx];
            }
        }
        return out;
    }

    /** Rotated clockwise by 0, 90, 180 or 270 degrees. */
    static BufferedImage rotate(BufferedImage image, int degrees) {
        return switch (degrees) {
            case 90 -> orient(image, 6);
            case 180 -> orient(image, 3);
            case 270 -> orient(image, 8);
            default -> image;
        };
    }

    static BufferedImage flip(BufferedImage image, boolean horizontal, boolean vertical) {
        if (horizontal && vertical) {
            return orient(image, 3);
        }
        if (horizontal) {
            return orient(image, 2);
        }
        return vertical ? orient(image, 4) : image;
    }

    /** Luma (Rec. 601 weights) in all three channels; alpha kept. */
    static BufferedImage grayscale(BufferedImage image) {
        BufferedImage in = toInt(image);
        BufferedImage out = blank(in.getWidth(), in.getHeight(), in.getColorModel().hasAlpha());
        int[] src = data(in);
        int[] dst = data(out);
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            int y = (((p >> 16) & 0xFF) * 299 + ((p >> 8) & 0xFF) * 587 + (p & 0xFF) * 114 + 500) / 1000;
            dst[i] = (p & 0xFF000000) | y << 16 | y << 8 | y;
        }
        return out;
    }

    /**
     * Gaussian blur of standard deviation {@code sigma}, approximated by three successive box blurs, each done
     * horizontally then vertically with edges clamped: the cost does not grow with sigma.
     */
    static BufferedImage blur(BufferedImage image, double sigma) {
        if (sigma <= 0) {
            return image;
        }
        BufferedImage in = toInt(image);
        int w = in.getWidth();
        int h = in.getHeight();
        BufferedImage out = blank(w, h, in.getColorModel().hasAlpha());
        int[] a = data(in).clone();
        int[] b = new int[a.length];
        for (int size : boxSizes(sigma, 3)) {
            int r = (size - 1) / 2;
            if (r == 0) {
                continue;
            }
            boxHorizontal(a, b, w, h, r);
            boxVertical(b, a, w, h, r);
        }
        System.arraycopy(a, 0, data(out), 0, a.length);
        return out;
    }

    /** Odd box widths whose successive application approximates a Gaussian of {@code sigma} (W. Jarosz). */
    static int[] boxSizes(double sigma, int n) {
        double ideal = Math.sqrt(12 * sigma * sigma / n + 1);
        int lower = (int) Math.floor(ideal);
        if (lower % 2 == 0) {
            lower--;
        }
        int upper = lower + 2;
        double mIdeal = (12 * sigma * sigma - n * lower * lower - 4 * n * lower - 3 * n) / (-4.0 * lower - 4);
        long m = Math.round(mIdeal);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = i < m ? lower : upper;
        }
        return sizes;
    }

    private static void boxHorizontal(int[] src, int[] dst, int w, int h, int r) {
        int window = 2 * r + 1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int sa = 0;
            int sr = 0;
            int sg = 0;
            int sb = 0;
            for (int i = -r; i <= r; i++) {
                int p = src[row + clamp(i, w)];
                sa += p >>> 24;
                sr += (p >> 16) & 0xFF;
                sg += (p >> 8) & 0xFF;
                sb += p & 0xFF;
            }
            for (int x = 0; x < w; x++) {
                dst[row + x] = pack(sa, sr, sg, sb, window);
                int in = src[row + clamp(x + r + 1, w)];
                int outP = src[row + clamp(x - r, w)];
                sa += (in >>> 24) - (outP >>> 24);
                sr += ((in >> 16) & 0xFF) - ((outP >> 16) & 0xFF);
                sg += ((in >> 8) & 0xFF) - ((outP >> 8) & 0xFF);
                sb += (in & 0xFF) - (outP & 0xFF);
            }
        }
    }

    private static void boxVertical(int[] src, int[] dst, int w, int h, int r) {
        int window = 2 * r + 1;
        for (int x = 0; x < w; x++) {
            int sa = 0;
            int sr = 0;
            int sg = 0;
            int sb = 0;
            for (int i = -r; i <= r; i++) {
                int p = src[clamp(i, h) * w + x];
                sa += p >>> 24;
                sr += (p >> 16) & 0xFF;
                sg += (p >> 8) & 0xFF;
                sb += p & 0xFF;
            }
            for (int y = 0; y < h; y++) {
                dst[y * w + x] = pack(sa, sr, sg, sb, window);
                int in = src[clamp(y + r + 1, h) * w + x];
                int outP = src[clamp(y - r, h) * w + x];
                sa += (in >>> 24) - (outP >>> 24);
                sr += ((in >> 16) & 0xFF) - ((outP >> 16) & 0xFF);
                sg += ((in >> 8) & 0xFF) - ((outP >> 8) & 0xFF);
                sb += (in & 0xFF) - (outP & 0xFF);
            }
        }
    }

    private static int clamp(int i, int length) {
        return i < 0 ? 0 : i >= length ? length - 1 : i;
    }

    private static int pack(int sa, int sr, int sg, int sb, int window) {
        int half = window / 2;
        return ((sa + half) / window) << 24 | ((sr + half) / window) << 16 | ((sg + half) / window) << 8
                | ((sb + half) / window);
    }

    /**
     * The part of the image left after cutting away every border row and column whose pixels all match the
     * top-left pixel within {@code tolerance} per channel (alpha included); the whole image when all of it does.
     */
    static Rectangle trimBounds(BufferedImage image, int tolerance) {
        BufferedImage in = toInt(image);
        int w = in.getWidth();
        int h = in.getHeight();
        int[] px = data(in);
        boolean alpha = in.getColorModel().hasAlpha();
        int reference = px[0];
        int top = 0;
        while (top < h && rowMatches(px, w, top, 0, w, reference, tolerance, alpha)) {
            top++;
        }
        if (top == h) {
            return new Rectangle(0, 0, w, h);
        }
        int bottom = h - 1;
        while (bottom > top && rowMatches(px, w, bottom, 0, w, reference, tolerance, alpha)) {
            bottom--;
        }
        int left = 0;
        while (left < w && columnMatches(px, w, left, top, bottom, reference, tolerance, alpha)) {
            left++;
        }
        int right = w - 1;
        while (right > left && columnMatches(px, w, right, top, bottom, reference, tolerance, alpha)) {
            right--;
        }
        return new Rectangle(left, top, right - left + 1, bottom - top + 1);
    }

    private static boolean rowMatches(int[] px, int w, int y, int from, int to, int ref, int tol, boolean alpha) {
        for (int x = from; x < to; x++) {
            if (!near(px[y * w + x], ref, tol, alpha)) {
                return false;
            }
        }
        return true;
    }

    private static boolean columnMatches(int[] px, int w, int x, int top, int bottom, int ref, int tol,
                                         boolean alpha) {
        for (int y = top; y <= bottom; y++) {
            if (!near(px[y * w + x], ref, tol, alpha)) {
                return false;
            }
        }
        return true;
    }

    private static boolean near(int p, int q, int tolerance, boolean alpha) {
        return Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF)) <= tolerance
                && Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF)) <= tolerance
                && Math.abs((p & 0xFF) - (q & 0xFF)) <= tolerance
                && (!alpha || Math.abs((p >>> 24) - (q >>> 24)) <= tolerance);
    }

    /** A copy of {@code area} of the image. */
    static BufferedImage crop(BufferedImage image, Rectangle area) {
        if (area.x == 0 && area.y == 0 && area.width == image.getWidth() && area.height == image.getHeight()) {
            return image;
        }
        BufferedImage in = toInt(image);
        BufferedImage out = blank(area.width, area.height, in.getColorModel().hasAlpha());
        int[] src = data(in);
        int[] dst = data(out);
        for (int y = 0; y < area.height; y++) {
            System.arraycopy(src, (area.y + y) * in.getWidth() + area.x, dst, y * area.width, area.width);
        }
        return out;
    }

    /** The image on a {@code width} x {@code height} canvas of {@code background}, placed at {@code position}. */
    static BufferedImage pad(BufferedImage image, int width, int height, Color background, Position position) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        boolean alpha = image.getColorModel().hasAlpha() || background.getAlpha() < 255;
        BufferedImage out = blank(width, height, alpha);
        Point at = position.calculate(width, height, image.getWidth(), image.getHeight(), 0, 0, 0, 0);
        Graphics2D g = out.createGraphics();
        try {
            g.setComposite(java.awt.AlphaComposite.Src);
            g.setColor(background);
            g.fillRect(0, 0, width, height);
            g.setComposite(java.awt.AlphaComposite.SrcOver);
            g.drawImage(image, at.x, at.y, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The image composited over an opaque {@code background}, as INT_RGB; the input when it has no alpha. */
    static BufferedImage flatten(BufferedImage image, Color background) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage in = toInt(image);
        BufferedImage out = blank(in.getWidth(), in.getHeight(), false);
        int[] src = data(in);
        int[] dst = data(out);
        int br = background.getRed();
        int bg = background.getGreen();
        int bb = background.getBlue();
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            int a = p >>> 24;
            int na = 255 - a;
            int r = (((p >> 16) & 0xFF) * a + br * na + 127) / 255;
            int g = (((p >> 8) & 0xFF) * a + bg * na + 127) / 255;
            int b = ((p & 0xFF) * a + bb * na + 127) / 255;
            dst[i] = 0xFF000000 | r << 16 | g << 8 | b;
        }
        return out;
    }

    static BufferedImage blank(int width, int height, boolean alpha) {
        return new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    }

    private static int[] data(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /**
     * A grey image with the pixels whose grey sample (band 0) is {@code sample} made transparent and the others opaque
     * (ARGB); the image itself when {@code sample} is -1.
     */
    static BufferedImage transparentGrey(BufferedImage grey, int sample) {
        if (sample < 0) {
            return grey;
        }
        BufferedImage out = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_INT_ARGB);
        java.awt.image.Raster raster = grey.getRaster();
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                int rgb = grey.getRGB(x, y);
                out.setRGB(x, y, raster.getSample(x, y, 0) == sample ? rgb & 0x00FFFFFF : rgb | 0xFF000000);
            }
        }
        return out;
    }

    /** A copy of {@code image} as {@code TYPE_INT_ARGB}, alpha included. */
    static BufferedImage argbCopy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = copy.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }

    /** {@code image} as a BufferedImage (itself when it is one). */
    static BufferedImage toBuffered(java.awt.image.RenderedImage image) {
        if (image instanceof BufferedImage buffered) {
            return buffered;
        }
        java.awt.image.ColorModel model = image.getColorModel();
        java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(image.getWidth(),
                image.getHeight());
        image.copyData(raster);
        return new BufferedImage(model, raster, model.isAlphaPremultiplied(), null);
    }
}
