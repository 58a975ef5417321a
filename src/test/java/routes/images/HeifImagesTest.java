package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.images.ImageInspectorTest.assertProblem;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * AVIF and HEIC in, AVIF out. Sources are made by other encoders than the libheif tools Caravan decodes with where
 * the machine has one (AVIF: libavif's avifenc); outputs are read back by libavif's avifdec, not by libheif.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeifImagesTest {

    @TempDir
    Path dir;

    private final ImageLimits limits = ImageLimits.defaults();
    private final ImageResizer resizer = new ImageResizer(limits);
    private final ImageOptionsParser options = new ImageOptionsParser();

    private BufferedImage renderToPng(Path file, String spec) throws IOException {
        ImageInfo info = ImageInspector.inspect(file, limits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        resizer.render(file, info, options.parse(spec + ",f:png"), out);
        return TestImages.decode(out.toByteArray());
    }

    @Test
    void anAvifFromLibavifIsReadWithItsSizeAndColours() throws Exception {
        Path png = TestImages.png(dir, "halves.png", TestImages.halves(320, 200, TestImages.CORNER, TestImages.BODY));
        Path avif = dir.resolve("halves.avif");
        TestImages.run("avifenc", "-s", "8", "--min", "0", "--max", "8", png.toString(), avif.toString());

        ImageInfo info = ImageInspector.inspect(avif, limits);
        assertThat(info.format()).isEqualTo(ImageFormat.AVIF);
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(200);

        BufferedImage image = renderToPng(avif, "w:160");
        assertThat(image.getWidth()).isEqualTo(160);
        assertThat(image.getHeight()).isEqualTo(100);
        assertThat(TestImages.near(image.getRGB(20, 50), TestImages.CORNER, 20)).isTrue();
        assertThat(TestImages.near(image.getRGB(140, 50), TestImages.BODY, 20)).isTrue();
    }

    @Test
    void anAvifsRotationIsApplied() throws Exception {
        Path png = TestImages.png(dir, "halves.png", TestImages.halves(64, 32, TestImages.CORNER, TestImages.BODY));
        Path avif = dir.resolve("turned.avif");
        // irot 1: a quarter turn anticlockwise, which decoders apply: 64x32 shows as 32x64
        TestImages.run("avifenc", "-s", "8", "--min", "0", "--max", "8", "--irot", "1", png.toString(), avif.toString());

        ImageInfo info = ImageInspector.inspect(avif, limits);
        assertThat(info.width()).isEqualTo(32);
        assertThat(info.height()).isEqualTo(64);

        BufferedImage image = renderToPng(avif, "w:16");
        assertThat(image.getWidth()).isEqualTo(16);
        assertThat(image.getHeight()).isEqualTo(32);
        // the left half, turned anticlockwise, is now the bottom half
        assertThat(TestImages.near(image.getRGB(8, 28), TestImages.CORNER, 25)).isTrue();
        assertThat(TestImages.near(image.getRGB(8, 3), TestImages.BODY, 25)).isTrue();
    }

    @Test
    void anAvifsAlphaIsKept() throws Exception {
        Path png = TestImages.png(dir, "alpha.png", TestImages.halfTransparent(64, 32));
        Path avif = dir.resolve("alpha.avif");
        TestImages.run("avifenc", "-s", "8", png.toString(), avif.toString());

        ImageInfo info = ImageInspector.inspect(avif, limits);
        assertThat(info.hasAlpha()).isTrue();
        BufferedImage image = renderToPng(avif, "w:32");
        assertThat(image.getHeight()).isEqualTo(16);
        assertThat(new Color(image.getRGB(3, 8), true).getAlpha()).isLessThan(20);
        assertThat(new Color(image.getRGB(28, 8), true).getAlpha()).isGreaterThan(235);
        assertThat(TestImages.near(image.getRGB(28, 8), TestImages.BODY, 20)).isTrue();
    }

    @Test
    void aHeicIsReadAndMadeAJpegByDefault() throws Exception {
        Path png = TestImages.png(dir, "halves.png", TestImages.halves(400, 300, TestImages.CORNER, TestImages.BODY));
        Path heic = dir.resolve("photo.heic");
        TestImages.run("heif-enc", "-q", "90", "-o", heic.toString(), png.toString());

        ImageInfo info = ImageInspector.inspect(heic, limits);
        assertThat(info.format()).isEqualTo(ImageFormat.HEIC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RenderResult result = resizer.render(heic, info, options.parse("w:200"), out);
        assertThat(result.format()).isEqualTo(ImageFormat.JPEG);
        BufferedImage image = TestImages.decode(out.toByteArray());
        assertThat(image.getWidth()).isEqualTo(200);
        assertThat(image.getHeight()).isEqualTo(150);
        assertThat(TestImages.near(image.getRGB(20, 75), TestImages.CORNER, 25)).isTrue();
        assertThat(TestImages.near(image.getRGB(180, 75), TestImages.BODY, 25)).isTrue();
    }

    @Test
    void avifOutputIsReadByLibavifAtTheAskedSizeWithAlpha() throws Exception {
        Path png = TestImages.png(dir, "alpha.png", TestImages.halfTransparent(300, 200));
        ImageInfo info = ImageInspector.inspect(png, limits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RenderResult result = resizer.render(png, info, options.parse("w:150,f:avif,q:60"), out);
        assertThat(result.format()).isEqualTo(ImageFormat.AVIF);
        assertThat(result.contentType()).isEqualTo("image/avif");
        Path avif = Files.write(dir.resolve("out.avif"), out.toByteArray());

        String described = TestImages.run("avifdec", "--info", avif.toString());
        assertThat(described).contains("Resolution     : 150x100").contains("Alpha          :")
                .doesNotContain("Alpha          : Absent");
        Path back = dir.resolve("back.png");
        TestImages.run("avifdec", avif.toString(), back.toString());
        BufferedImage decoded = TestImages.decode(Files.readAllBytes(back));
        assertThat(new Color(decoded.getRGB(10, 50), true).getAlpha()).isLessThan(20);
        assertThat(TestImages.near(decoded.getRGB(140, 50), TestImages.BODY, 25)).isTrue();
    }

    @Test
    void greyAndPaletteImagesBecomeAvifToo() throws Exception {
        // a GIF's first frame (palette) and a grey PNG: libaom here aborts on the monochrome AV1 heif-enc would make
        Path gif = TestImages.animatedGif(dir, "anim.gif", 40, 30, Color.RED, Color.BLUE);
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        Path png = TestImages.png(dir, "grey.png", grey);
        for (Path source : List.of(gif, png)) {
            ImageInfo info = ImageInspector.inspect(source, limits);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RenderResult result = resizer.render(source, info, options.parse("f:avif"), out);
            assertThat(result.format()).as(source.toString()).isEqualTo(ImageFormat.AVIF);
            Path avif = Files.write(dir.resolve(source.getFileName() + ".avif"), out.toByteArray());
            assertThat(TestImages.run("avifdec", "--info", avif.toString())).contains("Resolution     : 40x30");
        }
    }

    @Test
    void aLowerQualityMakesASmallerAvif() throws Exception {
        Path jpeg = TestImages.jpeg(dir, "photo.jpg", TestImages.photoLike(640, 480, 7));
        ImageInfo info = ImageInspector.inspect(jpeg, limits);
        ByteArrayOutputStream low = new ByteArrayOutputStream();
        ByteArrayOutputStream high = new ByteArrayOutputStream();
        resizer.render(jpeg, info, options.parse("f:avif,q:30"), low);
        resizer.render(jpeg, info, options.parse("f:avif,q:90"), high);
        assertThat(low.size()).isLessThan(high.size());
    }

    @Test
    void aDeclaredSizeOverTheLimitIsABombBeforeAnythingIsDecoded() throws Exception {
        Path png = TestImages.png(dir, "small.png", TestImages.cornered(64, 64));
        Path avif = dir.resolve("small.avif");
        TestImages.run("avifenc", "-s", "8", png.toString(), avif.toString());
        byte[] bytes = Files.readAllBytes(avif);
        int ispe = indexOf(bytes, "ispe".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ispe).isPositive();
        // ispe: type, version/flags (4), width (4), height (4)
        writeInt(bytes, ispe + 8, 100_000);
        writeInt(bytes, ispe + 12, 100_000);
        Path bomb = Files.write(dir.resolve("bomb.avif"), bytes);

        assertProblem(() -> ImageInspector.inspect(bomb, limits), 422, "decompression-bomb");

        // declaring less than it holds does not get round the limits: what decodes larger is refused
        writeInt(bytes, ispe + 8, 8);
        writeInt(bytes, ispe + 12, 8);
        Path liar = Files.write(dir.resolve("liar.avif"), bytes);
        ImageInfo info = ImageInspector.inspect(liar, limits);
        assertThat(info.width()).isEqualTo(8);
        assertProblem(() -> resizer.render(liar, info, options.parse("w:4,f:png"), new ByteArrayOutputStream()), 422,
                "corrupt-image");
    }

    @Test
    void damagedHeifFilesAreRefusedAsCorruptNeverAnythingElse() throws Exception {
        Path png = TestImages.png(dir, "p.png", TestImages.cornered(96, 64));
        Path avif = dir.resolve("p.avif");
        TestImages.run("avifenc", "-s", "8", png.toString(), avif.toString());
        byte[] good = Files.readAllBytes(avif);
        List<byte[]> damaged = new ArrayList<>();
        for (int cut : new int[] {16, 24, 40, 80, 200, good.length / 2, good.length - 10}) {
            damaged.add(java.util.Arrays.copyOf(good, Math.max(12, Math.min(cut, good.length - 1))));
        }
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 30; i++) {
            byte[] flipped = good.clone();
            for (int j = 0; j < 4; j++) {
                flipped[12 + random.nextInt(Math.min(400, flipped.length - 12))] = (byte) random.nextInt(256);
            }
            damaged.add(flipped);
        }
        int refused = 0;
        for (int i = 0; i < damaged.size(); i++) {
            Path file = Files.write(dir.resolve("d" + i + ".avif"), damaged.get(i));
            try {
                ImageInfo info = ImageInspector.inspect(file, limits);
                resizer.render(file, info, options.parse("w:48,f:png"), new ByteArrayOutputStream());
            } catch (ImageProblem e) {
                assertThat(e.type()).isIn("corrupt-image", "unsupported-format", "decompression-bomb");
                refused++;
            }
        }
        assertThat(refused).as("the truncated files at least").isGreaterThanOrEqualTo(6);
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void writeInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }
}
