package routes.stt;

import routes.jobs.StepFailure;

/** The speech-to-text server refused the audio or the request (a 4xx, or an answer that is not a transcript). */
public class SttRefused extends StepFailure {

    public SttRefused(String message) {
        super("stt-refused", message);
    }
}
