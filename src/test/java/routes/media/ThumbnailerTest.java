package routes.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class ThumbnailerTest {

    @TempDir
    static Path dir;

    private final FfmpegSafety safety = MediaFixtures.safety();
    private final MediaProber prober = new MediaProber(safety);
    private final Thumbnailer thumbnailer = new Thumbnailer(safety);

    @Test
    void posterIsAFrameAtATenthOfTheDuration() {
        Path source = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(source);

        Thumbnail poster = thumbnailer.all(source, info, 1, dir.resolve("out")).poster();

        assertThat(poster.seconds()).isCloseTo(0.3, within(0.01));
        assertJpeg(poster.path(), 1280, 720);
        assertThat(poster.width()).isEqualTo(1280);
        assertThat(poster.height()).isEqualTo(720);
    }

    @Test
    void stripIsEvenlySpacedWithDeterministicNames() {
        Path source = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(source);
        Path out = dir.resolve("five");

        List<Thumbnail> strip = thumbnailer.all(source, info, 5, out).strip();

        assertThat(strip).extracting(t -> t.path().getFileName().toString())
                .containsExactly("thumb-001.jpg", "thumb-002.jpg", "thumb-003.jpg", "thumb-004.jpg", "thumb-005.jpg");
        assertThat(strip).extracting(Thumbnail::seconds)
                .containsExactly(0.3, 0.9, 1.5, 2.1, 2.7);
        for (Thumbnail thumbnail : strip) {
            assertThat(thumbnail.path().getParent()).isEqualTo(out.resolve("strip"));
            assertJpeg(thumbnail.path(), 320, 180);
        }
    }

    @Test
    void portraitStripFitsTheSameBox() {
        Path source = MediaFixtures.portrait(dir);
        List<Thumbnail> strip = thumbnailer.all(source, prober.probe(source), 2, dir.resolve("portrait")).strip();
        assertThat(strip).extracting(Thumbnail::width, Thumbnail::height)
                .containsExactly(tuple(180, 320), tuple(180, 320));
        assertJpeg(strip.get(1).path(), 180, 320);
    }

    @Test
    void previewIsA240pProxyOfTheWholeShortVideo() {
        Path source = MediaFixtures.landscape(dir);
        MediaInfo info = prober.probe(source);

        RenditionOutput preview = thumbnailer.all(source, info, 1, dir.resolve("short")).preview();

        assertThat(preview.width()).isEqualTo(426);
        assertThat(preview.height()).isEqualTo(240);
        MediaInfo out = prober.probe(preview.path());
        assertThat(out.video().codec()).isEqualTo("h264");
        assertThat(out.video().displayWidth()).isEqualTo(426);
        assertThat(out.video().displayHeight()).isEqualTo(240);
        assertThat(out.audio().codec()).isEqualTo("aac");
        assertThat(out.durationSeconds()).isCloseTo(info.durationSeconds(), within(0.2));
        assertThat(out.bitRate()).isLessThan(600_000);
        assertThat(IsoBoxes.faststart(preview.path())).isTrue();
    }

    @Test
    void previewOfALongVideoStopsAtThirtySecondsAndNeverUpscales() {
        Path source = MediaFixtures.longSmall(dir);
        MediaInfo info = prober.probe(source);
        assertThat(info.durationSeconds()).isGreaterThan(34);

        RenditionOutput preview = thumbnailer.all(source, info, 1, dir.resolve("long")).preview();

        MediaInfo out = prober.probe(preview.path());
        assertThat(out.durationSeconds()).isCloseTo(30.0, within(0.2));
        assertThat(out.video().displayWidth()).isEqualTo(320);
        assertThat(out.video().displayHeight()).isEqualTo(180);
    }

    @Test
    void allMakesPosterStripAndPreviewWithEachStillAtItsTime() throws IOException {
        Path source = MediaFixtures.clock(dir);
        MediaInfo info = prober.probe(source);
        Path out = dir.resolve("all");

        Thumbnailer.Stills stills = thumbnailer.all(source, info, 5, out);

        // poster at 10% (4 s) and strip at 4, 12, 20, 28 s come from the preview's decode; 36 s is past the
        // preview's 30 s and comes from a seek: every one shows the frame of its time
        assertThat(stills.poster().path()).isEqualTo(out.resolve("poster.jpg"));
        assertThat(stills.poster().seconds()).isCloseTo(4.0, within(0.01));
        assertThat(stills.strip()).extracting(Thumbnail::seconds)
                .containsExactly(4.0, 12.0, 20.0, 28.0, 36.0);
        assertThat(stills.strip()).extracting(t -> t.path().getFileName().toString())
                .containsExactly("thumb-001.jpg", "thumb-002.jpg", "thumb-003.jpg", "thumb-004.jpg", "thumb-005.jpg");
        List<Thumbnail> all = new java.util.ArrayList<>(stills.strip());
        all.add(stills.poster());
        for (Thumbnail still : all) {
            assertJpeg(still.path(), 160, 96);
            double shown = MediaFixtures.clockSeconds(ImageIO.read(still.path().toFile()));
            assertThat(shown).as(still.path().getFileName() + " at " + still.seconds() + " s")
                    .isCloseTo(still.seconds(), within(0.5));
        }
        RenditionOutput preview = stills.preview();
        assertThat(preview.path()).isEqualTo(out.resolve("preview.mp4"));
        MediaInfo previewInfo = prober.probe(preview.path());
        assertThat(previewInfo.durationSeconds()).isCloseTo(30.0, within(0.2));
        assertThat(previewInfo.video().displayWidth()).isEqualTo(160);
        assertThat(previewInfo.audio().codec()).isEqualTo("aac");
        assertThat(IsoBoxes.faststart(preview.path())).isTrue();
    }

    @Test
    void allOfAShortRotatedVideoIsUpright() {
        Path source = MediaFixtures.rotated(dir);
        Thumbnailer.Stills stills = thumbnailer.all(source, prober.probe(source), 3, dir.resolve("all-rotated"));

        assertJpeg(stills.poster().path(), 720, 1280);
        for (Thumbnail thumbnail : stills.strip()) {
            assertJpeg(thumbnail.path(), 180, 320);
        }
        assertThat(stills.preview().width()).isEqualTo(240);
        assertThat(stills.preview().height()).isEqualTo(426);
    }

    @Test
    void audioHasNoFrames() {
        Path source = MediaFixtures.tone(dir, "m4a");
        MediaInfo info = prober.probe(source);
        MediaProberTest.assertProblem(() -> thumbnailer.all(source, info, 3, dir.resolve("x-all")),
                "no-video-stream");
    }

    /** A JPEG (magic number) of that size, decoded by the JDK. */
    private static void assertJpeg(Path file, int width, int height) {
        assertThat(file).isRegularFile();
        byte[] bytes = MediaFixtures.read(file);
        assertThat(bytes[0] & 0xFF).isEqualTo(0xFF);
        assertThat(bytes[1] & 0xFF).isEqualTo(0xD8);
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image).as("decodable " + file.getFileName()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(width);
            assertThat(image.getHeight()).isEqualTo(height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
