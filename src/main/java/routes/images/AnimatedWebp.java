package routes.images;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import routes.tools.Executables;

/**
 * Animated WebP (RIFF {@code WEBP} with a {@code VP8X} header whose animation flag is set, then {@code ANIM} and one
 * {@code ANMF} chunk per frame), read and written.
 * <ul>
 *   <li>{@link #frames Counting} walks the chunks by their lengths, without decoding, and bounds the canvas and
 *       every frame;</li>
 *   <li>{@link #read Reading} makes each frame's bitstream ({@code VP8 }, or {@code ALPH} + {@code VP8 }, or
 *       {@code VP8L}) a still WebP of its own, decodes it with libwebp (the webp-imageio plug-in) and composites it
 *       onto the canvas at its offset as the container says: alpha-blended or not, and disposed to transparent
 *       after it shows when asked; every frame comes out whole, with its duration;</li>
 *   <li>{@link #write Writing} hands the frames as PNGs to libwebp's {@code img2webp} (Debian package {@code webp}),
 *       lossy at the given quality, each with its duration, looping for ever.</li>
 * </ul>
 */
final class AnimatedWebp {

    private static final int MAX_CHUNKS = 100_000;
    private static final Path IMG2WEBP = Executables.find("img2webp");

    /** A whole frame and how long it shows, in milliseconds. */
    record Frame(BufferedImage image, int durationMillis) {
    }

    /**
     * @param width  canvas width
     * @param height canvas height
     * @param frames number of ANMF chunks counted (at most the limit asked + 1)
     */
    record Layout(long width, long height, int frames) {
    }

    private AnimatedWebp() {
    }

    /** Whether animated WebP can be written here (img2webp is installed). */
    static boolean canWrite() {
        return IMG2WEBP != null;
    }

    /** Whether {@code file} is a WebP in the animation container (even with one frame). */
    static boolean isAnimated(Path file) {
        try (SeekableByteChannel in = Files.newByteChannel(file)) {
            if (in.size() < 30) {
                return false;
            }
            byte[] header = ImageHeaders.readAt(in, 12, 18);
            return ascii(header, 0).equals("VP8X") && (header[8] & 0x02) != 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The canvas and the number of frames of an animated WebP (counting stops past {@code maxFrames}); null for a
     * still WebP. A frame over {@code maxPixels} or outside the canvas is a 422.
     */
    static Layout frames(SeekableByteChannel in, int maxFrames, long maxPixels) throws IOException {
        long size = in.size();
        if (size < 30) {
            return null;
        }
        byte[] header = ImageHeaders.readAt(in, 12, 18);
        if (!ascii(header, 0).equals("VP8X") || (header[8] & 0x02) == 0) {
            return null;
        }
        long width = u24(header, 12) + 1;
        long height = u24(header, 15) + 1;
        if (width * height > maxPixels) {
            throw new ImageProblem(ImageProblem.Kind.DECOMPRESSION_BOMB, "The WebP's canvas is " + width + "x"
                    + height + ", over the limit of " + maxPixels + " pixels.");
        }
        int frames = 0;
        long at = 12;
        for (int chunk = 0; chunk < MAX_CHUNKS && at + 8 <= size && frames <= maxFrames; chunk++) {
            byte[] chunkHeader = ImageHeaders.readAt(in, at, 8);
            String type = ascii(chunkHeader, 0);
            long length = Integer.toUnsignedLong(ByteBuffer.wrap(chunkHeader, 4, 4).order(ByteOrder.LITTLE_ENDIAN)
                    .getInt());
            if (type.equals("ANMF")) {
                if (length < 16 || at + 8 + 16 > size) {
                    throw new IOException("an ANMF chunk is cut short");
                }
                byte[] frame = ImageHeaders.readAt(in, at + 8, 16);
                long x = u24(frame, 0) * 2;
                long y = u24(frame, 3) * 2;
                long w = u24(frame, 6) + 1;
                long h = u24(frame, 9) + 1;
                if (x + w > width || y + h > height) {
                    throw new IOException("frame " + (frames + 1) + " (" + w + "x" + h + " at " + x + "," + y
                            + ") lies outside the " + width + "x" + height + " canvas");
                }
                frames++;
            }
            at += 8 + length + (length & 1);
        }
        return new Layout(width, height, frames);
    }

    /**
     * Hands the first {@code maxFrames} frames of the animated WebP in {@code file} to {@code each}, whole and each
     * its own copy; only the canvas and one frame are held here.
     */
    static void read(Path file, int maxFrames, long maxPixels, Consumer<Frame> each) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer riff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 30 || !ascii(bytes, 12).equals("VP8X")) {
            throw new IOException("not an extended WebP");
        }
        int width = (int) u24(bytes, 24) + 1;
        int height = (int) u24(bytes, 27) + 1;
        if ((long) width * height > maxPixels) {
            throw new ImageProblem(ImageProblem.Kind.DECOMPRESSION_BOMB, "The WebP's canvas is " + width + "x"
                    + height + ", over the limit of " + maxPixels + " pixels.");
        }
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int count = 0;
        int at = 12;
        while (at + 8 <= bytes.length && count < maxFrames) {
            String type = ascii(bytes, at);
            long length = Integer.toUnsignedLong(riff.getInt(at + 4));
            if (length > bytes.length - at - 8) {
                throw new IOException("the " + type.trim() + " chunk claims more bytes than the file has");
            }
            if (type.equals("ANMF")) {
                if (length < 16) {
                    throw new IOException("an ANMF chunk is cut short");
                }
                int x = (int) u24(bytes, at + 8) * 2;
                int y = (int) u24(bytes, at + 11) * 2;
                int w = (int) u24(bytes, at + 14) + 1;
                int h = (int) u24(bytes, at + 17) + 1;
                int duration = (int) u24(bytes, at + 20);
                int flags = bytes[at + 23];
                boolean blend = (flags & 0x02) == 0;
                boolean dispose = (flags & 0x01) != 0;
                BufferedImage part = decodeFrame(bytes, at + 24, (int) length - 16, w, h);
                if (x + part.getWidth() > width || y + part.getHeight() > height) {
                    throw new IOException("frame " + (count + 1) + " lies outside the canvas");
                }
                Graphics2D g = canvas.createGraphics();
                g.setComposite(blend ? AlphaComposite.SrcOver : AlphaComposite.Src);
                g.drawImage(part, x, y, null);
                g.dispose();
                each.accept(new Frame(Pixels.argbCopy(canvas), duration));
                count++;
                if (dispose) {
                    Graphics2D clear = canvas.createGraphics();
                    clear.setComposite(AlphaComposite.Clear);
                    clear.fillRect(x, y, part.getWidth(), part.getHeight());
                    clear.dispose();
                }
            }
            at += 8 + (int) length + (int) (length & 1);
        }
        if (count == 0) {
            throw new IOException("the animated WebP has no frame");
        }
    }

