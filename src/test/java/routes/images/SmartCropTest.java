package routes.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smart crops go where the detail is: a flat image with a textured patch near one edge is cropped around the patch
 * (a centre crop would show only the flat part), whichever side the patch is on; a flat image is cropped in its centre.
 */
class SmartCropTest {

    @TempDir
    Path dir;

    final ImageResizer resizer = new ImageResizer(ImageLimits.defaults());

    @Test
    void aFillCropFollowsTheDetailToEachEdge() throws Exception {
        // landscape source, square crop (a 400 x 400 window of the source): the patch (140 x 140, at most 12.25% of
        // the window) at the right, then at the left, in the crop whole
        assertThat(detailIn(render(patched(800, 400, 640, 120), "fill", Gravity.SMART, 200, 200))).isGreaterThan(0.11);
        assertThat(detailIn(render(patched(800, 400, 20, 120), "fill", Gravity.SMART, 200, 200))).isGreaterThan(0.11);
        assertThat(detailIn(render(patched(800, 400, 640, 120), "fill", Gravity.CENTER, 200, 200)))
                .as("the centre misses it").isLessThan(0.05);
        // portrait source, landscape crop (a 400 x 133 window): the patch at the bottom, as much as fits (35%)
        assertThat(detailIn(render(patched(400, 900, 120, 760), "fill", Gravity.SMART, 300, 100))).isGreaterThan(0.3);
    }

    @Test
    void aFlatImageIsCroppedInItsCentre() {
        BufferedImage flat = new BufferedImage(600, 300, BufferedImage.TYPE_INT_RGB);
        assertThat(SmartCrop.window(flat, 300, 300)).isEqualTo(new java.awt.Point(150, 0));
        BufferedImage blue = new BufferedImage(300, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = blue.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 300, 600);
        g.dispose();
        assertThat(SmartCrop.window(blue, 300, 200)).isEqualTo(new java.awt.Point(0, 200));
    }

    /** A grey image with a 140 px square of random coloured pixels at (x, y). */
    private Path patched(int width, int height, int x, int y) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, width, height);
        g.dispose();
        Random random = new Random(3);
        for (int py = y; py < y + 140; py++) {
            for (int px = x; px < x + 140; px++) {
                image.setRGB(px, py, random.nextInt(0xFFFFFF));
            }
        }
        Path file = dir.resolve("patched-" + width + "-" + x + "-" + y + ".png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private BufferedImage render(Path source, String fit, Gravity gravity, int width, int height) throws Exception {
        ResizeSpec spec = ResizeSpec.builder().size(width, height).fit(Fit.byOption(fit)).gravity(gravity)
                .format(ImageFormat.PNG).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        resizer.render(source, ImageInspector.inspect(source, ImageLimits.defaults()), spec, out);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        return image;
    }

    /** The share of the output's pixels that are not the flat grey (read back by the JDK's PNG reader). */
    private static double detailIn(BufferedImage image) {
        int detail = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - 128) + Math.abs(c.getGreen() - 128) + Math.abs(c.getBlue() - 128) > 30) {
                    detail++;
                }
            }
        }
        return detail / (double) (image.getWidth() * image.getHeight());
    }
}
