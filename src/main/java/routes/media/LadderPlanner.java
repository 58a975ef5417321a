package routes.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Step "plan": which renditions of a {@link Ladder} to make for one video, and at what size.
 *
 * <ul>
 *   <li>Sizes are those a player displays: after rotation (a phone video stored 1920x1080 with a 90 degree
 *       display matrix is 1080x1920) and with square pixels (anamorphic sources are widened to their display
 *       aspect ratio; the outputs have square pixels).</li>
 *   <li>A rung's height applies to the <em>shorter</em> side. A landscape 1280x720 source gets 720p as 1280x720;
 *       a portrait 720x1280 source gets 720p as 720x1280 and 480p as 480x854. So "720p" means the same
 *       sharpness in either orientation, as on the common video sites.</li>
 *   <li>Never upscale: a rung taller than the source's shorter side is skipped. When every rung is skipped, one
 *       rendition is made at the source's size (rounded down to even), with the smallest rung's settings and
 *       named after its height, e.g. {@code 358p}.</li>
 *   <li>The longer side keeps the aspect ratio: shorter side times the display aspect ratio, rounded to the
 *       nearest even number, and never more than the source's longer side rounded down to even.</li>
 * </ul>
 */
public final class LadderPlanner {

    private LadderPlanner() {
    }

    /** The renditions to make, tallest first. */
    public static List<PlannedRendition> plan(MediaInfo info, Ladder ladder) {
        MediaInfo.VideoStream video = info.video();
        if (video == null) {
            throw new MediaProblem(MediaProblem.Reason.NO_VIDEO_STREAM, "the media has no video stream to transcode");
        }
        boolean portrait = video.portrait();
        double aspect = video.displayAspectRatio();
        double longPerShort = portrait ? 1 / aspect : aspect;
        int sourceShort = Math.min(video.displayWidth(), video.displayHeight());
        int sourceLong = Math.max(video.displayWidth(), video.displayHeight());

        List<PlannedRendition> planned = new ArrayList<>();
        for (Rung rung : ladder.renditions()) {
            if (rung.height() <= sourceShort) {
                planned.add(size(rung.name(), rung, rung.height(), longPerShort, sourceLong, portrait));
            }
        }
        if (planned.isEmpty()) {
            int shortSide = Math.max(2, floorEven(sourceShort));
            Rung smallest = ladder.smallest();
            planned.add(size(shortSide + "p", smallest.resized(shortSide + "p", shortSide), shortSide, longPerShort,
                    sourceLong, portrait));
        }
        return List.copyOf(planned);
    }

    private static PlannedRendition size(String name, Rung settings, int shortSide, double longPerShort,
            int sourceLong, boolean portrait) {
        int longSide = roundEven(shortSide * longPerShort);
        longSide = Math.max(2, Math.min(longSide, Math.max(2, floorEven(sourceLong))));
        return portrait
                ? new PlannedRendition(name, shortSide, longSide, settings)
                : new PlannedRendition(name, longSide, shortSide, settings);
    }

    /** The nearest even integer (halves round up). */
    static int roundEven(double value) {
        return (int) (2 * Math.round(value / 2));
    }

    static int floorEven(int value) {
        return value - Math.floorMod(value, 2);
    }
}
