package routes.images.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import routes.images.ImageInfo;
import routes.images.ImageFormat;
import routes.images.ImageInspector;
import routes.images.ImageLimits;
import routes.images.ImageResizer;
import routes.images.RenderResult;
import routes.images.ResizeSpec;

/**
 * Times {@link ImageResizer} on one large JPEG: inspect + render to a file per image, as a request would, after a
 * warm-up. Run by {@code bench/image-resize.sh}, which compares it with {@code vipsthumbnail}.
 *
 * <pre>ResizeBench [--source FILE] [--generate FILE] [--width 320] [--iterations 30] [--warmup 15] [--out FILE]
 *             [--clients 1]</pre>
 * With {@code --generate}, writes a 4000x3000 photo-like JPEG (quality 90) there first and uses it as the source.
 * With {@code --clients N}, N threads each warm up and then render {@code iterations} images at the same time, each
 * to a file of its own; the time per image is then the wall time over all images. Prints one line
 * {@code caravan-ms-per-image=N.NN} for the script, after a human-readable summary.
 */
public final class ResizeBench {

    private ResizeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path source = null;
        Path out = Path.of("target/bench/caravan.jpg");
        int width = 320;
        int iterations = 30;
        int warmup = 15;
        int clients = 1;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--source" -> source = Path.of(value);
                case "--generate" -> {
                    source = Path.of(value);
                    generate(source, 4000, 3000);
                }
                case "--width" -> width = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                case "--clients" -> clients = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (source == null) {
            throw new IllegalArgumentException("give --source FILE or --generate FILE");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageLimits limits = ImageLimits.defaults();
        ImageResizer resizer = new ImageResizer(limits);
        // the output in the format its file name says (JPEG, WebP...), quality 82 as the vips side
        String name = out.getFileName().toString();
        ImageFormat format = ImageFormat.byName(name.substring(name.lastIndexOf('.') + 1));
        ResizeSpec spec = ResizeSpec.builder().width(width).format(format).quality(82).build();

        if (clients > 1) {
            parallel(source, out, limits, resizer, spec, clients, iterations, warmup);
            return;
        }
        RenderResult result = null;
        for (int i = 0; i < warmup; i++) {
            result = once(source, out, limits, resizer, spec);
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            result = once(source, out, limits, resizer, spec);
            nanos[i] = System.nanoTime() - start;
        }
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2] / 1e6;
        ImageInfo info = ImageInspector.inspect(source, limits);
        System.out.printf("caravan: %dx%d %s -> %dx%d %s, %d bytes; %d iterations after %d warm-up: "
                        + "mean %.2f ms, median %.2f ms, min %.2f ms%n",
                info.width(), info.height(), info.format().id(), result.width(), result.height(),
                result.format().id(), result.bytes(), iterations, warmup, mean, median, sorted[0] / 1e6);
        System.out.printf("caravan-ms-per-image=%.2f%n", mean);
    }

    /** {@code clients} threads rendering at once, started together after each has warmed up. */
    private static void parallel(Path source, Path out, ImageLimits limits, ImageResizer resizer, ResizeSpec spec,
                                 int clients, int iterations, int warmup) throws Exception {
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        List<Future<?>> done = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            for (int c = 0; c < clients; c++) {
                Path file = out.resolveSibling(out.getFileName() + "." + c);
                done.add(threads.submit(() -> {
                    for (int i = 0; i < warmup; i++) {
                        once(source, file, limits, resizer, spec);
                    }
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        once(source, file, limits, resizer, spec);
                    }
                    Files.deleteIfExists(file);
                    return null;
                }));
            }
            start.await();
            long begin = System.nanoTime();
            for (Future<?> client : done) {
                client.get();
            }
            double wallMs = (System.nanoTime() - begin) / 1e6;
            double perImage = wallMs / (clients * (double) iterations);
            System.out.printf("caravan: %d clients x %d images after %d warm-up each: %.0f ms in all, %.2f ms per "
                    + "image%n", clients, iterations, warmup, wallMs, perImage);
            System.out.printf("caravan-ms-per-image=%.2f%n", perImage);
        } finally {
            threads.shutdownNow();
        }
    }

    private static RenderResult once(Path source, Path out, ImageLimits limits, ImageResizer resizer,
                                     ResizeSpec spec) throws IOException {
        ImageInfo info = ImageInspector.inspect(source, limits);
        try (OutputStream file = Files.newOutputStream(out)) {
            return resizer.render(source, info, spec, file);
        }
    }

    /** A photo-like JPEG: gradients, noise and shapes, so it compresses like a photograph, not a flat colour. */
    static void generate(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(20)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(20)) & 0xFF;
                int b = (128 + (int) (60 * Math.sin(x / 37.0) * Math.cos(y / 53.0)) + random.nextInt(20)) & 0xFF;
                row[x] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 200; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillOval(random.nextInt(width), random.nextInt(height), 20 + random.nextInt(400), 20 + random.nextInt(400));
        }
        g.dispose();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
