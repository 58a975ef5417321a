package routes.media;

import com.github.kokorin.jaffree.ffmpeg.FFmpegProgress;

/**
 * Turns Jaffree's progress reports (the output time ffmpeg has reached) into percentages of the expected output
 * duration for a {@link ProgressListener}: capped at 99 while running, monotonic, 100 from {@link #done()}.
 */
final class ProgressBridge implements com.github.kokorin.jaffree.ffmpeg.ProgressListener {

    private final ProgressListener listener;
    private final double expectedMillis;
    private int last = -1;

    ProgressBridge(ProgressListener listener, double expectedSeconds) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.expectedMillis = expectedSeconds * 1000;
    }

    @Override
    public void onProgress(FFmpegProgress progress) {
        Long millis = progress.getTimeMillis();
        if (millis == null || expectedMillis <= 0) {
            report(0);
            return;
        }
        int percent = (int) Math.floor(millis * 100.0 / expectedMillis);
        report(Math.max(0, Math.min(99, percent)));
    }

    /** The run succeeded. */
    void done() {
        report(100);
    }

    private synchronized void report(int percent) {
        if (percent > last) {
            last = percent;
            listener.onProgress(percent);
        }
    }
}
