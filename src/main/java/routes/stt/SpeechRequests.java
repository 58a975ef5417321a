package routes.stt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

/**
 * The body of one call to an OpenAI-compatible transcription endpoint ({@code POST /v1/audio/transcriptions}): a
 * multipart form with the audio file (streamed from disk), the model, {@code response_format=verbose_json} with word
 * and segment timestamps (or {@code diarized_json}, with {@code chunking_strategy=auto}, for a model that labels
 * speakers, such as OpenAI's {@code gpt-4o-transcribe-diarize}) and the language; and the bearer token some servers
 * need.
 */
public class SpeechRequests {

    private final String model;
    private final String language;
    private final String apiKey;
    private final String responseFormat;

    /** The same, asking for verbose JSON. */
    public SpeechRequests(String model, String language, String apiKey) {
        this(model, language, apiKey, "verbose_json");
    }

    /**
     * @param model the model name sent in the form ({@code whisper-1}); servers with one model ignore it
     * @param language an ISO 639-1 code, or blank or {@code auto} to let the server detect it
     * @param apiKey sent as {@code Authorization: Bearer}, or null/blank for none
     * @param responseFormat {@code verbose_json} or {@code diarized_json}
     */
    public SpeechRequests(String model, String language, String apiKey, String responseFormat) {
        if (!"verbose_json".equals(responseFormat) && !"diarized_json".equals(responseFormat)) {
            throw new IllegalArgumentException("response format " + responseFormat
                    + " is not one with timings: use verbose_json or diarized_json");
        }
        this.responseFormat = responseFormat;
        this.model = model == null || model.isBlank() ? "whisper-1" : model.strip();
        this.language = language == null || language.isBlank() || "auto".equalsIgnoreCase(language.strip())
                ? null : language.strip();
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    /** The form for the audio in {@code wav}. */
    public HttpEntity form(Path wav) {
        if (wav == null || !Files.isRegularFile(wav)) {
            throw new SttRefused("no audio file to transcribe: " + wav);
        }
        MultipartEntityBuilder form = MultipartEntityBuilder.create()
                .addTextBody("model", model)
                .addTextBody("response_format", responseFormat);
        if (responseFormat.equals("verbose_json")) {
            form.addTextBody("timestamp_granularities[]", "word")
                    .addTextBody("timestamp_granularities[]", "segment");
        } else {
            // a diarizing model takes audio over 30 s only when it may cut it where it hears pauses
            form.addTextBody("chunking_strategy", "auto");
        }
        if (language != null) {
            form.addTextBody("language", language);
        }
        return form.addBinaryBody("file", wav.toFile(), ContentType.create("audio/wav"), fileName(wav)).build();
    }

    /** {@code Bearer <key>}, or null when no key is set. */
    public String authorization() {
        return apiKey == null ? null : "Bearer " + apiKey;
    }

    /** The file's name when it is plain ASCII (servers read the format from its extension), else audio.wav. */
    static String fileName(Path audio) {
        Path name = audio.getFileName();
        String s = name == null ? "" : name.toString();
        return s.matches("[A-Za-z0-9._-]{1,100}") ? s : "audio.wav";
    }
}
