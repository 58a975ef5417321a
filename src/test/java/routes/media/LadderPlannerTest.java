package routes.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LadderPlannerTest {

    private static MediaInfo video(int width, int height, double sar, int rotation) {
        boolean quarter = rotation % 180 != 0;
        int squareWidth = (int) Math.round(width * sar);
        return new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 10, 1000, 1000,
                new MediaInfo.VideoStream(0, "h264", "High", 40, width, height, sar,
                        quarter ? height : squareWidth, quarter ? squareWidth : height, rotation, 25, "yuv420p"),
                new MediaInfo.AudioStream(1, "aac", 48000, 2), Map.of());
    }

    private static List<PlannedRendition> plan(MediaInfo info) {
        return LadderPlanner.plan(info, Ladder.defaults());
    }

    @Test
    void fullHdSourceGetsEveryRung() {
        assertThat(plan(video(1920, 1080, 1, 0)))
                .extracting(PlannedRendition::name, PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple("1080p", 1920, 1080), tuple("720p", 1280, 720), tuple("480p", 854, 480));
    }

    @Test
    void neverUpscales() {
        assertThat(plan(video(1280, 720, 1, 0)))
                .extracting(PlannedRendition::name, PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple("720p", 1280, 720), tuple("480p", 854, 480));
    }

    @Test
    void portraitRungsApplyToTheShorterSide() {
        assertThat(plan(video(720, 1280, 1, 0)))
                .extracting(PlannedRendition::name, PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple("720p", 720, 1280), tuple("480p", 480, 854));
        assertThat(plan(video(1080, 1920, 1, 0))).extracting(PlannedRendition::width)
                .containsExactly(1080, 720, 480);
    }

    @Test
    void rotationUsesTheDisplayedSize() {
        // stored 1920x1080, displayed 1080x1920
        assertThat(plan(video(1920, 1080, 1, 90)))
                .extracting(PlannedRendition::name, PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple("1080p", 1080, 1920), tuple("720p", 720, 1280), tuple("480p", 480, 854));
        assertThat(plan(video(1920, 1080, 1, 180))).extracting(PlannedRendition::width)
                .containsExactly(1920, 1280, 854);
    }

    @Test
    void sourceSmallerThanEveryRungIsKeptAtItsOwnEvenSize() {
        assertThat(plan(video(641, 359, 1, 0)))
                .extracting(PlannedRendition::name, PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple("358p", 640, 358));
        List<PlannedRendition> tiny = plan(video(320, 240, 1, 0));
        assertThat(tiny).extracting(PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple(320, 240));
        assertThat(tiny.get(0).settings().videoBitrateKbps()).isEqualTo(Ladder.defaults().smallest()
                .videoBitrateKbps());
    }

    @Test
    void oddSizesBecomeEvenWithoutExceedingTheSource() {
        // 853x481: the 480 rung is allowed; 480 * 853/481 = 851.2 -> 852
        assertThat(plan(video(853, 481, 1, 0)))
                .extracting(PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple(852, 480));
        for (int w = 481; w < 520; w++) {
            for (PlannedRendition r : plan(video(w, 481, 1, 0))) {
                assertThat(r.width() % 2).isZero();
                assertThat(r.height() % 2).isZero();
                assertThat(r.width()).isLessThanOrEqualTo(w);
            }
        }
    }

    @Test
    void anamorphicSourcesGetSquarePixels() {
        // DVD 720x480 with 32:27 pixels is displayed 853.3x480: 852x480, as wide as the display rounded down
        assertThat(plan(video(720, 480, 32.0 / 27, 0)))
                .extracting(PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple(852, 480));
        // PAL 16:9 720x576 with 64:45 pixels is displayed 1024x576: 480p is 854x480
        assertThat(plan(video(720, 576, 64.0 / 45, 0)))
                .extracting(PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple(854, 480));
    }

    @Test
    void squareVideo() {
        assertThat(plan(video(1080, 1080, 1, 0)))
                .extracting(PlannedRendition::width, PlannedRendition::height)
                .containsExactly(tuple(1080, 1080), tuple(720, 720), tuple(480, 480));
    }

    @Test
    void customLadderIsSortedAndValidated() {
        Ladder ladder = Ladder.of(Rung.of("low", 360, 800, 856, 1200, 64),
                new Rung("high", 720, 2500, 2675, 3750, 128, 23));
        assertThat(ladder.renditions()).extracting(Rung::name).containsExactly("high", "low");
        assertThatThrownBy(() -> Rung.of("../evil", 360, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rung.of("odd", 361, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ladder.of(Rung.of("a", 360, 1, 1, 1, 1), Rung.of("a", 480, 1, 1, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void audioOnlyHasNothingToPlan() {
        MediaInfo audio = new MediaInfo("mp3", 3, 100, 100, null, new MediaInfo.AudioStream(0, "mp3", 44100, 2),
                Map.of());
        assertThatThrownBy(() -> plan(audio))
                .isInstanceOfSatisfying(MediaProblem.class, p -> assertThat(p.reason()).isEqualTo("no-video-stream"));
    }
}
