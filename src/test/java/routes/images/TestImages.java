package routes.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Images the tests make for themselves, including hostile ones built byte by byte. */
final class TestImages {

    static final Color CORNER = new Color(220, 20, 30);
    static final Color BODY = new Color(40, 90, 200);

    private TestImages() {
    }

    /** A BODY-coloured image with a CORNER-coloured block over its top-left quarter-by-quarter. */
    static BufferedImage cornered(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BODY);
        g.fillRect(0, 0, width, height);
        g.setColor(CORNER);
        g.fillRect(0, 0, width / 4, height / 4);
        g.dispose();
        return image;
    }

    /** Left half {@code left}, right half {@code right}. */
    static BufferedImage halves(int width, int height, Color left, Color right) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(right);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    /** Smooth gradients, shapes and noise: compresses like a photo rather than like a flat colour. */
    static BufferedImage photoLike(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(24)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(24)) & 0xFF;
                int b = ((x + y) * 255 / (width + height) + random.nextInt(24)) & 0xFF;
                row[x] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 60; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillOval(random.nextInt(width), random.nextInt(height), width / 10, height / 10);
        }
        g.dispose();
        return image;
    }

    static byte[] jpegBytes(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static Path jpeg(Path dir, String name, BufferedImage image) throws IOException {
        return Files.write(dir.resolve(name), jpegBytes(image, 0.9f));
    }

    static Path png(Path dir, String name, BufferedImage image) throws IOException {
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** Transparent left half, opaque BODY right half. */
    static BufferedImage halfTransparent(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BODY);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    /** An animated GIF, one flat colour per frame. */
    static Path animatedGif(Path dir, String name, int width, int height, Color... frames) throws IOException {
        Path file = dir.resolve(name);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (Color colour : frames) {
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = frame.createGraphics();
                g.setColor(colour);
                g.fillRect(0, 0, width, height);
                g.dispose();
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame),
                        param);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return file;
    }

    /** A JPEG with an APP1 Exif segment, big-endian TIFF, IFD0 holding only Orientation, spliced right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff.array());
        ByteBuffer app1 = ByteBuffer.allocate(4 + exif.length);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (exif.length + 2)).put(exif);
        return concat(Arrays.copyOfRange(jpeg, 0, 2), app1.array(), Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /**
     * A valid-looking PNG declaring {@code width} x {@code height} RGB pixels whose IDAT holds only a few bytes
     * (one deflated row of zeros): a decompression bomb for any decoder that trusts IHDR.
     */
    static byte[] pngBomb(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1024]);
        deflater.finish();
        byte[] buffer = new byte[256];
        int length = deflater.deflate(buffer);
        deflater.end();
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        return concat(signature, chunk("IHDR", ihdr.array()), chunk("IDAT", Arrays.copyOf(buffer, length)),
                chunk("IEND", new byte[0]));
    }

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
        chunk.putInt(data.length).put(name).put(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }

    /**
     * A GIF whose logical screen is {@code screenW} x {@code screenH} and whose single image descriptor is
     * {@code frameW} x {@code frameH}, with a 2-colour global table and a few bytes of LZW data.
     */
    static byte[] gifBomb(int screenW, int screenH, int frameW, int frameH) {
        ByteBuffer gif = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        gif.put("GIF89a".getBytes(StandardCharsets.ISO_8859_1));
        gif.putShort((short) screenW).putShort((short) screenH).put((byte) 0x80).put((byte) 0).put((byte) 0);
        gif.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}); // global colour table, 2 entries
        gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) frameW).putShort((short) frameH)
                .put((byte) 0);
        gif.put((byte) 2); // LZW minimum code size
        gif.put((byte) 2).put((byte) 0x44).put((byte) 0x01).put((byte) 0); // one tiny data sub-block, terminator
        gif.put((byte) 0x3B);
        return Arrays.copyOf(gif.array(), gif.position());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static BufferedImage decode(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image == null) {
            throw new IOException("not an image ImageIO can read");
        }
        return image;
    }

    /** The format ImageIO detects in the bytes, e.g. "jpeg", "png". */
    static String formatOf(byte[] bytes) throws IOException {
        try (var in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            var readers = ImageIO.getImageReaders(in);
            return readers.hasNext() ? readers.next().getFormatName().toLowerCase() : null;
        }
    }

    /** Whether two colours are within {@code tolerance} on every channel. */
    static boolean near(int argb, Color expected, int tolerance) {
        Color c = new Color(argb, true);
        return Math.abs(c.getRed() - expected.getRed()) <= tolerance
                && Math.abs(c.getGreen() - expected.getGreen()) <= tolerance
                && Math.abs(c.getBlue() - expected.getBlue()) <= tolerance;
    }

    /** Runs a program (ffmpeg, avifdec, webpinfo...); its output, stripped; fails the test when it fails. */
    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .as(String.join(" ", command) + " ended").isTrue();
        org.assertj.core.api.Assertions.assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output)
                .isZero();
        return output.strip();
    }
}
