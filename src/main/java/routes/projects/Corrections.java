package routes.projects;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import routes.problems.Refusal;
import routes.stt.Transcript;
import routes.stt.Transcript.Paragraph;
import routes.stt.Transcript.Word;

/**
 * A correction of a timed transcript that keeps its timings: the words {@code [from, to)} are replaced by a corrected
 * text, and
 * <ul>
 *   <li>every word outside the range keeps its times, exactly;</li>
 *   <li>inside it, the corrected words are aligned to the old ones by their longest common subsequence (Myers'
 *       diff, compared without case and surrounding punctuation), so a word the correction leaves (or only re-cases
 *       or re-punctuates) keeps its own times, confidence and speaker;</li>
 *   <li>the other corrected words share out, by their letters + 1, the time of the old words they replace between the
 *       same two kept words (or, where nothing was there, the pause between them), so they lie inside the replaced
 *       span, in order, and never overlap their neighbours; they get confidence 1 (a person wrote them);</li>
 *   <li>paragraphs keep their boundaries (mapped to the new word indices; a paragraph left without words is gone)
 *       and their speakers.</li>
 * </ul>
 * Re-aligning the whole transcript after each edit, as DPE's editor did, lets timings drift; this touches only the
 * range. Pure: the transcript given is not changed.
 */
public final class Corrections {

    /** The most words a correction replaces, and the most it writes, at once (a long interview's worth). */
    public static final int MAX_WORDS = 50_000;

    private Corrections() {
    }

    /** {@code transcript} with words {@code [from, to)} replaced by {@code text} (empty: deleted). */
    public static Transcript replace(Transcript transcript, int from, int to, String text) {
        List<Word> words = transcript.words();
        if (from < 0 || to < from || to > words.size()) {
            throw Refusal.invalid("bad-range", "the words to replace must be a range within the " + words.size()
                    + " words: 0 <= from <= to <= " + words.size() + ", not " + from + ".." + to);
        }
        String[] tokens = text == null || text.isBlank() ? new String[0] : text.strip().split("\\s+");
        if (to - from > MAX_WORDS || tokens.length > MAX_WORDS) {
            throw Refusal.invalid("correction-too-large", "a correction replaces and writes at most " + MAX_WORDS
                    + " words at once");
        }
        List<Word> old = words.subList(from, to);
        int[][] matches = align(old, tokens);

        List<Word> replaced = new ArrayList<>();
        int[] oldToNew = new int[words.size() + 1]; // old index -> the new index of it, or of what follows it
        for (int i = 0; i < from; i++) {
            oldToNew[i] = i;
        }
        double before = from > 0 ? words.get(from - 1).end() : (old.isEmpty() ? startOf(words, to) : old.get(0).start());
        int oldAt = 0;
        int tokenAt = 0;
        for (int m = 0; m <= matches.length; m++) {
            int oldEnd = m < matches.length ? matches[m][0] : old.size();
            int tokenEnd = m < matches.length ? matches[m][1] : tokens.length;
            // the gap: old words [oldAt, oldEnd) replaced by tokens [tokenAt, tokenEnd)
            double after = m < matches.length ? old.get(oldEnd).start() : startOf(words, to);
            double spanStart = oldAt < oldEnd ? old.get(oldAt).start() : before;
            double spanEnd = oldAt < oldEnd ? old.get(oldEnd - 1).end() : Math.max(before, after);
            String speaker = oldAt < oldEnd ? old.get(oldAt).speaker()
                    : !replaced.isEmpty() ? replaced.get(replaced.size() - 1).speaker()
                    : from > 0 ? words.get(from - 1).speaker() : old.isEmpty() ? null : old.get(0).speaker();
            for (int i = oldAt; i < oldEnd; i++) {
                oldToNew[from + i] = from + replaced.size();
            }
            share(tokens, tokenAt, tokenEnd, spanStart, spanEnd, speaker, replaced);
            if (m < matches.length) {
                Word kept = old.get(oldEnd);
                oldToNew[from + oldEnd] = from + replaced.size();
                replaced.add(new Word(tokens[tokenEnd], kept.start(), kept.end(), kept.confidence(), kept.speaker()));
                before = kept.end();
                oldAt = oldEnd + 1;
                tokenAt = tokenEnd + 1;
            }
        }
        List<Word> result = new ArrayList<>(words.subList(0, from));
        result.addAll(replaced);
        int shift = replaced.size() - old.size();
        for (int i = to; i <= words.size(); i++) {
            oldToNew[i] = i + shift;
        }
        result.addAll(words.subList(to, words.size()));
        return new Transcript(transcript.language(), transcript.duration(), text(result), result,
                paragraphs(transcript.paragraphs(), oldToNew, result));
    }

