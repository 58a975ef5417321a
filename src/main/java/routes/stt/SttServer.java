package routes.stt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.http.FormUpload;
import routes.media.FfmpegSafety;
import routes.problems.Refusal;

/**
 * The embedded speech-to-text server: an engine behind the OpenAI-compatible transcription API, so that the
 * pipeline talks to it exactly as to OpenAI or a whisper server. The engine is a {@link Recognizer} (Moonshine with
 * Silero VAD, {@link MoonshineSpeech}, by default) or, without one, CMU PocketSphinx run as a process.
 *
 * <ul>
 *   <li>{@code POST /v1/audio/transcriptions}: a multipart form with {@code file} (any audio ffmpeg reads; a PCM
 *       16-bit 16 kHz mono WAV is used as it is), optional {@code language} (English only: the en-us model),
 *       {@code response_format} ({@code json}, {@code verbose_json}, {@code text}, {@code srt}, {@code vtt}) and
 *       {@code model} (ignored). Answers like OpenAI: verbose JSON with {@code task, language, duration, text,
 *       words[], segments[]}; errors as {@code {"error":{"message":...,"type":...}}}.</li>
 *   <li>{@code GET /health}: 200 while the server runs.</li>
 * </ul>
 *
 * <p>Limits: a request body of at most {@link #MAX_BODY_BYTES} (413 past it); at most {@code maxConcurrent}
 * transcriptions at once (429 with {@code Retry-After} past it); each transcription, conversion included, within
 * {@code timeout} (the processes are killed past it, 504). Refused requests (not multipart, malformed, no or empty
 * file, not audio) get 400.
 *
 * <p>Pocketsphinx needs the Debian packages {@code pocketsphinx} and {@code pocketsphinx-en-us}; every engine needs
 * ffmpeg for audio other than 16 kHz mono WAV.
 */
public class SttServer {

    /** The transcription endpoint's path, as OpenAI serves it. */
    public static final String TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions";

    public static final long MAX_BODY_BYTES = 200L * 1024 * 1024;
    static final int MAX_FIELD_BYTES = 64 * 1024;
    private static final FormUpload.Limits LIMITS = new FormUpload.Limits(MAX_BODY_BYTES, MAX_BODY_BYTES,
            MAX_FIELD_BYTES, FormUpload.MAX_PARTS);
    static final String DEFAULT_EXECUTABLE = "pocketsphinx_continuous";
    /** The longest audio taken unless said otherwise: four hours. */
    public static final Duration DEFAULT_MAX_AUDIO = Duration.ofHours(4);
    static final List<Path> MODEL_DIRS = List.of(
            Path.of("/usr/share/pocketsphinx/model/en-us/en-us"),
            Path.of("/usr/local/share/pocketsphinx/model/en-us/en-us"));
    static final String INSTALL_HINT =
            "install the Debian packages pocketsphinx pocketsphinx-en-us (apt-get install pocketsphinx pocketsphinx-en-us)";

