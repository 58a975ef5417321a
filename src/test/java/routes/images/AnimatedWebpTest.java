package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Animated WebP sources made by ffmpeg (libwebp_anim); outputs checked with libwebp's own tools (webpinfo for the
 * structure, webpmux + dwebp for a frame's pixels) and the JDK's GIF reader.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnimatedWebpTest {

    private static final Color[] COLOURS = {new Color(220, 30, 30), new Color(30, 180, 40), new Color(30, 60, 220)};

    @TempDir
    Path dir;

    private final ImageLimits limits = ImageLimits.defaults();
    private final ImageResizer resizer = new ImageResizer(limits);
    private final ImageOptionsParser options = new ImageOptionsParser();

    /** Three 64x48 frames of flat colours, 200 ms each, the last one's left half transparent when {@code alpha}. */
    private Path animation(String name, boolean lossy, boolean alpha) throws Exception {
        for (int i = 0; i < COLOURS.length; i++) {
            BufferedImage frame = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = frame.createGraphics();
            g.setColor(COLOURS[i]);
            g.fillRect(alpha && i == 0 ? 32 : 0, 0, 64, 48);
            g.dispose();
            ImageIO.write(frame, "png", dir.resolve("f" + i + ".png").toFile());
        }
        Path webp = dir.resolve(name);
        TestImages.run("ffmpeg", "-nostdin", "-loglevel", "error", "-framerate", "5", "-i", dir.resolve("f%d.png").toString(),
                "-c:v", "libwebp_anim", "-lossless", lossy ? "0" : "1", "-quality", "90", "-loop", "0",
                webp.toString());
        return webp;
    }

    private byte[] render(Path file, String spec) throws IOException {
        ImageInfo info = ImageInspector.inspect(file, limits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        resizer.render(file, info, options.parse(spec), out);
        return out.toByteArray();
    }

    @Test
    void anAnimatedWebpIsCountedAndStaysAnAnimatedWebp() throws Exception {
        Path source = animation("in.webp", false, false);
        ImageInfo info = ImageInspector.inspect(source, limits);
        assertThat(info.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(info.frames()).isEqualTo(3);
        assertThat(info.width()).isEqualTo(64);

        Path out = Files.write(dir.resolve("out.webp"), render(source, "w:32"));

        String described = TestImages.run("webpinfo", out.toString());
        assertThat(described).contains("Animation: 1").contains("Canvas size 32 x 24");
        assertThat(count(described, "Chunk ANMF")).isEqualTo(3);
        assertThat(count(described, "Duration: 200")).isEqualTo(3);
        for (int i = 0; i < COLOURS.length; i++) {
            Path frame = dir.resolve("frame" + i + ".webp");
            TestImages.run("webpmux", "-get", "frame", Integer.toString(i + 1), out.toString(), "-o", frame.toString());
            Path png = dir.resolve("frame" + i + ".png");
            TestImages.run("dwebp", frame.toString(), "-o", png.toString());
            BufferedImage pixels = ImageIO.read(png.toFile());
            Color centre = new Color(pixels.getRGB(pixels.getWidth() / 2, pixels.getHeight() / 2), true);
            assertThat(TestImages.near(centre.getRGB(), COLOURS[i], 30)).as("frame " + i + ": " + centre).isTrue();
        }
    }

    @Test
    void formatGifKeepsTheFramesAndTheirDelays() throws Exception {
        Path source = animation("in.webp", true, false);
        byte[] gif = render(source, "w:32,f:gif");

        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(gif))) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                BufferedImage frame = reader.read(i);
                assertThat(frame.getWidth()).isEqualTo(32);
                assertThat(TestImages.near(frame.getRGB(16, 12), COLOURS[i], 30)).as("frame " + i).isTrue();
                String tree = describe(reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0"));
                assertThat(tree).contains("delayTime=20");
            }
        } finally {
            reader.dispose();
        }
    }

    @Test
    void anotherFormatTakesTheFirstWholeFrameWithItsAlpha() throws Exception {
        Path source = animation("alpha.webp", true, true); // lossy with alpha: ALPH + VP8 chunks in each frame
        BufferedImage first = TestImages.decode(render(source, "w:32,f:png"));
        assertThat(first.getWidth()).isEqualTo(32);
        assertThat(new Color(first.getRGB(4, 12), true).getAlpha()).isLessThan(20);
        Color right = new Color(first.getRGB(28, 12), true);
        assertThat(right.getAlpha()).isGreaterThan(235);
        assertThat(TestImages.near(right.getRGB(), COLOURS[0], 30)).as(right.toString()).isTrue();
    }

    @Test
    void framesOverTheLimitAreRefusedBeforeDecoding() throws Exception {
        Path source = animation("in.webp", false, false);
        ImageLimits two = new ImageLimits(limits.maxBytes(), limits.maxPixels(), 8192, 8192, 2);
        assertProblem(() -> ImageInspector.inspect(source, two), 422, "too-many-frames");
    }

    @Test
    void aFrameLargerThanItsChunkDeclaresIsRefusedBeforeItIsDecoded() throws Exception {
        byte[] bytes = Files.readAllBytes(animation("in.webp", false, false));
        int anmf = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("ANMF");
        bytes[anmf + 8 + 6] = 0; // width - 1, 24 bits: the frame says it is 1 pixel wide; its bitstream is 64
        bytes[anmf + 8 + 7] = 0;
        bytes[anmf + 8 + 8] = 0;
        Path liar = Files.write(dir.resolve("liar.webp"), bytes);
        ImageProblem problem = assertProblem(() -> render(liar, "w:32"), 422, "corrupt-image");
        assertThat(problem.detail()).contains("not the 1x48");
    }

    @Test
    void cutOrGarbledAnimationsAreCorruptImagesNeverAnythingElse() throws Exception {
        byte[] good = Files.readAllBytes(animation("in.webp", true, true));
        java.util.Random random = new java.util.Random(5);
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            byte[] bad = i < 10 ? java.util.Arrays.copyOf(good, 30 + random.nextInt(good.length - 31)) : good.clone();
            if (i >= 10) {
                for (int j = 0; j < 3; j++) {
                    bad[30 + random.nextInt(bad.length - 30)] = (byte) random.nextInt(256);
                }
            }
            Path file = Files.write(dir.resolve("bad" + i + ".webp"), bad);
            try {
                render(file, "w:32");
            } catch (ImageProblem e) {
                assertThat(e.type()).isIn("corrupt-image", "too-many-frames", "decompression-bomb");
                refused++;
            }
        }
        assertThat(refused).as("the cut files at least").isGreaterThanOrEqualTo(10);
    }

    private static String describe(org.w3c.dom.Node node) {
        StringBuilder text = new StringBuilder(node.getNodeName());
        if (node.getAttributes() != null) {
            for (int i = 0; i < node.getAttributes().getLength(); i++) {
                org.w3c.dom.Node a = node.getAttributes().item(i);
                text.append(' ').append(a.getNodeName()).append('=').append(a.getNodeValue());
            }
        }
        for (org.w3c.dom.Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            text.append('\n').append(describe(c));
        }
        return text.toString();
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
