package routes.stt;

import java.nio.file.Path;

/** Turns speech into a timed transcript. */
public interface SpeechToText {

    /**
     * Transcribes one audio file.
     *
     * @param wav16kMono a WAV file, PCM 16-bit, 16 kHz, mono (other audio may be accepted by some engines)
     * @param language the spoken language as an ISO 639-1 code ({@code en}), or null to let the engine detect it
     * @return the words, their timings and paragraphs
     * @throws SttException {@linkplain SttException#isTransient() transient} when trying again later may succeed
     *     (throttled, unavailable, timed out, connection lost, circuit open), permanent otherwise (bad audio,
     *     refused request)
     */
    Transcript transcribe(Path wav16kMono, String language) throws SttException;
}
