package routes.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Animated GIFs stay animated: made by ffmpeg (which writes partial, offset frames over transparency), resized frame
 * by frame, and read back by ffmpeg: as many frames, the asked size, and each frame the source's frame scaled.
 */
class AnimatedGifTest {

    @TempDir
    Path dir;

    final ImageResizer resizer = new ImageResizer(ImageLimits.defaults());

    @Test
    void anAnimatedGifResizesToAnAnimatedGifFrameByFrame() throws Exception {
        Path source = dir.resolve("anim.gif");
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=5:duration=2", "-loop", "0", source.toString());
        ImageInfo info = ImageInspector.inspect(source, ImageLimits.defaults());
        assertThat(info.frames()).isEqualTo(10);

        Path out = dir.resolve("out.gif");
        try (var stream = Files.newOutputStream(out)) {
            RenderResult result = resizer.render(source, info, ResizeSpec.builder().width(160).build(), stream);
            assertThat(result.format()).isEqualTo(ImageFormat.GIF);
        }

        assertThat(TestImages.run("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=nb_read_frames,width,height", "-of", "csv=p=0", out.toString())).isEqualTo("160,120,10");
        // frame 7 of the output against frame 7 of the source, both decoded and (the source) scaled by ffmpeg
        Path made = dir.resolve("made7.png");
        Path expected = dir.resolve("expected7.png");
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", out.toString(), "-vf", "select=eq(n\\,7)",
                "-frames:v", "1", made.toString());
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", source.toString(), "-vf",
                "select=eq(n\\,7),scale=160:120", "-frames:v", "1", expected.toString());
        assertThat(meanDifference(ImageIO.read(made.toFile()), ImageIO.read(expected.toFile())))
                .as("mean difference per channel").isLessThan(12);
        assertThat(meanDifference(ImageIO.read(made.toFile()), firstFrameScaled(source)))
                .as("not the first frame again").isGreaterThan(3);
    }

    @Test
    void askingForAnotherFormatTakesTheFirstFrame() throws Exception {
        Path source = dir.resolve("anim.gif");
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=5:duration=1", "-loop", "0", source.toString());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        resizer.render(source, ImageInspector.inspect(source, ImageLimits.defaults()),
                ResizeSpec.builder().width(80).format(ImageFormat.PNG).build(), png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertThat(image.getWidth()).isEqualTo(80);
        assertThat(image.getHeight()).isEqualTo(60);
    }

    @Test
    void aHugeLogicalScreenIsRefusedBeforeAnythingIsAllocated() throws Exception {
        Path source = dir.resolve("anim.gif");
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=64x48:rate=5:duration=1", "-loop", "0", source.toString());
        byte[] bytes = Files.readAllBytes(source);
        // the logical screen descriptor follows "GIF89a": width and height, little-endian
        bytes[6] = (byte) 0xff;
        bytes[7] = (byte) 0xff;
        bytes[8] = (byte) 0xff;
        bytes[9] = (byte) 0xff;
        Path hostile = Files.write(dir.resolve("hostile.gif"), bytes);
        ImageInfo info = new ImageInfo(ImageFormat.GIF, 64, 48, 1, 5, false, bytes.length);

        ImageInspectorTest.assertProblem(() -> resizer.render(hostile, info, ResizeSpec.builder().width(32).build(),
                new ByteArrayOutputStream()), 422, "decompression-bomb");
    }

    private BufferedImage firstFrameScaled(Path source) throws Exception {
        Path first = dir.resolve("first.png");
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", source.toString(), "-vf", "scale=160:120",
                "-frames:v", "1", first.toString());
        return ImageIO.read(first.toFile());
    }

    private static double meanDifference(BufferedImage a, BufferedImage b) {
        long total = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    total += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return total / (3.0 * a.getWidth() * a.getHeight());
    }
}
