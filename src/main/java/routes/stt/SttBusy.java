package routes.stt;

import java.io.IOException;

/** The speech-to-text server asked to be called later (408 or 429): the stt-request route tries again. */
public class SttBusy extends IOException {

    public SttBusy(String message) {
        super(message);
    }
}
