package routes.stt;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What speech-to-text made of one audio file: the words with their timings, grouped into paragraphs.
 *
 * <p>Build one with {@link #fromWords}: it cleans the words (trimmed, empty ones dropped, confidence within 0..1,
 * timings made monotonic and kept within the duration) and groups them into paragraphs on pauses of
 * {@link #PARAGRAPH_PAUSE_SECONDS} or more, or after about {@link #PARAGRAPH_MAX_WORDS} words.
 *
 * @param language the spoken language as an ISO 639-1 code when known ({@code en}), else what the engine said, or
 *     null
 * @param duration the audio's length in seconds (0 when unknown)
 * @param text the whole text
 * @param words every word, in order
 * @param paragraphs the words grouped into paragraphs, in order
 */
public record Transcript(String language, double duration, String text, List<Word> words,
                         List<Paragraph> paragraphs) {

    /** A pause this long or longer (seconds) between two words starts a new paragraph. */
    public static final double PARAGRAPH_PAUSE_SECONDS = 1.5;

    /** A paragraph is closed after this many words. */
    public static final int PARAGRAPH_MAX_WORDS = 40;

    /** From this many words on, a paragraph is closed at the end of a sentence. */
    static final int PARAGRAPH_SENTENCE_WORDS = 30;

    /**
     * One recognised word.
     *
     * @param word the word, without surrounding spaces
     * @param start where it starts, in seconds from the start of the audio
     * @param end where it ends, in seconds ({@code >= start})
     * @param confidence how sure the engine is, 0..1
     * @param speaker who said it, as an engine with diarization labels speakers ({@code A}, {@code SPEAKER_01}), or
     *     null
     */
    public record Word(String word, double start, double end, double confidence,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String speaker) {
        public Word {
            Objects.requireNonNull(word, "word");
            speaker = speaker == null || speaker.isBlank() ? null : speaker.strip();
        }

        /** A word nobody is named as having said. */
        public Word(String word, double start, double end, double confidence) {
            this(word, start, end, confidence, null);
        }

        /** The same word {@code seconds} later. */
        public Word shifted(double seconds) {
            return new Word(word, start + seconds, end + seconds, confidence, speaker);
        }
    }

    /**
     * Consecutive words between two long pauses.
     *
     * @param start the start of its first word, in seconds
     * @param end the end of its last word, in seconds
     * @param text its words, separated by single spaces
     * @param fromWord index in {@link #words()} of its first word (inclusive)
     * @param toWord index in {@link #words()} after its last word (exclusive)
     * @param speaker who said it, when the engine labels speakers (a paragraph never spans two); null otherwise
     */
    public record Paragraph(double start, double end, String text, int fromWord, int toWord, String speaker) {

        /** A paragraph nobody is named as having said. */
        public Paragraph(double start, double end, String text, int fromWord, int toWord) {
            this(start, end, text, fromWord, toWord, null);
        }
    }

    public Transcript {
        text = text == null ? "" : text;
        words = words == null ? List.of() : List.copyOf(words);
        paragraphs = paragraphs == null ? List.of() : List.copyOf(paragraphs);
        if (!(duration >= 0) || Double.isInfinite(duration)) {
            duration = 0;
        }
    }

    /** {@link #fromWords(String, double, String, List)} with the text made of the words. */
    public static Transcript fromWords(String language, double duration, List<Word> words) {
        return fromWords(language, duration, null, words);
    }

    /**
     * A transcript built from words: cleaned, made monotonic and grouped into paragraphs.
     *
     * @param language the language, or null
     * @param duration the audio's length in seconds; 0 or less when unknown (the last word's end is then used)
     * @param text the engine's text (keeps its punctuation); null or blank to join the words
     * @param words the words in order
     */
    public static Transcript fromWords(String language, double duration, String text, List<Word> words) {
        List<Word> clean = clean(words == null ? List.of() : words, duration);
        double length = duration > 0 && Double.isFinite(duration) ? duration
                : clean.isEmpty() ? 0 : clean.get(clean.size() - 1).end();
        List<Paragraph> paragraphs = paragraphs(clean);
        String whole = text == null || text.isBlank() ? join(clean, 0, clean.size()) : text.strip();
        return new Transcript(language, length, whole, clean, paragraphs);
    }

    /**
     * Trims words, drops empty ones, clamps confidence to 0..1 and makes the timings monotonic: each word starts
     * no earlier than the previous one ends, ends no earlier than it starts, and both stay within the duration
     * when it is known.
     */
    static List<Word> clean(List<Word> words, double duration) {
        boolean bounded = duration > 0 && Double.isFinite(duration);
        List<Word> out = new ArrayList<>(words.size());
        double previousEnd = 0;
        for (Word w : words) {
            if (w == null || w.word() == null) {
                continue;
            }
            String word = w.word().strip().replaceAll("\\s+", " ");
            if (word.isEmpty()) {
                continue;
            }
            double start = finiteOr(w.start(), previousEnd);
            double end = finiteOr(w.end(), start);
            start = Math.max(start, previousEnd);
            if (bounded) {
                start = Math.min(start, duration);
            }
            end = Math.max(end, start);
            if (bounded) {
                end = Math.min(end, duration);
            }
            double confidence = Double.isNaN(w.confidence()) ? 0 : Math.max(0, Math.min(1, w.confidence()));
            out.add(new Word(word, start, end, confidence, w.speaker()));
            previousEnd = end;
        }
        return out;
    }

    private static double finiteOr(double value, double fallback) {
        return Double.isFinite(value) && value >= 0 ? value : fallback;
    }

    /**
     * Paragraph boundaries: another speaker, a pause of 1.5 s or more, 40 words, or a sentence end after 30 words.
     */
    static List<Paragraph> paragraphs(List<Word> words) {
        List<Paragraph> out = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= words.size(); i++) {
            boolean close = i == words.size();
            if (!close) {
                int count = i - from;
                Word previous = words.get(i - 1);
                double pause = words.get(i).start() - previous.end();
                close = !Objects.equals(words.get(i).speaker(), previous.speaker())
                        || pause >= PARAGRAPH_PAUSE_SECONDS
                        || count >= PARAGRAPH_MAX_WORDS
                        || (count >= PARAGRAPH_SENTENCE_WORDS && endsSentence(previous.word()));
            }
            if (close && i > from) {
                out.add(new Paragraph(words.get(from).start(), words.get(i - 1).end(), join(words, from, i), from, i,
                        words.get(from).speaker()));
                from = i;
            }
        }
        return out;
    }

    private static boolean endsSentence(String word) {
        return word.endsWith(".") || word.endsWith("?") || word.endsWith("!");
    }

    static String join(List<Word> words, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(words.get(i).word());
        }
        return sb.toString();
    }
}
