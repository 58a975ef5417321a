package routes.stt;

import java.time.Duration;

/**
 * A transcription that failed, either transiently (throttled, server error, timeout, connection error, circuit
 * open: try again later) or permanently (the request or the audio is refused: trying again will not help).
 */
public class SttException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final int status;
    private final Duration retryAfter;

    /**
     * @param message what went wrong
     * @param transientFailure true when trying again later may succeed
     * @param status the HTTP status that caused it, or 0 when there was none
     * @param retryAfter how long the server asked to wait, or null
     * @param cause the underlying error, or null
     */
    public SttException(String message, boolean transientFailure, int status, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** A failure that may go away: throttling, 5xx, timeouts, connection errors. */
    public static SttException transientFailure(String message, Throwable cause) {
        return new SttException(message, true, 0, null, cause);
    }

    /** A failure that will not go away by trying again: 4xx, bad audio. */
    public static SttException permanent(String message, Throwable cause) {
        return new SttException(message, false, 0, null, cause);
    }

    /** True when trying again later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** The HTTP status that caused the failure, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** How long the server asked to wait before trying again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
