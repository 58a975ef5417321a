package routes.stt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import org.apache.camel.http.base.HttpOperationFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what an OpenAI-compatible transcription endpoint answered: a transcript from its verbose JSON on 2xx; on
 * 408 or 429, {@link SttBusy} (the stt-request route tries again); on any other refusal, {@link SttRefused} (the
 * audio or the request is refused: the step fails). 5xx answers never reach here: they fail the call inside the
 * circuit breaker.
 */
public class SpeechAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_CHARS = 300;

    private static final Map<String, String> LANGUAGE_CODES = Map.ofEntries(
            Map.entry("english", "en"), Map.entry("french", "fr"), Map.entry("german", "de"),
            Map.entry("spanish", "es"), Map.entry("italian", "it"), Map.entry("portuguese", "pt"),
            Map.entry("dutch", "nl"), Map.entry("russian", "ru"), Map.entry("chinese", "zh"),
            Map.entry("japanese", "ja"), Map.entry("korean", "ko"), Map.entry("arabic", "ar"),
            Map.entry("hindi", "hi"), Map.entry("polish", "pl"), Map.entry("turkish", "tr"),
            Map.entry("swedish", "sv"), Map.entry("danish", "da"), Map.entry("norwegian", "no"),
            Map.entry("finnish", "fi"), Map.entry("ukrainian", "uk"), Map.entry("czech", "cs"),
            Map.entry("greek", "el"), Map.entry("hebrew", "he"), Map.entry("indonesian", "id"),
            Map.entry("vietnamese", "vi"), Map.entry("catalan", "ca"), Map.entry("romanian", "ro"),
            Map.entry("hungarian", "hu"));

    private final String language;

    /** @param language the language asked for, used when an answer names none */
    public SpeechAnswers(String language) {
        this.language = language;
    }

    /**
     * Why a transcription failed after {@code retries} retries (null: none), from its last failure: what the server
     * answered, that it could not be reached or did not answer in time, or that the circuit is open.
     */
    public String gaveUp(Throwable last, Integer retries) {
        int calls = 1 + (retries == null ? 0 : retries);
        return "speech-to-text failed after " + calls + (calls == 1 ? " attempt: " : " attempts: ") + describe(last);
    }

    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http) {
                return "the server answered " + http.getStatusCode() + errorDetail(http.getResponseBody());
            }
            if (cause instanceof CallNotPermittedException) {
                return "the circuit is open after repeated failures, so the server was not called";
            }
            if (cause instanceof SttBusy busy) {
                return busy.getMessage();
            }
            if (cause instanceof IOException io) {
                return "the server could not be reached or did not answer in time (" + io + ")";
            }
        }
        return String.valueOf(failure);
    }

    /** The transcript in an answer of {@code status} with {@code body}. */
    public Transcript transcript(int status, String body) throws SttBusy {
        if (status / 100 == 2) {
            return parseVerboseJson(body, language);
        }
        String message = "speech-to-text server answered " + status + errorDetail(body);
        if (status == 408 || status == 429) {
            throw new SttBusy(message);
        }
        throw new SttRefused(message);
    }

    private static String errorDetail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode message = node.path("error").path("message");
            if (message.isTextual()) {
                return ": " + clip(message.asText());
            }
            if (node.path("error").isTextual()) {
                return ": " + clip(node.path("error").asText());
            }
            if (node.path("detail").isTextual()) {
                return ": " + clip(node.path("detail").asText());
            }
        } catch (IOException e) {
            // not JSON
        }
        return ": " + clip(body.strip());
    }

    private static String clip(String s) {
        return s.length() > ERROR_BODY_CHARS ? s.substring(0, ERROR_BODY_CHARS) + "..." : s;
    }

    /**
     * A transcript from the API's verbose JSON: {@code text}, {@code language}, {@code duration},
     * {@code words[] {word, start, end, probability?}} and {@code segments[] {start, end, text, avg_logprob?,
     * words?}}. Without top-level words, the segments' own words are used, else each segment's text is spread
     * evenly (by characters) over the segment; without segments either, the text over the whole duration. A
     * {@code speaker} on words or segments (a diarizing server's: OpenAI's {@code diarized_json}, WhisperX) is kept
     * on the words, and paragraphs follow it.
     *
     * @param requestedLanguage used when the answer names no language
     * @throws SttRefused when the answer is not such JSON
     */
    public static Transcript parseVerboseJson(String body, String requestedLanguage) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new SttRefused("speech-to-text answer is not JSON: " + clip(String.valueOf(body)));
        }
        if (root == null || !root.isObject()) {
            throw new SttRefused("speech-to-text answer is not a JSON object: " + clip(String.valueOf(body)));
        }
        String text = root.path("text").isTextual() ? root.path("text").asText() : null;
        String language = languageCode(root.path("language").isTextual() ? root.path("language").asText()
                : requestedLanguage);
        double duration = number(root.path("duration"), 0);

        List<Transcript.Word> words = words(root.path("words"), 1.0);
        JsonNode segments = root.path("segments");
        if (words.isEmpty() && segments.isArray()) {
            for (JsonNode segment : segments) {
                double confidence = segmentConfidence(segment);
                List<Transcript.Word> own = words(segment.path("words"), confidence);
                if (own.isEmpty()) {
                    own = spread(segment.path("text").asText(""), number(segment.path("start"), 0),
                            number(segment.path("end"), 0), confidence);
                }
                String speaker = speaker(segment);
                for (Transcript.Word w : own) {
                    words.add(w.speaker() != null || speaker == null ? w
                            : new Transcript.Word(w.word(), w.start(), w.end(), w.confidence(), speaker));
                }
            }
        } else if (segments.isArray()) {
            words = withSegmentSpeakers(words, segments);
        }
        if (words.isEmpty() && text != null && !text.isBlank() && duration > 0) {
            words = spread(text, 0, duration, 1.0);
        }
        if (duration <= 0 && segments.isArray() && !segments.isEmpty()) {
            duration = number(segments.get(segments.size() - 1).path("end"), 0);
        }
        return Transcript.fromWords(language, duration, text, words);
    }

    private static List<Transcript.Word> words(JsonNode array, double defaultConfidence) {
        List<Transcript.Word> out = new ArrayList<>();
        if (!array.isArray()) {
            return out;
        }
        for (JsonNode w : array) {
            String word = w.path("word").isTextual() ? w.path("word").asText() : w.path("text").asText("");
            if (word.isBlank()) {
                continue;
            }
            double start = number(w.path("start"), Double.NaN);
            double end = number(w.path("end"), Double.NaN);
            double confidence = defaultConfidence;
            for (String key : List.of("probability", "confidence", "score", "p")) {
                if (w.path(key).isNumber()) {
                    confidence = w.path(key).asDouble();
                    break;
                }
            }
            out.add(new Transcript.Word(word, start, end, confidence, speaker(w)));
        }
        return out;
    }

    /** The {@code speaker} a diarizing server gives a word or segment (OpenAI's diarized JSON, WhisperX), or null. */
    private static String speaker(JsonNode node) {
        JsonNode speaker = node.path("speaker");
        return speaker.isTextual() || speaker.isNumber() ? speaker.asText() : null;
    }

    /** Words without a speaker of their own get the speaker of the segment their middle falls in. */
    private static List<Transcript.Word> withSegmentSpeakers(List<Transcript.Word> words, JsonNode segments) {
        List<double[]> spans = new ArrayList<>();
        List<String> speakers = new ArrayList<>();
        for (JsonNode segment : segments) {
            String speaker = speaker(segment);
            if (speaker != null) {
                spans.add(new double[] {number(segment.path("start"), 0), number(segment.path("end"), 0)});
                speakers.add(speaker);
            }
        }
        if (speakers.isEmpty()) {
            return words;
        }
        List<Transcript.Word> out = new ArrayList<>(words.size());
        for (Transcript.Word w : words) {
            String speaker = w.speaker();
            double middle = (w.start() + w.end()) / 2;
            for (int i = 0; speaker == null && i < spans.size(); i++) {
                if (middle >= spans.get(i)[0] && middle <= spans.get(i)[1]) {
                    speaker = speakers.get(i);
                }
            }
            out.add(new Transcript.Word(w.word(), w.start(), w.end(), w.confidence(), speaker));
        }
        return out;
    }

    /** {@code exp(avg_logprob)} when the segment has it, else 1. */
    private static double segmentConfidence(JsonNode segment) {
        JsonNode avg = segment.path("avg_logprob");
        if (avg.isNumber()) {
            double p = Math.exp(avg.asDouble());
            return Double.isFinite(p) ? Math.max(0, Math.min(1, p)) : 1.0;
        }
        return 1.0;
    }

    /** The words of {@code text} spread over {@code [start, end]}, each taking time in proportion to its length. */
    static List<Transcript.Word> spread(String text, double start, double end, double confidence) {
        List<Transcript.Word> out = new ArrayList<>();
        String[] tokens = text == null ? new String[0] : text.strip().split("\\s+");
        int chars = 0;
        for (String t : tokens) {
            chars += t.length();
        }
        if (chars == 0) {
            return out;
        }
        double span = Math.max(0, end - start);
        double at = start;
        int seen = 0;
        for (String t : tokens) {
            if (t.isEmpty()) {
                continue;
            }
            seen += t.length();
            double next = start + span * seen / chars;
            out.add(new Transcript.Word(t, at, next, confidence));
            at = next;
        }
        return out;
    }

    private static double number(JsonNode node, double fallback) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** {@code english} → {@code en}; codes are kept (lower case); other names as given. */
    static String languageCode(String language) {
        if (language == null || language.isBlank()) {
            return null;
        }
        String l = language.strip().toLowerCase(Locale.ROOT);
        return LANGUAGE_CODES.getOrDefault(l, l);
    }

}
