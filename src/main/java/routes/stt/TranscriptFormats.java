package routes.stt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Transcript} as JSON, SubRip subtitles (SRT), WebVTT subtitles or plain text.
 *
 * <p>Subtitle cues follow the usual reading rules: at most {@link #MAX_LINES} lines of at most
 * {@link #MAX_LINE_CHARS} characters, at most {@link #MAX_CUE_SECONDS} seconds on screen, never across a paragraph
 * or a pause longer than {@link #CUE_PAUSE_SECONDS}. Cue timings are monotonic: each cue starts no earlier than the
 * previous one ends and ends after it starts.
 */
public final class TranscriptFormats {

    public static final int MAX_LINE_CHARS = 42;
    public static final int MAX_LINES = 2;
    public static final double MAX_CUE_SECONDS = 7.0;
    /** A pause longer than this (seconds) between two words ends a cue. */
    public static final double CUE_PAUSE_SECONDS = 1.0;
    /** A cue shorter than this (seconds) is stretched, when the next cue leaves room. */
    static final double MIN_CUE_SECONDS = 0.5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptFormats() {
    }

    /**
     * One subtitle cue.
     *
     * @param start seconds
     * @param end seconds, after {@code start}
     * @param lines one or two lines of text
     */
    public record Cue(double start, double end, List<String> lines) {
        public Cue {
            lines = List.copyOf(lines);
        }

        public String text() {
            return String.join("\n", lines);
        }
    }

    /** The transcript as JSON: {@code language, duration, text, words[], paragraphs[]}. */
    public static String json(Transcript transcript) {
        try {
            return JSON.writeValueAsString(transcript);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SubRip: numbered cues from 1, {@code HH:MM:SS,mmm --> HH:MM:SS,mmm}, a blank line after each. */
    public static String srt(Transcript transcript) {
        StringBuilder sb = new StringBuilder();
        int n = 1;
        for (Cue cue : cues(transcript)) {
            sb.append(n++).append('\n')
                    .append(timestamp(cue.start(), ',')).append(" --> ").append(timestamp(cue.end(), ','))
                    .append('\n');
            for (String line : cue.lines()) {
                sb.append(line.replace("-->", "->")).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** WebVTT: the {@code WEBVTT} header, then cues {@code HH:MM:SS.mmm --> HH:MM:SS.mmm}, text escaped. */
    public static String vtt(Transcript transcript) {
        StringBuilder sb = new StringBuilder("WEBVTT\n\n");
        for (Cue cue : cues(transcript)) {
            sb.append(timestamp(cue.start(), '.')).append(" --> ").append(timestamp(cue.end(), '.')).append('\n');
            for (String line : cue.lines()) {
                sb.append(escapeVtt(line)).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Plain text: one paragraph per block, blocks separated by a blank line. */
    public static String txt(Transcript transcript) {
        List<String> blocks = new ArrayList<>();
        for (Transcript.Paragraph p : transcript.paragraphs()) {
            if (!p.text().isBlank()) {
                blocks.add(p.text());
            }
        }
        if (blocks.isEmpty() && !transcript.text().isBlank()) {
            blocks.add(transcript.text().strip());
        }
        return blocks.isEmpty() ? "" : String.join("\n\n", blocks) + "\n";
    }

    /** {@code HH:MM:SS,mmm} (or with the given separator before the milliseconds). */
    public static String timestamp(double seconds, char millisSeparator) {
        long millis = Math.max(0, Math.round(seconds * 1000));
        long h = millis / 3_600_000;
        long m = (millis / 60_000) % 60;
        long s = (millis / 1000) % 60;
        long ms = millis % 1000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", h, m, s, millisSeparator, ms);
    }

    /** The subtitle cues of a transcript, timings monotonic. */
    public static List<Cue> cues(Transcript transcript) {
        List<Transcript.Word> words = transcript.words();
        List<Cue> raw = new ArrayList<>();
        for (Transcript.Paragraph paragraph : transcript.paragraphs()) {
            CueBuilder cue = null;
            for (int i = paragraph.fromWord(); i < paragraph.toWord() && i < words.size(); i++) {
                Transcript.Word word = words.get(i);
                for (String piece : pieces(word.word())) {
                    if (cue != null && !cue.accepts(piece, word)) {
                        raw.add(cue.build());
                        cue = null;
                    }
                    if (cue == null) {
                        cue = new CueBuilder(word.start());
                    }
                    cue.add(piece, word);
                }
            }
            if (cue != null) {
                raw.add(cue.build());
            }
        }
        return monotonic(raw);
    }

    /** Each cue starts no earlier than the previous one ends; short cues are stretched into free time. */
    private static List<Cue> monotonic(List<Cue> cues) {
        List<Cue> out = new ArrayList<>(cues.size());
        double previousEnd = 0;
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            double start = Math.max(cue.start(), previousEnd);
            double end = Math.max(cue.end(), start);
            if (end - start < MIN_CUE_SECONDS) {
                double room = i + 1 < cues.size() ? cues.get(i + 1).start() : Double.MAX_VALUE;
                end = Math.max(end, Math.min(start + MIN_CUE_SECONDS, room));
            }
            if (Math.round(end * 1000) <= Math.round(start * 1000)) {
                end = start + 0.001;
            }
            out.add(new Cue(start, end, cue.lines()));
            previousEnd = end;
        }
        return out;
    }

    /** A word longer than a line is cut into line-long pieces. */
    private static List<String> pieces(String word) {
        if (word.length() <= MAX_LINE_CHARS) {
            return List.of(word);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < word.length(); i += MAX_LINE_CHARS) {
            out.add(word.substring(i, Math.min(word.length(), i + MAX_LINE_CHARS)));
        }
        return out;
    }

    private static String escapeVtt(String line) {
        return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "-&gt;");
    }

    private static final class CueBuilder {
        private final double start;
        private double end;
        private double lastWordEnd;
        private final List<StringBuilder> lines = new ArrayList<>();

        CueBuilder(double start) {
            this.start = start;
            this.end = start;
            this.lastWordEnd = start;
            lines.add(new StringBuilder());
        }

        boolean accepts(String piece, Transcript.Word word) {
            if (word.start() - lastWordEnd > CUE_PAUSE_SECONDS) {
                return false;
            }
            if (Math.max(end, word.end()) - start > MAX_CUE_SECONDS) {
                return false;
            }
            StringBuilder last = lines.get(lines.size() - 1);
            boolean fits = last.length() == 0 || last.length() + 1 + piece.length() <= MAX_LINE_CHARS;
            return fits || lines.size() < MAX_LINES;
        }

        void add(String piece, Transcript.Word word) {
            StringBuilder last = lines.get(lines.size() - 1);
            if (last.length() == 0) {
                last.append(piece);
            } else if (last.length() + 1 + piece.length() <= MAX_LINE_CHARS) {
                last.append(' ').append(piece);
            } else {
                lines.add(new StringBuilder(piece));
            }
            end = Math.max(end, word.end());
            lastWordEnd = word.end();
        }

        Cue build() {
            List<String> text = new ArrayList<>();
            for (StringBuilder line : lines) {
                text.add(line.toString());
            }
            return new Cue(start, end, text);
        }
    }
}
