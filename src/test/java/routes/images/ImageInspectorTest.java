package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.Color;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImageInspectorTest {

    @TempDir
    Path dir;

    private final ImageLimits limits = ImageLimits.defaults();

    @Test
    void readsJpegHeader() throws Exception {
        Path file = TestImages.jpeg(dir, "a.jpg", TestImages.cornered(400, 200));

        ImageInfo info = ImageInspector.inspect(file, limits);

        assertThat(info.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(info.width()).isEqualTo(400);
        assertThat(info.height()).isEqualTo(200);
        assertThat(info.orientation()).isEqualTo(1);
        assertThat(info.frames()).isEqualTo(1);
        assertThat(info.hasAlpha()).isFalse();
        assertThat(info.bytes()).isEqualTo(Files.size(file));
    }

    @Test
    void readsExifOrientationOfJpeg() throws Exception {
        byte[] jpeg = TestImages.jpegBytes(TestImages.cornered(400, 200), 0.9f);
        Path file = Files.write(dir.resolve("rotated.jpg"), TestImages.withExifOrientation(jpeg, 6));

        ImageInfo info = ImageInspector.inspect(file, limits);

        assertThat(info.orientation()).isEqualTo(6);
        assertThat(info.width()).isEqualTo(400);
        assertThat(info.displayWidth()).isEqualTo(200);
        assertThat(info.displayHeight()).isEqualTo(400);
    }

    @Test
    void outOfRangeOrientationIsUpright() throws Exception {
        byte[] jpeg = TestImages.jpegBytes(TestImages.cornered(40, 20), 0.9f);
        Path file = Files.write(dir.resolve("odd.jpg"), TestImages.withExifOrientation(jpeg, 9));

        assertThat(ImageInspector.inspect(file, limits).orientation()).isEqualTo(1);
    }

    @Test
    void readsPngWithAlpha() throws Exception {
        Path file = TestImages.png(dir, "a.png", TestImages.halfTransparent(64, 32));

        ImageInfo info = ImageInspector.inspect(file, limits);

        assertThat(info.format()).isEqualTo(ImageFormat.PNG);
        assertThat(info.width()).isEqualTo(64);
        assertThat(info.height()).isEqualTo(32);
        assertThat(info.hasAlpha()).isTrue();
    }

    @Test
    void countsGifFrames() throws Exception {
        Path file = TestImages.animatedGif(dir, "a.gif", 30, 20, Color.RED, Color.GREEN, Color.BLUE);

        ImageInfo info = ImageInspector.inspect(file, limits);

        assertThat(info.format()).isEqualTo(ImageFormat.GIF);
        assertThat(info.frames()).isEqualTo(3);
        assertThat(info.width()).isEqualTo(30);
    }

    @Test
    void tooManyFramesIsRefused() throws Exception {
        Path file = TestImages.animatedGif(dir, "a.gif", 8, 8, Color.RED, Color.GREEN, Color.BLUE, Color.BLACK);
        ImageLimits twoFrames = new ImageLimits(limits.maxBytes(), limits.maxPixels(), 100, 100, 2);

        assertProblem(() -> ImageInspector.inspect(file, twoFrames), 422, "too-many-frames");
        assertThat(ImageInspector.inspect(file, new ImageLimits(1 << 20, 1 << 20, 100, 100, 4)).frames())
                .isEqualTo(4);
    }

    @Test
    void emptyFileIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("empty.jpg"), new byte[0]);

        assertProblem(() -> ImageInspector.inspect(file, limits), 422, "empty-image");
    }

    @Test
    void textFileIsUnsupported() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.jpg"), "these are not the pixels you are looking for\n");

        assertProblem(() -> ImageInspector.inspect(file, limits), 415, "unsupported-format");
    }

    @Test
    void aPngsExifOrientationIsHonouredLikeAJpegs() throws Exception {
        // a 200x100 PNG with an eXIf chunk (big-endian TIFF, one entry: Orientation = 6, turn 90 degrees clockwise)
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(200, 100,
                java.awt.image.BufferedImage.TYPE_INT_RGB), "png", plain);
        byte[] png = plain.toByteArray();
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + tiff.length);
        chunk.putInt(tiff.length).put("eXIf".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk.array(), 4, 4 + tiff.length);
        chunk.putInt((int) crc.getValue());
        int afterIhdr = 8 + 25;
        byte[] withExif = new byte[png.length + chunk.capacity()];
        System.arraycopy(png, 0, withExif, 0, afterIhdr);
        System.arraycopy(chunk.array(), 0, withExif, afterIhdr, chunk.capacity());
        System.arraycopy(png, afterIhdr, withExif, afterIhdr + chunk.capacity(), png.length - afterIhdr);
        Path file = Files.write(dir.resolve("turned.png"), withExif);

        ImageInfo info = ImageInspector.inspect(file, limits);

        assertThat(info.orientation()).isEqualTo(6);
        assertThat(info.displayWidth()).isEqualTo(100);
        assertThat(info.displayHeight()).isEqualTo(200);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new ImageResizer(limits).render(file, info, ResizeSpec.builder().width(50).format(ImageFormat.PNG).build(), out);
        java.awt.image.BufferedImage rendered = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                out.toByteArray()));
        assertThat(rendered.getWidth()).isEqualTo(50);
        assertThat(rendered.getHeight()).isEqualTo(100);
    }

    @Test
    void aGreyPngsTransparentColourStaysTransparent() throws Exception {
        // 8x8 grey at 8 and at 4 bits (PngSuite's tbbn0g04), the left half dark and the right half light, with tRNS
        // making the dark grey transparent
        for (int bits : new int[] {8, 4}) {
            int dark = bits == 8 ? 0x40 : 0x4;
            int light = bits == 8 ? 0xC0 : 0xC;
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            for (int y = 0; y < 8; y++) {
                raw.write(0);
                if (bits == 8) {
                    for (int x = 0; x < 8; x++) {
                        raw.write(x < 4 ? dark : light);
                    }
                } else {
                    raw.write(dark << 4 | dark);
                    raw.write(dark << 4 | dark);
                    raw.write(light << 4 | light);
                    raw.write(light << 4 | light);
                }
            }
            java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
            try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(deflated)) {
                z.write(raw.toByteArray());
            }
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
            pngChunk(png, "IHDR", new byte[] {0, 0, 0, 8, 0, 0, 0, 8, (byte) bits, 0, 0, 0, 0});
            pngChunk(png, "tRNS", new byte[] {0, (byte) dark});
            pngChunk(png, "IDAT", deflated.toByteArray());
            pngChunk(png, "IEND", new byte[0]);
            Path file = Files.write(dir.resolve("grey-trns-" + bits + ".png"), png.toByteArray());

            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            new ImageResizer(limits).render(file, ImageInspector.inspect(file, limits),
                    ResizeSpec.builder().width(16).upscale(true).format(ImageFormat.PNG).build(), out);
            java.awt.image.BufferedImage rendered = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    out.toByteArray()));

            assertThat(rendered.getColorModel().hasAlpha()).as("%d bits", bits).isTrue();
            assertThat(rendered.getRGB(2, 8) >>> 24).as("the transparent grey, %d bits", bits).isZero();
            assertThat(rendered.getRGB(13, 8) >>> 24).as("the opaque grey, %d bits", bits).isEqualTo(255);
        }
    }

    private static void pngChunk(java.io.ByteArrayOutputStream png, String type, byte[] data) {
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        png.writeBytes(chunk.array());
    }

    @Test
    void aWebpHeaderWithNothingBehindItIsCorrupt() throws Exception {
        byte[] riff = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("a.webp"), riff);

        assertThat(ImageFormat.WEBP.canRead()).as("the WebP reader ships with the app").isTrue();
        assertProblem(() -> ImageInspector.inspect(file, limits), 422, "corrupt-image");
    }

    @Test
    void oversizedFileIsRefusedBeforeReading() throws Exception {
        Path file = TestImages.jpeg(dir, "a.jpg", TestImages.cornered(100, 100));
        ImageLimits small = new ImageLimits(100, limits.maxPixels(), 100, 100, 1);

        ImageProblem problem = assertProblem(() -> ImageInspector.inspect(file, small), 413, "image-too-large");
        assertThat(problem.detail()).contains("limit is 100 bytes");
    }

    @Test
    void jpegCutInsideItsHeaderIsCorrupt() throws Exception {
        byte[] jpeg = TestImages.jpegBytes(TestImages.cornered(100, 100), 0.9f);
        Path file = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, 120));

        assertProblem(() -> ImageInspector.inspect(file, limits), 422, "corrupt-image");
    }

    @Test
    void pngWithBrokenHeaderIsCorrupt() throws Exception {
        byte[] png = TestImages.pngBomb(10, 10);
        Path file = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, 20));

        assertProblem(() -> ImageInspector.inspect(file, limits), 422, "corrupt-image");
    }

    @Test
    void pngDecompressionBombIsRefusedWithoutAllocating() throws Exception {
        ImageInspector.inspect(TestImages.png(dir, "warm.png", TestImages.cornered(8, 8)), limits); // class loading
        Path bomb = Files.write(dir.resolve("bomb.png"), TestImages.pngBomb(30000, 30000));
        assertThat(Files.size(bomb)).isLessThan(200);

        long before = allocatedBytes();
        ImageProblem problem = assertProblem(() -> ImageInspector.inspect(bomb, limits), 422, "decompression-bomb");
        long allocated = allocatedBytes() - before;

        assertThat(problem.detail()).contains("30000x30000");
        assertThat(allocated).as("bytes allocated while refusing a 30000x30000 PNG").isLessThan(8L << 20);
    }

    @Test
    void gifWithHugeLogicalScreenIsRefused() throws Exception {
        Path bomb = Files.write(dir.resolve("bomb.gif"), TestImages.gifBomb(30000, 30000, 30000, 30000));

        long before = allocatedBytes();
        assertProblem(() -> ImageInspector.inspect(bomb, limits), 422, "decompression-bomb");
        assertThat(allocatedBytes() - before).isLessThan(8L << 20);
    }

    @Test
    void gifWithHugeFrameInSmallScreenIsRefused() throws Exception {
        Path bomb = Files.write(dir.resolve("frame.gif"), TestImages.gifBomb(10, 10, 30000, 30000));

        assertProblem(() -> ImageInspector.inspect(bomb, limits), 422, "decompression-bomb");
    }

    @Test
    void tinyHandMadeGifIsAccepted() throws Exception {
        Path gif = Files.write(dir.resolve("tiny.gif"), TestImages.gifBomb(1, 1, 1, 1));

        ImageInfo info = ImageInspector.inspect(gif, limits);

        assertThat(info.width()).isEqualTo(1);
        assertThat(info.frames()).isEqualTo(1);
    }

    @Test
    void jpegDeclaringTooManyPixelsIsRefused() throws Exception {
        Path file = TestImages.jpeg(dir, "big.jpg", TestImages.cornered(300, 300));
        ImageLimits tight = new ImageLimits(limits.maxBytes(), 300 * 299, 8192, 8192, 1);

        assertProblem(() -> ImageInspector.inspect(file, tight), 422, "decompression-bomb");
    }

    @Test
    void problemCarriesProblemDetailMembers() {
        ImageProblem problem = new ImageProblem(ImageProblem.Kind.CORRUPT_IMAGE, "The jpeg is cut.");

        assertThat(problem.type()).isEqualTo("corrupt-image");
        assertThat(problem.title()).isEqualTo("Corrupt image");
        assertThat(routes.api.ProblemResponder.statusOf(problem.kind())).isEqualTo(422);
        assertThat(problem.detail()).isEqualTo("The jpeg is cut.");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    interface Call {
        void run() throws Exception;
    }

    static ImageProblem assertProblem(Call call, int status, String type) {
        ImageProblem problem = catchThrowableOfType(() -> call.run(), ImageProblem.class);
        assertThat(problem).as("an ImageProblem " + type).isNotNull();
        assertThat(problem.type()).as(problem.detail()).isEqualTo(type);
        assertThat(routes.api.ProblemResponder.statusOf(problem.kind())).isEqualTo(status);
        assertThat(problem.detail()).isNotBlank();
        return problem;
    }
}
