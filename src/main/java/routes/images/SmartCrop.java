package routes.images;

import java.awt.Point;
import java.awt.image.BufferedImage;

/**
 * Where a crop window shows the most of an image: the window placed where the image's detail is, as imgproxy's
 * {@code sm} gravity and Thumbor's {@code smart} do (with libvips' attention and a feature detector); here by an
 * attention score of its own kind. On a grid of at most {@value #GRID} cells on the longer side, each cell scores
 * its edges (the luma differences to its right and lower neighbours) plus half its colourfulness (the spread of its
 * red, green and blue); summed areas give every window position's total, and the highest wins. A window over an
 * image with no detail anywhere (or the same everywhere) stays in the centre.
 */
final class SmartCrop {

    static final int GRID = 256;

    private SmartCrop() {
    }

    /** The top-left corner of a {@code width} x {@code height} window over {@code image} that shows most detail. */
    static Point window(BufferedImage image, int width, int height) {
        int iw = image.getWidth();
        int ih = image.getHeight();
        if (width >= iw && height >= ih) {
            return new Point(0, 0);
        }
        int step = Math.max(1, (int) Math.ceil(Math.max(iw, ih) / (double) GRID));
        int gw = Math.max(1, iw / step);
        int gh = Math.max(1, ih / step);
        double[][] luma = new double[gh][gw];
        double[][] colour = new double[gh][gw];
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                int rgb = image.getRGB(Math.min(iw - 1, x * step + step / 2), Math.min(ih - 1, y * step + step / 2));
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                luma[y][x] = 0.299 * r + 0.587 * g + 0.114 * b;
                colour[y][x] = Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
            }
        }
        // summed-area table of the scores: sums[y][x] = the total of the cells above and left of (x, y)
        double[][] sums = new double[gh + 1][gw + 1];
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                double edge = Math.abs(luma[y][x] - luma[y][Math.min(gw - 1, x + 1)])
                        + Math.abs(luma[y][x] - luma[Math.min(gh - 1, y + 1)][x]);
                double score = edge + 0.5 * colourSpread(colour, x, y, gw, gh);
                sums[y + 1][x + 1] = score + sums[y][x + 1] + sums[y + 1][x] - sums[y][x];
            }
        }
        int cw = Math.max(1, Math.min(gw, (int) Math.round(width / (double) step)));
        int ch = Math.max(1, Math.min(gh, (int) Math.round(height / (double) step)));
        int bestX = (gw - cw) / 2;
        int bestY = (gh - ch) / 2;
        double best = total(sums, bestX, bestY, cw, ch);
        boolean moved = false;
        for (int y = 0; y + ch <= gh; y++) {
            for (int x = 0; x + cw <= gw; x++) {
                double sum = total(sums, x, y, cw, ch);
                // clearly more than the best so far: a flat image keeps its centre
                if (sum > best * (1 + 1e-9) + 1e-6) {
                    best = sum;
                    bestX = x;
                    bestY = y;
                    moved = true;
                }
            }
        }
        if (!moved) {
            return new Point(Math.max(0, (iw - width) / 2), Math.max(0, (ih - height) / 2));
        }
        int left = Math.max(0, Math.min(iw - width, bestX * step));
        int top = Math.max(0, Math.min(ih - height, bestY * step));
        return new Point(width >= iw ? 0 : left, height >= ih ? 0 : top);
    }

    /** A cell's colourfulness, only where it differs from its neighbours' (a flat coloured background scores 0). */
    private static double colourSpread(double[][] colour, int x, int y, int gw, int gh) {
        double around = (colour[y][Math.max(0, x - 1)] + colour[y][Math.min(gw - 1, x + 1)]
                + colour[Math.max(0, y - 1)][x] + colour[Math.min(gh - 1, y + 1)][x]) / 4;
        return Math.abs(colour[y][x] - around);
    }

    private static double total(double[][] sums, int x, int y, int w, int h) {
        return sums[y + h][x + w] - sums[y][x + w] - sums[y + h][x] + sums[y][x];
    }
}
