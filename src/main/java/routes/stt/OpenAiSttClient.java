package routes.stt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Speech-to-text over the OpenAI-compatible transcription API, as served by OpenAI, whisper.cpp's server,
 * speaches, LocalAI and Caravan's own {@link PocketsphinxSttServer}.
 *
 * <p>One call is {@code POST {baseUrl}/v1/audio/transcriptions} with a multipart form ({@code file},
 * {@code model}, {@code response_format=verbose_json}, {@code timestamp_granularities[]=word} and
 * {@code =segment}, {@code language}) and an optional bearer API key. The verbose JSON answer becomes a
 * {@link Transcript}; when the server gives no word timings, the words of each segment are spread over it.
 *
 * <p>Resilience: connect and request timeouts; 429, 408, 5xx and connection errors are retried up to
 * {@code maxAttempts} times with exponential backoff and jitter, waiting at least what {@code Retry-After} asks
 * (up to {@link #MAX_RETRY_AFTER}); other 4xx fail at once, permanently. A {@link CircuitBreaker} counts the
 * transient failures of every attempt and, once open, refuses calls at once with a transient error.
 */
public class OpenAiSttClient implements SpeechToText {

    /** The transcription endpoint's path under the base URL. */
    public static final String TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions";

    /** The longest backoff between two attempts. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** A longer {@code Retry-After} is not waited for: the call fails transiently, carrying it. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ERROR_BODY_CHARS = 300;

    /** Language names some servers answer with, to ISO 639-1 codes. */
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

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final CircuitBreaker breaker;
    private final HttpClient http;

    /**
     * A client with a 10 s connect timeout, a 10 min request timeout, backoff from 1 s and a breaker that opens
     * after 5 consecutive failures for 30 s.
     */
    public OpenAiSttClient(URI baseUrl, String model, String apiKey, int maxAttempts) {
        this(baseUrl, model, apiKey, Duration.ofSeconds(10), Duration.ofMinutes(10), maxAttempts,
                Duration.ofSeconds(1), new CircuitBreaker(5, Duration.ofSeconds(30)));
    }

    /**
     * @param baseUrl the server, e.g. {@code https://api.openai.com} or {@code http://127.0.0.1:8178}; a trailing
     *     {@code /v1} is accepted
     * @param model the model name sent in the form ({@code whisper-1}); servers with one model ignore it
     * @param apiKey sent as {@code Authorization: Bearer}, or null/blank for none
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long one attempt may take, upload and answer included
     * @param maxAttempts attempts in all (1 = no retry)
     * @param initialBackoff the wait before the second attempt; doubled each time, up to {@link #MAX_BACKOFF}
     * @param breaker the circuit breaker (may be shared by clients of the same server)
     */
    public OpenAiSttClient(URI baseUrl, String model, String apiKey, Duration connectTimeout, Duration requestTimeout,
                           int maxAttempts, Duration initialBackoff, CircuitBreaker breaker) {
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL: " + baseUrl);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.endpoint = endpointOf(baseUrl);
        this.model = model == null || model.isBlank() ? "whisper-1" : model.strip();
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff == null || initialBackoff.isNegative() ? Duration.ZERO : initialBackoff;
        this.breaker = breaker == null ? new CircuitBreaker(5, Duration.ofSeconds(30)) : breaker;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(positive(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The URL the client posts to. */
    public URI endpoint() {
        return endpoint;
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    @Override
    public Transcript transcribe(Path wav16kMono, String language) throws SttException {
        long size = audioSize(wav16kMono);
        String lang = language == null || language.isBlank() || "auto".equalsIgnoreCase(language.strip())
                ? null : language.strip();
        SttException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (!breaker.tryAcquire()) {
                Duration wait = breaker.remainingOpen();
                throw new SttException("speech-to-text circuit is open after repeated failures of " + endpoint
                        + (last == null ? "" : " (last: " + last.getMessage() + ")"), true, 0,
                        wait.isZero() ? null : wait, last);
            }
            try {
                Transcript transcript = attempt(wav16kMono, size, lang);
                breaker.onSuccess();
                return transcript;
            } catch (SttException e) {
                if (!e.isTransient()) {
                    breaker.onSuccess(); // the server is up: it answered, and refused this request
                    throw e;
                }
                breaker.onFailure();
                last = e;
            } catch (RuntimeException | Error e) {
                breaker.onFailure();
                throw e;
            }
            if (attempt == maxAttempts) {
                break;
            }
            Duration wait = backoff(attempt);
            if (last.retryAfter() != null) {
                if (last.retryAfter().compareTo(MAX_RETRY_AFTER) > 0) {
                    throw last;
                }
                if (last.retryAfter().compareTo(wait) > 0) {
                    wait = last.retryAfter();
                }
            }
            sleep(wait, last);
        }
        throw new SttException(last.getMessage() + " (after " + maxAttempts + " attempt"
                + (maxAttempts == 1 ? "" : "s") + ")", true, last.status(), last.retryAfter(), last);
    }

    /** One request; throws transient or permanent failures. */
    private Transcript attempt(Path audio, long size, String language) throws SttException {
        String boundary = "----caravan-" + HexFormat.of().formatHex(randomBytes(16));
        byte[] head = formHead(boundary, language, fileName(audio));
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofByteArray(head),
                    HttpRequest.BodyPublishers.ofFile(audio),
                    HttpRequest.BodyPublishers.ofByteArray(tail));
        } catch (IOException e) {
            throw SttException.permanent("cannot read the audio " + audio.getFileName() + ": " + e.getMessage(), e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(body);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response = send(request.build());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return parseVerboseJson(response.body(), language);
        }
        String message = "speech-to-text server answered " + status + errorDetail(response.body());
        Duration retryAfter = retryAfter(response).orElse(null);
        boolean transientFailure = status == 429 || status == 408 || status >= 500;
        throw new SttException(message, transientFailure, status, retryAfter, null);
    }

    private HttpResponse<String> send(HttpRequest request) throws SttException {
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            // the request timeout covers the answer's headers; this also bounds reading its body
            return future.get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw SttException.transientFailure("speech-to-text request timed out after " + requestTimeout, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw SttException.transientFailure("interrupted while waiting for speech-to-text", e);
        } catch (CancellationException e) {
            throw SttException.transientFailure("speech-to-text request was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw SttException.transientFailure("cannot connect to " + endpoint + ": connect timed out", cause);
            }
            if (cause instanceof HttpTimeoutException) {
                throw SttException.transientFailure("speech-to-text request timed out after " + requestTimeout,
                        cause);
            }
            if (cause instanceof ConnectException) {
                throw SttException.transientFailure("cannot connect to " + endpoint + ": " + cause, cause);
            }
            if (cause instanceof IOException) {
                throw SttException.transientFailure("connection to " + endpoint + " failed: " + cause, cause);
            }
            throw SttException.permanent("speech-to-text request failed: " + cause, cause);
        }
    }

    private byte[] formHead(String boundary, String language, String fileName) {
        StringBuilder sb = new StringBuilder();
        field(sb, boundary, "model", model);
        field(sb, boundary, "response_format", "verbose_json");
        field(sb, boundary, "timestamp_granularities[]", "word");
        field(sb, boundary, "timestamp_granularities[]", "segment");
        if (language != null) {
            field(sb, boundary, "language", language);
        }
        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(fileName).append("\"\r\n")
                .append("Content-Type: audio/wav\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder sb, String boundary, String name, String value) {
        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n");
    }

    /** The file's name when it is plain ASCII, {@code audio.wav} otherwise. */
    private static String fileName(Path audio) {
        Path name = audio.getFileName();
        String s = name == null ? "" : name.toString();
        return s.matches("[A-Za-z0-9._-]{1,100}") ? s : "audio.wav";
    }

    private static long audioSize(Path audio) throws SttException {
        if (audio == null) {
            throw SttException.permanent("no audio file given", null);
        }
        try {
            if (!Files.isRegularFile(audio) || !Files.isReadable(audio)) {
                throw SttException.permanent("audio file not found or not readable: " + audio, null);
            }
            long size = Files.size(audio);
            if (size == 0) {
                throw SttException.permanent("audio file is empty: " + audio, null);
            }
            return size;
        } catch (IOException e) {
            throw SttException.permanent("cannot read the audio " + audio + ": " + e.getMessage(), e);
        }
    }

    /** Exponential backoff with jitter: between half and all of {@code initial * 2^(attempt-1)}, capped. */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis();
        if (base <= 0) {
            return Duration.ZERO;
        }
        long max = MAX_BACKOFF.toMillis();
        long delay = attempt >= 31 ? max : Math.min(max, base << Math.min(30, attempt - 1));
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay - delay / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    private static void sleep(Duration wait, SttException last) throws SttException {
        if (wait.isZero() || wait.isNegative()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SttException("interrupted while waiting to retry: " + last.getMessage(), true, last.status(),
                    last.retryAfter(), last);
        }
    }

    /** {@code Retry-After} as seconds (possibly fractional) or an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(OpenAiSttClient::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            double seconds = Double.parseDouble(v);
            if (seconds >= 0 && Double.isFinite(seconds)) {
                return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            // an HTTP date
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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

    // ---------------------------------------------------------------- verbose_json

    /**
     * A transcript from the API's verbose JSON: {@code text}, {@code language}, {@code duration},
     * {@code words[] {word, start, end, probability?}} and {@code segments[] {start, end, text, avg_logprob?,
     * words?}}. Without top-level words, the segments' own words are used, else each segment's text is spread
     * evenly (by characters) over the segment; without segments either, the text over the whole duration.
     *
     * @param requestedLanguage used when the answer names no language
     * @throws SttException permanent, when the answer is not such JSON
     */
    public static Transcript parseVerboseJson(String body, String requestedLanguage) throws SttException {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw SttException.permanent("speech-to-text answer is not JSON: " + clip(String.valueOf(body)), e);
        }
        if (root == null || !root.isObject()) {
            throw SttException.permanent("speech-to-text answer is not a JSON object: " + clip(String.valueOf(body)),
                    null);
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
                words.addAll(own);
            }
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
            out.add(new Transcript.Word(word, start, end, confidence));
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

    // ---------------------------------------------------------------- helpers

    private static URI endpointOf(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith(TRANSCRIPTIONS_PATH)) {
            return URI.create(base);
        }
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        return URI.create(base + TRANSCRIPTIONS_PATH);
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
