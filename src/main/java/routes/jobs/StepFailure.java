package routes.jobs;

/**
 * The step's input cannot be processed (broken or unsupported media, a bad operation, audio the engine refuses):
 * trying again would fail the same way, so the step ends FAILED with {@code reason}: message.
 */
public class StepFailure extends RuntimeException {

    private final String reason;

    public StepFailure(String reason, String message) {
        this(reason, message, null);
    }

    public StepFailure(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A slug naming the kind of failure, e.g. {@code corrupt-media}. */
    public String reason() {
        return reason;
    }
}
