package routes.media;

import routes.jobs.StepFailure;

/**
 * The media itself cannot be processed: the job ends FAILED with {@link #reason()}.
 *
 * <p>Every media problem is permanent: the same file fails the same way on every attempt, so a route must not
 * redeliver the task ({@link #isTransient()} is always false). Faults of the machine (a missing ffmpeg binary, a
 * full disk, an interrupted worker) are not media problems and are thrown as other exceptions.
 */
public class MediaProblem extends StepFailure {

    /** The machine-readable reasons, each with the slug stored on the failed job. */
    public enum Reason {
        /** Not a media format Caravan accepts (text, playlists, concat lists, unknown containers or codecs). */
        UNSUPPORTED_MEDIA("unsupported-media"),
        /** A recognised container that cannot be read: empty, truncated, damaged. */
        CORRUPT_MEDIA("corrupt-media"),
        /** Longer than {@link MediaLimits#maxDuration()}. */
        TOO_LONG("too-long"),
        /** More bytes or more pixels than {@link MediaLimits} allow. */
        TOO_LARGE("too-large"),
        /** An ffmpeg or ffprobe run took longer than {@link MediaLimits#timeout()}. */
        TIMEOUT("timeout"),
        /** The step needs a video stream and the media has none. */
        NO_VIDEO_STREAM("no-video-stream"),
        /** The step needs an audio stream and the media has none. */
        NO_AUDIO_STREAM("no-audio-stream");

        private final String slug;

        Reason(String slug) {
            this.slug = slug;
        }

        /** The slug, e.g. {@code corrupt-media}. */
        public String slug() {
            return slug;
        }
    }

    private final Reason reason;

    public MediaProblem(Reason reason, String message) {
        this(reason, message, null);
    }

    public MediaProblem(Reason reason, String message, Throwable cause) {
        super(slugOf(reason), message, cause);
        this.reason = reason;
    }

    private static String slugOf(Reason reason) {
        if (reason == null) {
            throw new IllegalArgumentException("reason is required");
        }
        return reason.slug();
    }

    /** The reason as an enum constant. */
    public Reason kind() {
        return reason;
    }

    /** Always false: retrying a media problem does not help. */
    public boolean isTransient() {
        return false;
    }

    static MediaProblem unsupported(String message) {
        return new MediaProblem(Reason.UNSUPPORTED_MEDIA, message);
    }

    static MediaProblem corrupt(String message) {
        return new MediaProblem(Reason.CORRUPT_MEDIA, message);
    }

    @Override
    public String toString() {
        return "MediaProblem[" + reason.slug() + "]: " + getMessage();
    }
}
