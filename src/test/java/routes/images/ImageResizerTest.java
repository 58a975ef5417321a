package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImageResizerTest {

    @TempDir
    Path dir;

    private final ImageLimits limits = ImageLimits.defaults();
    private final ImageResizer resizer = new ImageResizer(limits);
    private final ImageOptionsParser options = new ImageOptionsParser();

    /** Renders {@code file} with the options; the output bytes. */
    private Rendered render(Path file, String spec) throws IOException {
        ImageInfo info = ImageInspector.inspect(file, limits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RenderResult result = resizer.render(file, info, options.parse(spec), out);
        assertThat(result.bytes()).isEqualTo(out.size());
        BufferedImage image = TestImages.decode(out.toByteArray());
        assertThat(image.getWidth()).isEqualTo(result.width());
        assertThat(image.getHeight()).isEqualTo(result.height());
        return new Rendered(result, image, out.toByteArray());
    }

    record Rendered(RenderResult result, BufferedImage image, byte[] bytes) {
        int rgb(int x, int y) {
            return image.getRGB(x, y);
        }
    }

    @Test
    void autoFillsABoxOfTheSourcesOrientationAndFitsInAnOther() throws Exception {
        Path landscape = TestImages.jpeg(dir, "wide.jpg", TestImages.cornered(800, 400));
        Path portrait = TestImages.jpeg(dir, "tall.jpg", TestImages.cornered(400, 800));

        Rendered wideInWide = render(landscape, "w:200,h:150,fit:auto");
        Rendered wideInTall = render(landscape, "w:150,h:200,fit:auto");
        Rendered tallInTall = render(portrait, "w:150,h:200,fit:auto");
        Rendered tallInSquare = render(portrait, "w:100,h:100,fit:auto");

        // same orientation: filled (cropped to the box); other orientation: fitted inside it
        assertThat(wideInWide.image().getWidth()).isEqualTo(200);
        assertThat(wideInWide.image().getHeight()).isEqualTo(150);
        assertThat(wideInTall.image().getWidth()).isEqualTo(150);
        assertThat(wideInTall.image().getHeight()).isEqualTo(75);
        assertThat(tallInTall.image().getWidth()).isEqualTo(150);
        assertThat(tallInTall.image().getHeight()).isEqualTo(200);
        // a square box counts as landscape, as imgproxy counts it
        assertThat(tallInSquare.image().getWidth()).isEqualTo(50);
        assertThat(tallInSquare.image().getHeight()).isEqualTo(100);
    }

    @Test
    void fitsJpegInsideWidthKeepingAspect() throws Exception {
        Path file = TestImages.jpeg(dir, "a.jpg", TestImages.cornered(800, 400));

        Rendered r = render(file, "w:320");

        assertThat(r.result().format()).isEqualTo(ImageFormat.JPEG);
        assertThat(r.result().contentType()).isEqualTo("image/jpeg");
        assertThat(TestImages.formatOf(r.bytes())).isEqualTo("jpeg");
        assertThat(r.image().getWidth()).isEqualTo(320);
        assertThat(r.image().getHeight()).isEqualTo(160);
        assertThat(TestImages.near(r.rgb(5, 5), TestImages.CORNER, 30)).isTrue();
        assertThat(TestImages.near(r.rgb(300, 150), TestImages.BODY, 30)).isTrue();
    }

    @Test
    void fitInBoxUsesTheTighterSide() throws Exception {
        Path file = TestImages.jpeg(dir, "a.jpg", TestImages.cornered(800, 400));

        Rendered r = render(file, "w:300,h:300");

        assertThat(r.image().getWidth()).isEqualTo(300);
        assertThat(r.image().getHeight()).isEqualTo(150);
    }

    @Test
    void largeJpegIsSubsampledAndStillExact() throws Exception {
        Path file = TestImages.jpeg(dir, "big.jpg", TestImages.photoLike(4000, 3000, 1));
        ImageInfo info = ImageInspector.inspect(file, limits);

        assertThat(resizer.plan(info, options.parse("w:320")).subsampling()).isEqualTo(6);
        Rendered r = render(file, "w:320");

        assertThat(r.image().getWidth()).isEqualTo(320);
        assertThat(r.image().getHeight()).isEqualTo(240);
    }

    @Test
    void subsamplingKeepsAtLeastTwiceTheTarget() throws Exception {
        ImageInfo info = new ImageInfo(ImageFormat.JPEG, 4000, 3000, 1, 1, false, 1);

        for (int width : new int[] {100, 320, 640, 1000, 1999, 2001, 4000}) {
            ImageResizer.Plan plan = resizer.plan(info, options.parse("w:" + width));
            int decodedWidth = (4000 + plan.subsampling() - 1) / plan.subsampling();
            assertThat(decodedWidth).as("decoded width for w:" + width).isGreaterThanOrEqualTo(Math.min(4000, 2 * width));
        }
        assertThat(resizer.plan(info, options.parse("w:320,trim:1")).subsampling()).isEqualTo(1);
    }

    @Test
    void exifOrientationSixComesOutUpright() throws Exception {
        byte[] jpeg = TestImages.jpegBytes(TestImages.cornered(400, 200), 0.92f);
        Path file = Files.write(dir.resolve("exif6.jpg"), TestImages.withExifOrientation(jpeg, 6));

        Rendered r = render(file, "w:100");

        assertThat(r.image().getWidth()).isEqualTo(100);
        assertThat(r.image().getHeight()).isEqualTo(200);
        // stored top-left block is the displayed top-right after a quarter turn clockwise
        assertThat(TestImages.near(r.rgb(95, 4), TestImages.CORNER, 40)).isTrue();
        assertThat(TestImages.near(r.rgb(4, 4), TestImages.BODY, 40)).isTrue();
        assertThat(TestImages.near(r.rgb(95, 195), TestImages.BODY, 40)).isTrue();
        // re-encoded output carries no EXIF: nothing to rotate it again
        assertThat(ImageInspector.inspect(Files.write(dir.resolve("out.jpg"), r.bytes()), limits).orientation())
                .isEqualTo(1);
    }

    @Test
    void everyExifOrientationPutsTheCornerInItsPlace() throws Exception {
        // where the stored top-left corner is displayed: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left
        int[] expected = {0, 0, 1, 2, 3, 0, 1, 2, 3};
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] jpeg = TestImages.jpegBytes(TestImages.cornered(80, 40), 0.95f);
            Path file = Files.write(dir.resolve("o" + orientation + ".jpg"),
                    TestImages.withExifOrientation(jpeg, orientation));
            Rendered r = render(file, "");
            int w = r.image().getWidth();
            int h = r.image().getHeight();
            assertThat(w).as("width at orientation " + orientation).isEqualTo(orientation >= 5 ? 40 : 80);
            int[][] corners = {{2, 2}, {w - 3, 2}, {w - 3, h - 3}, {2, h - 3}};
            int[] at = corners[expected[orientation]];
            assertThat(TestImages.near(r.rgb(at[0], at[1]), TestImages.CORNER, 40))
                    .as("corner at orientation " + orientation).isTrue();
        }
    }

    @Test
    void neverUpscalesUnlessAsked() throws Exception {
        Path file = TestImages.jpeg(dir, "small.jpg", TestImages.cornered(100, 50));

        Rendered kept = render(file, "w:400");
        Rendered enlarged = render(file, "w:400,up:1");

        assertThat(kept.image().getWidth()).isEqualTo(100);
        assertThat(kept.image().getHeight()).isEqualTo(50);
        assertThat(enlarged.image().getWidth()).isEqualTo(400);
        assertThat(enlarged.image().getHeight()).isEqualTo(200);
    }

    @Test
    void fillCropsAtTheGravity() throws Exception {
        Path file = TestImages.png(dir, "halves.png", TestImages.halves(400, 200, Color.RED, Color.BLUE));

        Rendered west = render(file, "w:100,h:100,fit:fill,g:west");
        Rendered east = render(file, "w:100,h:100,fit:fill,g:east");
        Rendered centre = render(file, "w:100,h:100,fit:fill");

        assertThat(west.image().getWidth()).isEqualTo(100);
        assertThat(west.image().getHeight()).isEqualTo(100);
        assertThat(TestImages.near(west.rgb(95, 50), Color.RED, 10)).isTrue();
        assertThat(TestImages.near(east.rgb(5, 50), Color.BLUE, 10)).isTrue();
        assertThat(TestImages.near(centre.rgb(5, 50), Color.RED, 10)).isTrue();
        assertThat(TestImages.near(centre.rgb(95, 50), Color.BLUE, 10)).isTrue();
    }

    @Test
    void fillWithoutUpscaleCropsToWhatTheSourceHas() throws Exception {
        Path file = TestImages.png(dir, "small.png", TestImages.cornered(120, 80));

        Rendered r = render(file, "w:200,h:40,fit:fill");

        assertThat(r.image().getWidth()).isEqualTo(120);
        assertThat(r.image().getHeight()).isEqualTo(40);
    }

    @Test
    void scaleStretches() throws Exception {
        Path file = TestImages.png(dir, "a.png", TestImages.cornered(400, 200));

        Rendered r = render(file, "w:50,h:150,fit:scale");

        assertThat(r.image().getWidth()).isEqualTo(50);
        assertThat(r.image().getHeight()).isEqualTo(150);
    }

    @Test
    void fitInWithFillColourGivesExactSizePadded() throws Exception {
        Path file = TestImages.jpeg(dir, "a.jpg", TestImages.cornered(400, 200));

        Rendered r = render(file, "w:300,h:300,bg:00ff00");

        assertThat(r.image().getWidth()).isEqualTo(300);
        assertThat(r.image().getHeight()).isEqualTo(300);
        assertThat(TestImages.near(r.rgb(150, 10), Color.GREEN, 20)).as("padding above").isTrue();
        assertThat(TestImages.near(r.rgb(150, 290), Color.GREEN, 20)).as("padding below").isTrue();
        assertThat(TestImages.near(r.rgb(280, 150), TestImages.BODY, 30)).as("image in the middle").isTrue();
    }

    @Test
    void paddingDoesNotUpscaleButStillGivesTheBox() throws Exception {
        Path file = TestImages.png(dir, "a.png", TestImages.cornered(40, 20));

        Rendered r = render(file, "w:100,h:100,bg:fff,f:png");

        assertThat(r.image().getWidth()).isEqualTo(100);
        assertThat(r.image().getHeight()).isEqualTo(100);
        assertThat(TestImages.near(r.rgb(5, 5), Color.WHITE, 0)).isTrue();
        assertThat(TestImages.near(r.rgb(50, 50), TestImages.BODY, 0)).isTrue();
    }

    @Test
    void alphaIsFlattenedOntoWhiteForJpeg() throws Exception {
        Path file = TestImages.png(dir, "alpha.png", TestImages.halfTransparent(200, 100));

        Rendered r = render(file, "f:jpeg");
        Rendered onBlack = render(file, "f:jpeg,bg:000");
        Rendered asPng = render(file, "");

        assertThat(r.result().format()).isEqualTo(ImageFormat.JPEG);
        assertThat(r.image().getColorModel().hasAlpha()).isFalse();
        assertThat(TestImages.near(r.rgb(20, 50), Color.WHITE, 8)).isTrue();
        assertThat(TestImages.near(r.rgb(180, 50), TestImages.BODY, 20)).isTrue();
        assertThat(TestImages.near(onBlack.rgb(20, 50), Color.BLACK, 8)).isTrue();
        assertThat(asPng.result().format()).isEqualTo(ImageFormat.PNG);
        assertThat(asPng.image().getColorModel().hasAlpha()).isTrue();
        assertThat(asPng.rgb(20, 50) >>> 24).isZero();
    }

    @Test
    void qualityChangesTheSize() throws Exception {
        Path file = TestImages.jpeg(dir, "photo.jpg", TestImages.photoLike(800, 600, 7));

        Rendered low = render(file, "w:400,q:20");
        Rendered high = render(file, "w:400,q:95");

        assertThat(low.bytes().length * 2L).isLessThan(high.bytes().length);
    }

    @Test
    void animatedGifAskedAsPngIsItsFirstFrame() throws Exception {
        Path file = TestImages.animatedGif(dir, "anim.gif", 60, 40, Color.RED, Color.GREEN, Color.BLUE);

        Rendered r = render(file, "w:30,f:png");
        Rendered gif = render(file, "w:30");

        assertThat(r.result().format()).isEqualTo(ImageFormat.PNG);
        assertThat(r.result().contentType()).isEqualTo("image/png");
        assertThat(TestImages.formatOf(r.bytes())).isEqualTo("png");
        assertThat(r.image().getWidth()).isEqualTo(30);
        assertThat(r.image().getHeight()).isEqualTo(20);
        assertThat(TestImages.near(r.rgb(15, 10), Color.RED, 5)).isTrue();
        assertThat(TestImages.formatOf(gif.bytes())).isEqualTo("gif");
        assertThat(TestImages.near(gif.rgb(15, 10), Color.RED, 5)).isTrue();
    }

    @Test
    void grayscaleRotateAndFlip() throws Exception {
        Path file = TestImages.png(dir, "a.png", TestImages.cornered(200, 100));

        Rendered gray = render(file, "gray:1");
        Rendered rotated = render(file, "rot:90");
        Rendered flipped = render(file, "flip:h");
        Rendered both = render(file, "flip:hv");

        Color g = new Color(gray.rgb(100, 80));
        assertThat(g.getRed()).isEqualTo(g.getGreen()).isEqualTo(g.getBlue());
        assertThat(rotated.image().getWidth()).isEqualTo(100);
        assertThat(rotated.image().getHeight()).isEqualTo(200);
        assertThat(TestImages.near(rotated.rgb(97, 2), TestImages.CORNER, 0)).isTrue();
        assertThat(TestImages.near(flipped.rgb(197, 2), TestImages.CORNER, 0)).isTrue();
        assertThat(TestImages.near(both.rgb(197, 97), TestImages.CORNER, 0)).isTrue();
    }

    @Test
    void rotationAppliesBeforeTheSize() throws Exception {
        Path file = TestImages.png(dir, "a.png", TestImages.cornered(400, 200));

        Rendered r = render(file, "rot:270,w:50");

        assertThat(r.image().getWidth()).isEqualTo(50);
        assertThat(r.image().getHeight()).isEqualTo(100);
        assertThat(TestImages.near(r.rgb(2, 97), TestImages.CORNER, 10)).isTrue();
    }

    @Test
    void blurSoftensEdges() throws Exception {
        Path file = TestImages.png(dir, "halves.png", TestImages.halves(100, 20, Color.BLACK, Color.WHITE));

        Rendered sharp = render(file, "");
        Rendered blurred = render(file, "blur:3");

        assertThat(new Color(sharp.rgb(48, 10)).getRed()).isEqualTo(0);
        int edge = new Color(blurred.rgb(48, 10)).getRed();
        assertThat(edge).isBetween(40, 200);
        assertThat(new Color(blurred.rgb(2, 10)).getRed()).isEqualTo(0);
        assertThat(new Color(blurred.rgb(97, 10)).getRed()).isEqualTo(255);
    }

    @Test
    void trimCutsTheBorder() throws Exception {
        BufferedImage framed = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        var g = framed.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 120, 80);
        g.setColor(Color.BLUE);
        g.fillRect(20, 10, 60, 30);
        g.dispose();
        Path file = TestImages.png(dir, "framed.png", framed);

        Rendered r = render(file, "trim:1");

        assertThat(r.image().getWidth()).isEqualTo(60);
        assertThat(r.image().getHeight()).isEqualTo(30);
    }

    @Test
    void manualCropInUprightPixels() throws Exception {
        Path file = TestImages.png(dir, "a.png", TestImages.cornered(400, 200));

        Rendered r = render(file, "crop:0:0:100:50");
        Rendered clamped = render(file, "crop:300::1000:");

        assertThat(r.image().getWidth()).isEqualTo(100);
        assertThat(r.image().getHeight()).isEqualTo(50);
        assertThat(TestImages.near(r.rgb(50, 25), TestImages.CORNER, 0)).isTrue();
        assertThat(clamped.image().getWidth()).isEqualTo(100);
        assertThat(clamped.image().getHeight()).isEqualTo(200);
        assertProblem(() -> render(file, "crop:500:0::"), 400, "bad-options");
    }

    @Test
    void outputBeyondTheLimitsIsRefusedBeforeDecoding() throws Exception {
        Path file = TestImages.png(dir, "a.png", TestImages.cornered(400, 200));
        ImageResizer small = new ImageResizer(new ImageLimits(1 << 20, 1 << 20, 300, 300, 1));
        ImageInfo info = ImageInspector.inspect(file, limits);

        assertProblem(() -> small.render(file, info, ResizeSpec.ORIGINAL, new ByteArrayOutputStream()), 400,
                "output-too-large");
        assertThat(small.render(file, info, options.parse("w:300"), new ByteArrayOutputStream()).width())
                .isEqualTo(300);
    }

    @Test
    void truncatedJpegIsCorrupt() throws Exception {
        byte[] jpeg = TestImages.jpegBytes(TestImages.photoLike(600, 400, 3), 0.9f);
        Path file = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length * 6 / 10));
        ImageInfo info = ImageInspector.inspect(file, limits); // the header is intact

        assertThat(info.width()).isEqualTo(600);
        assertProblem(() -> resizer.render(file, info, options.parse("w:100"), new ByteArrayOutputStream()), 422,
                "corrupt-image");
    }

    @Test
    void truncatedPngIsCorrupt() throws Exception {
        Path whole = TestImages.png(dir, "whole.png", TestImages.photoLike(300, 200, 5));
        byte[] png = Files.readAllBytes(whole);
        Path file = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        ImageInfo info = ImageInspector.inspect(file, limits);

        assertProblem(() -> resizer.render(file, info, ResizeSpec.ORIGINAL, new ByteArrayOutputStream()), 422,
                "corrupt-image");
    }

    @Test
    void garbageAfterAGoodJpegHeaderIsCorrupt() throws Exception {
        byte[] jpeg = TestImages.jpegBytes(TestImages.photoLike(200, 100, 9), 0.9f);
        int scan = indexOfStartOfScan(jpeg);
        byte[] broken = jpeg.clone();
        for (int i = scan + 20; i < broken.length - 2; i++) {
            broken[i] = (byte) 0xFF; // marker soup instead of entropy-coded data
        }
        Path file = Files.write(dir.resolve("garbage.jpg"), broken);
        ImageInfo info = ImageInspector.inspect(file, limits);

        try {
            RenderResult result = resizer.render(file, info, ResizeSpec.ORIGINAL, new ByteArrayOutputStream());
            assertThat(result.width()).isEqualTo(200); // libjpeg may decode what it can
        } catch (ImageProblem problem) {
            assertThat(problem.type()).isEqualTo("corrupt-image");
        }
    }

    private static int indexOfStartOfScan(byte[] jpeg) {
        for (int i = 2; i < jpeg.length - 1; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                return i;
            }
        }
        throw new IllegalStateException("no SOS");
    }

    /**
     * A CMYK JPEG with no ICC profile (Adobe's inverted CMYK, made by libvips from RGB 200,60,40 | 60,140,70): read
     * through a CMYK profile, not by the naive formula the JDK's reader falls back to, whose colours come out washed
     * out (red 237,90,54 and green 136,231,85 here).
     */
    @Test
    void aCmykJpegWithoutAProfileKeepsItsColours() throws Exception {
        Path file = dir.resolve("cmyk.jpg");
        try (var in = getClass().getResourceAsStream("/images/cmyk-without-profile.jpg")) {
            Files.copy(in, file);
        }

        Rendered r = render(file, "w:32,f:png");

        Color red = new Color(r.rgb(8, 8));
        Color green = new Color(r.rgb(24, 8));
        assertThat(red.getRed()).as(red.toString()).isGreaterThan(170);
        assertThat(red.getGreen()).as(red.toString()).isLessThan(75);
        assertThat(red.getBlue()).as(red.toString()).isLessThan(70);
        assertThat(green.getGreen()).as(green.toString()).isGreaterThan(120);
        assertThat(green.getRed()).as(green.toString()).isLessThan(100);
        assertThat(green.getBlue()).as(green.toString()).isLessThan(100);
    }
}
