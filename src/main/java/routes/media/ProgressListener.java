package routes.media;

/**
 * Progress of a long ffmpeg run, as a percentage: 0..100, never decreasing, 100 only once the run has succeeded.
 * Called from an ffmpeg reader thread; keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = percent -> { };

    void onProgress(int percent);
}