    /**
     * One frame's chunks ({@code ALPH}? then {@code VP8 }, or {@code VP8L}), {@code width} x {@code height} as its
     * ANMF says, decoded as a still WebP.
     */
    private static BufferedImage decodeFrame(byte[] bytes, int start, int length, int width, int height)
            throws IOException {
        int at = start;
        int end = start + length;
        byte[] alpha = null;
        byte[] image = null;
        String imageType = null;
        while (at + 8 <= end) {
            String type = ascii(bytes, at);
            int chunkLength = ByteBuffer.wrap(bytes, at + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (chunkLength < 0 || chunkLength > end - at - 8) {
                throw new IOException("a frame's " + type.trim() + " chunk claims more bytes than the frame has");
            }
            byte[] chunk = new byte[8 + chunkLength + (chunkLength & 1)]; // padded to even, as RIFF wants
            System.arraycopy(bytes, at, chunk, 0, 8 + chunkLength);
            if (type.equals("ALPH")) {
                alpha = chunk;
            } else if (type.equals("VP8 ") || type.equals("VP8L")) {
                image = chunk;
                imageType = type;
            }
            at += chunk.length;
        }
        if (image == null) {
            throw new IOException("a frame has no image data");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        if (alpha != null && imageType.equals("VP8 ")) { // lossy with alpha: a VP8X header must announce it
            byte[] vp8x = new byte[18];
            System.arraycopy("VP8X".getBytes(StandardCharsets.ISO_8859_1), 0, vp8x, 0, 4);
            vp8x[4] = 10;
            vp8x[8] = 0x10;
            put24(vp8x, 12, width - 1);
            put24(vp8x, 15, height - 1);
            body.writeBytes(vp8x);
            body.writeBytes(alpha);
        }
        body.writeBytes(image);
        return decode(riff(body.toByteArray()), width, height);
    }

    private static byte[] riff(byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(body.length).put(body);
        return out.array();
    }

    /** A still WebP whose bitstream must be {@code width} x {@code height} (checked before any pixel is decoded). */
    private static BufferedImage decode(byte[] webp, int width, int height) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("webp").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(webp))) {
            reader.setInput(in, true, true);
            if (reader.getWidth(0) != width || reader.getHeight(0) != height) {
                throw new IOException("a frame's image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                        + ", not the " + width + "x" + height + " its ANMF chunk declares");
            }
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Writes {@code frames} as an animated WebP at {@code quality} (1-100), each frame showing for its duration,
     * looping for ever, through img2webp.
     */
    static void write(List<Frame> frames, int quality, OutputStream out) throws IOException {
        if (IMG2WEBP == null) {
            throw new IOException("img2webp is not installed (Debian package webp)");
        }
        Path folder = ImageTools.workFolder();
        try {
            List<String> command = new ArrayList<>(List.of(IMG2WEBP.toString(), "-loop", "0"));
            for (int i = 0; i < frames.size(); i++) {
                Path png = folder.resolve(String.format("frame-%05d.png", i));
                ImageIO.write(frames.get(i).image(), "png", png.toFile());
                command.addAll(List.of("-lossy", "-q", Integer.toString(Math.max(1, Math.min(100, quality))),
                        "-d", Integer.toString(Math.max(1, frames.get(i).durationMillis())), png.toString()));
            }
            Path webp = folder.resolve("animation.webp");
            command.addAll(List.of("-o", webp.toString()));
            ImageTools.run(command, folder);
            Files.copy(webp, out);
        } finally {
            ImageTools.delete(folder);
        }
    }

    private static long u24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (long) (b[at + 2] & 0xFF) << 16;
    }

    private static void put24(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) (value >>> 16);
    }

    private static String ascii(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.ISO_8859_1);
    }
}
