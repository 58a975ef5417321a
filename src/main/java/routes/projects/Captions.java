package routes.projects;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import routes.problems.Refusal;
import routes.stt.Transcript;
import routes.stt.Transcript.Word;

/**
 * SubRip and WebVTT captions read as timed words: each cue's text split into words that share out its time by their
 * letters + 1. Tolerant of what caption files carry: a byte-order mark, CR/LF endings, cue numbers or identifiers,
 * hours left out ({@code 01:02.500}), {@code ,} or {@code .} before the milliseconds, cue settings after the times,
 * formatting tags ({@code <i>}, {@code <c.x>}, inline timestamps), WebVTT's {@code NOTE}, {@code STYLE} and
 * {@code REGION} blocks; a voice tag ({@code <v Name>}) names the speaker. A cue that ends before it starts, or one
 * that starts before the one before it, is a 400 that names it.
 */
final class Captions {

    static final int MAX_CUES = 100_000;
    private static final Pattern TIMING = Pattern.compile(
            "^\\s*((?:\\d+:)?\\d{1,2}:\\d{2}[.,]\\d{1,3})\\s*-->\\s*((?:\\d+:)?\\d{1,2}:\\d{2}[.,]\\d{1,3}).*$");
    private static final Pattern VOICE = Pattern.compile("<v(?:\\.[^ >]*)?\\s+([^>]+)>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private Captions() {
    }

    /** The words of captions in {@code format} ({@code srt} or {@code vtt}). */
    static Transcript read(String text, String format) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] blocks = body.replace("\r\n", "\n").replace('\r', '\n').split("\n\\s*\n");
        List<Word> words = new ArrayList<>();
        double previousStart = -1;
        int cue = 0;
        for (String block : blocks) {
            String[] lines = block.strip().split("\n");
            int timing = -1;
            for (int i = 0; i < lines.length && i < 3; i++) {
                if (lines[i].contains("-->")) {
                    timing = i;
                    break;
                }
            }
            if (timing < 0) {
                continue; // the WEBVTT header, NOTE, STYLE and REGION blocks, stray text
            }
            Matcher m = TIMING.matcher(lines[timing]);
            cue++;
            if (cue > MAX_CUES) {
                throw Refusal.invalid("bad-captions", "captions have at most " + MAX_CUES + " cues");
            }
            if (!m.matches()) {
                throw Refusal.invalid("bad-captions", "cue " + cue + " has no timing this reads: '"
                        + printable(lines[timing]) + "'");
            }
            double start = seconds(m.group(1));
            double end = seconds(m.group(2));
            if (end < start) {
                throw Refusal.invalid("bad-captions", "cue " + cue + " ends (" + m.group(2) + ") before it starts ("
                        + m.group(1) + ")");
            }
            if (start < previousStart) {
                throw Refusal.invalid("bad-captions", "cue " + cue + " starts (" + m.group(1) + ") before the cue"
                        + " before it");
            }
            previousStart = start;
            StringBuilder said = new StringBuilder();
            String speaker = null;
            for (int i = timing + 1; i < lines.length; i++) {
                Matcher voice = VOICE.matcher(lines[i]);
                if (voice.find()) {
                    speaker = voice.group(1).strip();
                }
                said.append(' ').append(TAG.matcher(lines[i]).replaceAll(" ")
                        .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " "));
            }
            String[] tokens = said.toString().strip().isEmpty() ? new String[0] : said.toString().strip().split("\\s+");
            double weight = 0;
            for (String token : tokens) {
                weight += token.length() + 1;
            }
            double at = start;
            for (int i = 0; i < tokens.length; i++) {
                double next = i == tokens.length - 1 ? end : at + (end - start) * (tokens[i].length() + 1) / weight;
                words.add(new Word(tokens[i], at, next, 1.0, speaker));
                at = next;
            }
        }
        if (cue == 0) {
            throw Refusal.invalid("bad-captions", "no cue found: " + format + " captions have lines"
                    + " 'start --> end' followed by their text");
        }
        double duration = words.isEmpty() ? 0 : words.get(words.size() - 1).end();
        return Transcript.fromWords(null, duration, words);
    }

    /** {@code [HH:]MM:SS[.,]mmm} in seconds. */
    static double seconds(String timestamp) {
        String[] parts = timestamp.replace(',', '.').split(":");
        double seconds = Double.parseDouble(parts[parts.length - 1]);
        double minutes = Double.parseDouble(parts[parts.length - 2]);
        double hours = parts.length > 2 ? Double.parseDouble(parts[0]) : 0;
        return hours * 3600 + minutes * 60 + seconds;
    }

    /** Input quoted back in a message: at most 60 characters, no control characters. */
    private static String printable(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
