package routes.jobs;

/**
 * Something the step needs kept failing through its own retries (the speech-to-text engine behind stt-request): the
 * step ends FAILED with the message, and its task is parked on the queue's dead-letter queue.
 */
public class GaveUp extends RuntimeException {

    public GaveUp(String message) {
        super(message);
    }
}