    private static final Logger LOG = LoggerFactory.getLogger(SttServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BYTES_PER_SECOND = 16000 * 2;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private final String host;
    private final int port;
    private final Path workDir;
    private final int maxConcurrent;
    private final Duration timeout;
    /** The longest audio taken; longer is refused (400), and ffmpeg stops decoding just past it. */
    private final Duration maxAudio;
    private final String executable;
    private final Recognizer recognizer;
    private final Semaphore slots;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param host the address to bind ({@code 127.0.0.1})
     * @param port the port, 0 for a free one
     * @param workDir where uploads and conversions are written (a folder per request, removed after it)
     * @param maxConcurrent transcriptions at once; more get 429
     * @param timeout the longest a transcription may take, conversion included
     */
    public SttServer(String host, int port, Path workDir, int maxConcurrent, Duration timeout) {
        this(host, port, workDir, maxConcurrent, timeout, DEFAULT_EXECUTABLE);
    }

    /** The same, with the path or name of {@code pocketsphinx_continuous}. */
    public SttServer(String host, int port, Path workDir, int maxConcurrent, Duration timeout,
                                 String executable) {
        this(host, port, workDir, maxConcurrent, timeout, executable, null, DEFAULT_MAX_AUDIO);
    }

    /**
     * The same, with another engine behind the API: {@code recognizer} reads the audio instead of pocketsphinx, and
     * audio longer than {@code maxAudio} is refused.
     */
    public SttServer(String host, int port, Path workDir, int maxConcurrent, Duration timeout,
                                 Recognizer recognizer, Duration maxAudio) {
        this(host, port, workDir, maxConcurrent, timeout, DEFAULT_EXECUTABLE, recognizer, maxAudio);
    }

    private SttServer(String host, int port, Path workDir, int maxConcurrent, Duration timeout,
                                  String executable, Recognizer recognizer, Duration maxAudio) {
        if (maxAudio == null || maxAudio.isZero() || maxAudio.isNegative()) {
            throw new IllegalArgumentException("maxAudio must be positive");
        }
        this.maxAudio = maxAudio;
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (workDir == null) {
            throw new IllegalArgumentException("workDir is required");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.host = host;
        this.port = port;
        this.workDir = workDir;
        this.maxConcurrent = maxConcurrent;
        this.timeout = timeout;
        this.executable = executable == null || executable.isBlank() ? DEFAULT_EXECUTABLE : executable;
        this.recognizer = recognizer;
        this.slots = new Semaphore(maxConcurrent);
    }

    /**
     * Starts serving.
     *
     * @throws IllegalStateException when pocketsphinx or its English model is not installed, or the port is taken
     */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        if (recognizer == null && routes.tools.Executables.find(executable) == null) {
            throw new IllegalStateException("speech-to-text: " + executable + " not found; " + INSTALL_HINT);
        }
        if (recognizer == null && executable.equals(DEFAULT_EXECUTABLE) && MODEL_DIRS.stream().noneMatch(d -> Files.isRegularFile(
                d.resolve("mdef")))) {
            throw new IllegalStateException("speech-to-text: the PocketSphinx en-us model is missing; " + INSTALL_HINT);
        }
        try {
            Files.createDirectories(workDir);
            HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 64);
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(maxConcurrent + 4, r -> {
                Thread t = new Thread(r, "stt-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(pool);
            s.createContext("/", this::handle);
            s.start();
            server = s;
            executor = pool;
        } catch (IOException e) {
            throw new IllegalStateException("speech-to-text: cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** Stops serving and kills running transcriptions. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        for (Process p : running) {
            kill(p);
        }
        executor.shutdownNow();
        server = null;
        executor = null;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:40123} (after {@link #start()}). */
    public synchronized URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("the speech-to-text server is not started");
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + server.getAddress().getPort());
    }

    /** True when {@code pocketsphinx_continuous} and its English model are installed. */
    public static boolean available() {
        return routes.tools.Executables.find(DEFAULT_EXECUTABLE) != null
                && MODEL_DIRS.stream().anyMatch(d -> Files.isRegularFile(d.resolve("mdef")));
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/health")) {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    throw new RequestError(405, "invalid_request_error", "use GET on /health");
                }
                sendJson(exchange, 200, JSON.createObjectNode().put("status", "ok"));
            } else if (path.equals(TRANSCRIPTIONS_PATH)) {
                if (!method.equals("POST")) {
                    throw new RequestError(405, "invalid_request_error", "use POST on " + path);
                }
                transcriptions(exchange);
            } else {
                throw new RequestError(404, "invalid_request_error", "no such endpoint: " + method + " " + path);
            }
        } catch (RequestError e) {
            sendError(exchange, e);
        } catch (Exception e) {
            sendError(exchange, new RequestError(500, "server_error", "transcription failed: " + e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    private void transcriptions(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!FormUpload.isForm(contentType)) {
            throw new RequestError(400, "invalid_request_error",
                    "expected a multipart/form-data body with a boundary, and the audio in its 'file' field");
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        long contentLength = -1;
        if (length != null) {
            try {
                contentLength = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new RequestError(400, "invalid_request_error", "invalid Content-Length");
            }
            if (contentLength > MAX_BODY_BYTES) {
                throw tooLarge();
            }
        }
        if (!slots.tryAcquire()) {
            RequestError busy = new RequestError(429, "rate_limit_error",
                    "the speech-to-text server is busy (" + maxConcurrent + " transcriptions running); retry later");
            busy.retryAfterSeconds = 1;
            throw busy;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(workDir, "stt-");
            long deadline = System.nanoTime() + timeout.toNanos();
            FormUpload.Form form;
            try (InputStream body = exchange.getRequestBody()) {
                form = FormUpload.read(body, contentType, contentLength, dir, LIMITS);
            } catch (Refusal e) {
                if (e.kind() == Refusal.Kind.TOO_LARGE) {
                    throw tooLarge();
                }
                throw new RequestError(400, "invalid_request_error", e.getMessage());
            }
            String format = form.field("response_format");
            format = format == null || format.isBlank() ? "json" : format.strip().toLowerCase(Locale.ROOT);
            if (!List.of("json", "verbose_json", "text", "srt", "vtt").contains(format)) {
                throw new RequestError(400, "invalid_request_error", "unsupported response_format '" + format
                        + "': use json, verbose_json, text, srt or vtt");
            }
            checkLanguage(form.field("language"));
            Set<String> granularities = granularities(form, format);
            FormUpload.FilePart file = form.file("file");
            if (file == null) {
                throw new RequestError(400, "invalid_request_error", "the form has no 'file' with the audio");
            }
            if (file.size() == 0) {
                throw new RequestError(400, "invalid_request_error", "the uploaded file is empty");
            }
            Path pcm = dir.resolve("audio.pcm");
            toPcm(file.path(), pcm, dir, deadline);
            long bytes = Files.size(pcm);
            if (bytes < BYTES_PER_SECOND / 100) {
                throw new RequestError(400, "invalid_request_error", "the uploaded audio is empty");
            }
            double duration = bytes / (double) BYTES_PER_SECOND;
            if (duration > maxAudio.toMillis() / 1000.0) {
                throw new RequestError(400, "invalid_request_error", String.format(Locale.ROOT,
                        "the audio lasts more than %d s; this server takes at most %d s",
                        maxAudio.toSeconds(), maxAudio.toSeconds()));
            }
            Files.deleteIfExists(file.path());
            List<Utterance> utterances;
            if (recognizer == null) {
                utterances = recognise(pcm, dir, deadline);
            } else {
                try {
                    utterances = recognizer.recognise(pcm, deadline);
                } catch (java.io.InterruptedIOException e) {
                    throw timedOut();
                }
            }
            respond(exchange, format, granularities, duration, utterances);
        } finally {
            slots.release();
            deleteTree(dir);
        }
    }

    private static void checkLanguage(String language) {
        if (language == null || language.isBlank()) {
            return;
        }
        String l = language.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!(l.equals("en") || l.startsWith("en-") || l.equals("english") || l.equals("auto"))) {
            throw new RequestError(400, "invalid_request_error", "language '" + language.strip()
                    + "' is not available: the embedded engine has the English (en) model only");
        }
    }

    /**
     * {@code timestamp_granularities[]} as OpenAI takes them: {@code word} and/or {@code segment}, for verbose JSON
     * only (another format with {@code word} is refused); none: segments.
     */
    private static Set<String> granularities(FormUpload.Form form, String format) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String name : List.of("timestamp_granularities[]", "timestamp_granularities")) {
            for (String value : form.fields(name)) {
                String g = value.strip().toLowerCase(Locale.ROOT);
                if (!g.equals("word") && !g.equals("segment")) {
                    throw new RequestError(400, "invalid_request_error", "unsupported timestamp_granularities[] '"
                            + value.strip() + "': use word or segment");
                }
                out.add(g);
            }
        }
        if (out.contains("word") && !format.equals("verbose_json")) {
            throw new RequestError(400, "invalid_request_error",
                    "timestamp_granularities[]=word needs response_format verbose_json");
        }
        return out.isEmpty() ? Set.of("segment") : out;
    }

    private void respond(HttpExchange exchange, String format, Set<String> granularities, double duration,
                         List<Utterance> utterances) throws IOException {
        List<Transcript.Word> words = new ArrayList<>();
        for (Utterance u : utterances) {
            words.addAll(u.words());
        }
        Transcript transcript = Transcript.fromWords("en", duration, words);
        switch (format) {
            case "text" -> sendText(exchange, "text/plain; charset=utf-8", transcript.text() + "\n");
            case "srt" -> sendText(exchange, "application/x-subrip; charset=utf-8", TranscriptFormats.srt(transcript));
            case "vtt" -> sendText(exchange, "text/vtt; charset=utf-8", TranscriptFormats.vtt(transcript));
            case "json" -> sendJson(exchange, 200, JSON.createObjectNode().put("text", transcript.text()));
            default -> sendJson(exchange, 200, verboseJson(transcript, utterances, granularities));
        }
    }

    /**
     * OpenAI's verbose JSON: {@code task, language} (its English name, as OpenAI gives it), {@code duration, text},
     * then {@code words[]} ({@code word, start, end}, and the engine's {@code probability} as whisper servers add it)
     * when {@code word} was asked for, and {@code segments[]} ({@code id, seek, start, end, text, tokens,
     * temperature, avg_logprob, compression_ratio, no_speech_prob}) unless only {@code word} was. The engines here
     * decode greedily (temperature 0), have no Whisper tokens (an empty list) and no estimate of a segment being
     * silence (0: every segment is a stretch of speech).
     */
    static ObjectNode verboseJson(Transcript transcript, List<Utterance> utterances, Set<String> granularities) {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", "transcribe");
        root.put("language", transcript.language().equals("en") ? "english" : transcript.language());
        root.put("duration", round(transcript.duration()));
        root.put("text", transcript.text());
        if (granularities.contains("word")) {
            ArrayNode words = root.putArray("words");
            for (Transcript.Word w : transcript.words()) {
                words.addObject().put("word", w.word()).put("start", round(w.start())).put("end", round(w.end()))
                        .put("probability", round(w.confidence()));
            }
        }
        if (granularities.contains("segment")) {
            ArrayNode segments = root.putArray("segments");
            int id = 0;
            for (Utterance u : utterances) {
                if (u.words().isEmpty()) {
                    continue;
                }
                double logprob = 0;
                for (Transcript.Word w : u.words()) {
                    logprob += Math.log(Math.max(1e-6, w.confidence()));
                }
                String text = Transcript.join(u.words(), 0, u.words().size());
                ObjectNode segment = segments.addObject();
                segment.put("id", id++).put("seek", 0).put("start", round(u.start())).put("end", round(u.end()))
                        .put("text", text);
                segment.putArray("tokens");
                segment.put("temperature", 0.0).put("avg_logprob", round(logprob / u.words().size()))
                        .put("compression_ratio", round(compressionRatio(text))).put("no_speech_prob", 0.0);
            }
        }
        return root;
    }

    /** As Whisper computes it: the text's UTF-8 length over its zlib-compressed length. */
    static double compressionRatio(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        try {
            deflater.setInput(bytes);
            deflater.finish();
            byte[] buffer = new byte[bytes.length + 64];
            int compressed = 0;
            while (!deflater.finished()) {
                compressed += deflater.deflate(buffer);
            }
            return compressed == 0 ? 0 : bytes.length / (double) compressed;
        } finally {
            deflater.end();
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    // ---------------------------------------------------------------- audio

    /**
     * Raw PCM 16-bit 16 kHz mono: copied out of a WAV already in that form, else converted by ffmpeg.
     */
    private void toPcm(Path upload, Path pcm, Path dir, long deadline) throws IOException {
        if (copyCanonicalWav(upload, pcm)) {
            return;
        }
        if (routes.tools.Executables.find("ffmpeg") == null) {
            throw new RequestError(400, "invalid_request_error",
                    "only 16 kHz mono 16-bit WAV is accepted here (ffmpeg is not installed to convert other audio)");
        }
        List<String> command = List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                "-protocol_whitelist", "file",
                "-format_whitelist", String.join(",", FfmpegSafety.ALLOWED_DEMUXERS),
                "-i", "file:" + upload.toAbsolutePath(),
                "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", "16000",
                // no more than just past the longest audio taken: longer is refused, not decoded whole
                "-t", Long.toString(maxAudio.toSeconds() + 1),
                "-acodec", "pcm_s16le", "-f", "s16le", "-y", "file:" + pcm.toAbsolutePath());
        Run run = run(command, dir, "ffmpeg", deadline);
        if (run.exitCode() != 0) {
            String detail = run.stderrTail().replace("file:" + upload.toAbsolutePath(), "the upload")
                    .replace(dir.toAbsolutePath().toString(), "");
            String reason = detail.contains("matches no streams") ? "the file has no audio stream"
                    : "the file is not audio that can be decoded";
            throw new RequestError(400, "invalid_request_error", reason
                    + (detail.isBlank() ? "" : " (" + detail + ")"));
        }
    }

    /** Copies the samples of a PCM 16-bit 16 kHz mono WAV; false when the file is anything else. */
    static boolean copyCanonicalWav(Path wav, Path pcm) throws IOException {
        try (FileChannel in = FileChannel.open(wav, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 12 || in.read(head, 0) < 12 || !ascii(head, 0).equals("RIFF") || !ascii(head, 8).equals("WAVE")) {
                return false;
            }
            long at = 12;
            boolean formatOk = false;
            while (at + 8 <= size) {
                ByteBuffer chunk = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                in.read(chunk, at);
                String id = ascii(chunk, 0);
                long length = Integer.toUnsignedLong(chunk.getInt(4));
                long body = at + 8;
                if (id.equals("fmt ")) {
                    if (length < 16) {
                        return false;
                    }
                    ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                    in.read(fmt, body);
                    formatOk = fmt.getShort(0) == 1 && fmt.getShort(2) == 1 && fmt.getInt(4) == 16000
                            && fmt.getShort(14) == 16;
                    if (!formatOk) {
                        return false;
                    }
                } else if (id.equals("data")) {
                    if (!formatOk) {
                        return false;
                    }
                    long n = Math.min(length, size - body) & ~1L;
                    try (FileChannel out = FileChannel.open(pcm, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                        long done = 0;
                        while (done < n) {
                            done += in.transferTo(body + done, n - done, out);
                        }
                    }
                    return true;
                }
                at = body + length + (length & 1);
            }
            return false;
        }
    }

    private static String ascii(ByteBuffer b, int offset) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = b.get(offset + i);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- recognition

    /** One stretch of speech between two silences, as the engine segments it. */
    public record Utterance(double start, double end, List<Transcript.Word> words) {
    }

    /** An engine other than pocketsphinx behind the API. */
    public interface Recognizer {

        /**
         * The utterances of {@code pcm} (raw 16-bit little-endian 16 kHz mono), read before {@code deadline}
         * ({@link System#nanoTime()}); past it, an {@link java.io.InterruptedIOException} (answered 504).
         */
        List<Utterance> recognise(Path pcm, long deadline) throws IOException;
    }

    private List<Utterance> recognise(Path pcm, Path dir, long deadline) throws IOException {
        List<String> command = List.of(executable, "-infile", pcm.toAbsolutePath().toString(),
                "-time", "yes", "-logfn", "/dev/null", "-dither", "yes", "-seed", "1");
        Run run = run(command, dir, "pocketsphinx", deadline);
        if (run.exitCode() != 0) {
            throw new RequestError(500, "server_error", "pocketsphinx failed (exit " + run.exitCode() + ")"
                    + (run.stderrTail().isBlank() ? "" : ": " + run.stderrTail()));
        }
        return parseOutput(Files.readAllLines(run.stdout(), StandardCharsets.UTF_8));
    }

    /**
     * Parses {@code pocketsphinx_continuous -time yes}: per utterance, a hypothesis line then one line per word,
     * {@code word start end confidence}, between {@code <s>} and {@code </s>}. Fillers ({@code <sil>},
     * {@code [NOISE]}, {@code ++...++}) are dropped and alternate pronunciations ({@code word(2)}) cleaned.
     */
    static List<Utterance> parseOutput(List<String> lines) {
        List<Utterance> out = new ArrayList<>();
        List<Transcript.Word> words = new ArrayList<>();
        double start = -1;
        double end = -1;
        for (String line : lines) {
            String[] t = line.strip().split("\\s+");
            if (t.length != 4 || !NUMBER.matcher(t[1]).matches() || !NUMBER.matcher(t[2]).matches()
                    || !NUMBER.matcher(t[3]).matches()) {
                continue; // a hypothesis line, or anything else
            }
            String token = t[0];
            double s = Double.parseDouble(t[1]);
            double e = Double.parseDouble(t[2]);
            double confidence = Math.max(0, Math.min(1, Double.parseDouble(t[3])));
            if (token.equals("<s>")) {
                if (!words.isEmpty()) {
                    out.add(new Utterance(start, end, words));
                    words = new ArrayList<>();
                }
                start = s;
                end = e;
                continue;
            }
            if (token.equals("</s>")) {
                if (!words.isEmpty()) {
                    out.add(new Utterance(start < 0 ? words.get(0).start() : start, e, words));
                    words = new ArrayList<>();
                }
                start = -1;
                end = -1;
                continue;
            }
            if (start < 0) {
                start = s;
            }
            end = Math.max(end, e);
            String word = cleanWord(token);
            if (word != null) {
                words.add(new Transcript.Word(word, s, e, confidence));
            }
        }
        if (!words.isEmpty()) {
            out.add(new Utterance(start, end, words));
        }
        return out;
    }

    /** The word without its pronunciation variant, or null for a filler. */
    static String cleanWord(String token) {
        if (token.isEmpty() || token.startsWith("<") || token.startsWith("[") || token.startsWith("+")) {
            return null;
        }
        String w = token.replaceAll("\\(\\d+\\)$", "");
        return w.isEmpty() ? null : w;
    }

    // ---------------------------------------------------------------- processes

    private record Run(int exitCode, Path stdout, String stderrTail) {
    }

    /** Runs a command (an argument list, no shell) until the deadline; killed past it (504). */
    private Run run(List<String> command, Path dir, String name, long deadline) throws IOException {
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut();
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RequestError(500, "server_error", name + " could not be started: " + e.getMessage());
        }
        running.add(process);
        try {
            if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                kill(process);
                throw timedOut();
            }
            return new Run(process.exitValue(), stdout, tail(stderr));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new RequestError(503, "server_error", "the server is stopping");
        } finally {
            running.remove(process);
        }
    }

    private RequestError timedOut() {
        return new RequestError(504, "timeout_error", "transcription took longer than " + timeout.toMillis()
                + " ms and was stopped");
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> meaningful = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            String last = meaningful.isEmpty() ? "" : meaningful.get(meaningful.size() - 1);
            return last.length() > 300 ? last.substring(0, 300) + "..." : last;
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            PathUtils.deleteDirectory(dir);
        } catch (IOException e) {
            LOG.warn("speech-to-text work folder {} not removed: {}", dir, e.toString());
        }
    }

    // ---------------------------------------------------------------- responses

    private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, bytes);
    }

    private static void sendText(HttpExchange exchange, String contentType, String text) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        send(exchange, 200, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void sendError(HttpExchange exchange, RequestError error) {
        try {
            ObjectNode root = JSON.createObjectNode();
            root.putObject("error").put("message", error.getMessage()).put("type", error.type);
            if (error.retryAfterSeconds > 0) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(error.retryAfterSeconds));
            }
            if (error.status == 413 || error.status == 429) {
                // the body was not read: do not try to read the next request from this connection
                exchange.getResponseHeaders().set("Connection", "close");
            }
            sendJson(exchange, error.status, root);
        } catch (IOException | RuntimeException e) {
            // the client is gone, or the headers were sent already
        }
    }

    private static RequestError tooLarge() {
        return new RequestError(413, "invalid_request_error", "the request body is larger than "
                + (MAX_BODY_BYTES / (1024 * 1024)) + " MB");
    }

    /** An answer other than 200, with OpenAI's error JSON. */
    private static final class RequestError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;
        int retryAfterSeconds;

        RequestError(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }
    }
}
