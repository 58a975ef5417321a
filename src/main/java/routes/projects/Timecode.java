package routes.projects;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMPTE timecode at a frame rate: frames counted from 00:00:00:00 and written {@code HH:MM:SS:FF}, or for the
 * drop-frame rates (29.97 and 59.94) {@code HH:MM:SS;FF} with frame numbers 0 and 1 (0-3 at 59.94) skipped at the start
 * of every minute but each tenth, so the timecode keeps to the clock. Frames past 24 hours wrap, as in a deck.
 *
 * @param nominal    the whole frames per second timecode counts (24, 25, 30, 50, 60)
 * @param actual     the real rate (e.g. 30000/1001 for 29.97)
 * @param dropFrame  whether frame numbers are dropped (only with the NTSC rates 29.97 and 59.94)
 */
public record Timecode(int nominal, double actual, boolean dropFrame) {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,2})[:;.](\\d{2})[:;.](\\d{2})([:;.,])(\\d{2,3})");

    /**
     * The timecode of a media frame rate: 23.976 and 29.97 and 59.94 (NTSC) are 24, 30 and 60 nominal, the last two
     * drop-frame; other rates rounded; 25 when unknown.
     */
    public static Timecode of(double frameRate) {
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            return new Timecode(25, 25, false);
        }
        int nominal = (int) Math.round(frameRate);
        boolean ntsc = Math.abs(frameRate - nominal * 1000.0 / 1001) < 0.01;
        double actual = ntsc ? nominal * 1000.0 / 1001 : frameRate;
        return new Timecode(nominal, actual, ntsc && (nominal == 30 || nominal == 60));
    }

    /** The frame at {@code seconds} of the media (rounded to the nearest frame). */
    public long frames(double seconds) {
        return Math.round(seconds * actual);
    }

    /** Seconds of the media at {@code frames}. */
    public double seconds(long frames) {
        return frames / actual;
    }

    /** {@code frames} written as timecode. */
    public String format(long frames) {
        long perDay = 24L * 3600 * nominal - (dropFrame ? dropsPerDay() : 0);
        long f = Math.floorMod(frames, perDay);
        if (dropFrame) {
            int drop = nominal / 15; // 2 at 30, 4 at 60
            long perTenMinutes = 10L * 60 * nominal - 9L * drop;
            long perMinute = 60L * nominal - drop;
            long tens = f / perTenMinutes;
            long rest = f % perTenMinutes;
            f += 9L * drop * tens + (rest > drop ? drop * ((rest - drop) / perMinute) : 0);
        }
        long ff = f % nominal;
        long s = (f / nominal) % 60;
        long m = (f / nominal / 60) % 60;
        long h = f / nominal / 3600;
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%02d", h, m, s, dropFrame ? ';' : ':', ff);
    }

    /** The frame count of a timecode as written ({@code HH:MM:SS:FF}, {@code ;} for drop frame); -1 when unreadable. */
    public long parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            return -1;
        }
        long h = Long.parseLong(m.group(1));
        long min = Long.parseLong(m.group(2));
        long s = Long.parseLong(m.group(3));
        long ff = Long.parseLong(m.group(5));
        if (min > 59 || s > 59 || ff >= nominal) {
            return -1;
        }
        long totalMinutes = 60 * h + min;
        long frames = ((h * 3600) + (min * 60) + s) * nominal + ff;
        if (dropFrame) {
            int drop = nominal / 15;
            frames -= (long) drop * (totalMinutes - totalMinutes / 10);
        }
        return frames;
    }

    private long dropsPerDay() {
        return (long) (nominal / 15) * (24 * 60 - 24 * 6);
    }
}