    /** Where the words from {@code index} on start (the end of the last word when there are none). */
    private static double startOf(List<Word> words, int index) {
        if (index < words.size()) {
            return words.get(index).start();
        }
        return words.isEmpty() ? 0 : words.get(words.size() - 1).end();
    }

    /** Tokens {@code [from, to)} timed one after another over {@code [start, end]}, by letters + 1. */
    private static void share(String[] tokens, int from, int to, double start, double end, String speaker,
            List<Word> into) {
        if (from >= to) {
            return;
        }
        double weight = 0;
        for (int i = from; i < to; i++) {
            weight += tokens[i].length() + 1;
        }
        double length = Math.max(0, end - start);
        double at = start;
        for (int i = from; i < to; i++) {
            double next = i == to - 1 ? Math.max(start, end) : at + length * (tokens[i].length() + 1) / weight;
            into.add(new Word(tokens[i], at, next, 1.0, speaker));
            at = next;
        }
    }

    /**
     * The matched pairs {old index, token index} of a longest common subsequence, in order, by Myers' diff
     * (java-diff-utils): near-linear when the texts are alike, as a correction and its transcript are. Words with
     * nothing left to compare (punctuation alone) never match.
     */
    static int[][] align(List<Word> old, String[] tokens) {
        List<String> a = new ArrayList<>(old.size());
        for (int i = 0; i < old.size(); i++) {
            String w = normal(old.get(i).word());
            a.add(w.isEmpty() ? "\u0000old" + i : w);
        }
        List<String> b = new ArrayList<>(tokens.length);
        for (int j = 0; j < tokens.length; j++) {
            String w = normal(tokens[j]);
            b.add(w.isEmpty() ? "\u0000new" + j : w);
        }
        List<int[]> pairs = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (AbstractDelta<String> delta : DiffUtils.diff(a, b).getDeltas()) {
            int sourceAt = delta.getSource().getPosition();
            while (i < sourceAt) {
                pairs.add(new int[] {i++, j++});
            }
            i += delta.getSource().size();
            j += delta.getTarget().size();
        }
        while (i < a.size() && j < b.size()) {
            pairs.add(new int[] {i++, j++});
        }
        return pairs.toArray(new int[0][]);
    }

    /** A word as compared: lower case, without the punctuation around it. */
    static String normal(String word) {
        return word.toLowerCase(Locale.ROOT).replaceAll("^[\\p{P}\\p{S}]+|[\\p{P}\\p{S}]+$", "");
    }

    /** The paragraphs over the new words: each old one's boundaries mapped; those left empty dropped. */
    private static List<Paragraph> paragraphs(List<Paragraph> old, int[] oldToNew, List<Word> words) {
        List<Paragraph> result = new ArrayList<>();
        int previousEnd = 0;
        for (int p = 0; p < old.size(); p++) {
            Paragraph paragraph = old.get(p);
            int from = previousEnd; // paragraphs are contiguous: words put before a paragraph's first join it
            int to = p == old.size() - 1 ? words.size() : oldToNew[old.get(p + 1).fromWord()];
            if (to <= from) {
                continue;
            }
            List<Word> in = words.subList(from, to);
            result.add(new Paragraph(in.get(0).start(), in.get(in.size() - 1).end(), text(in), from, to,
                    paragraph.speaker()));
            previousEnd = to;
        }
        if (old.isEmpty() && !words.isEmpty()) {
            result.add(new Paragraph(words.get(0).start(), words.get(words.size() - 1).end(), text(words), 0,
                    words.size(), words.get(0).speaker()));
        }
        return result;
    }

    private static String text(List<Word> words) {
        StringBuilder text = new StringBuilder();
        for (Word w : words) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(w.word());
        }
        return text.toString();
    }
}
