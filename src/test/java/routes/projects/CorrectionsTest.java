package routes.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import routes.problems.Refusal;
import routes.stt.Transcript;
import routes.stt.Transcript.Word;

class CorrectionsTest {

    /** "the cat sat on the mat . then it slept" as a recogniser times it: 0.5 s a word, 0.1 s pauses. */
    private static Transcript sample() {
        String[] said = {"the", "cat", "sat", "on", "the", "mat.", "Then", "it", "slept"};
        List<Word> words = new ArrayList<>();
        for (int i = 0; i < said.length; i++) {
            words.add(new Word(said[i], i * 0.6, i * 0.6 + 0.5, 0.8, i < 6 ? "A" : "B"));
        }
        return Transcript.fromWords("en", 6, words);
    }

    private static List<String> texts(Transcript t) {
        return t.words().stream().map(Word::word).toList();
    }

    @Test
    void aMisheardWordTakesTheTimesOfTheWordItReplaces() {
        Transcript before = sample();
        Transcript after = Corrections.replace(before, 1, 2, "hat");

        assertThat(texts(after)).containsExactly("the", "hat", "sat", "on", "the", "mat.", "Then", "it", "slept");
        Word hat = after.words().get(1);
        assertThat(hat.start()).isEqualTo(before.words().get(1).start());
        assertThat(hat.end()).isEqualTo(before.words().get(1).end());
        assertThat(hat.confidence()).isEqualTo(1.0);
        assertThat(hat.speaker()).isEqualTo("A");
        for (int i = 0; i < before.words().size(); i++) {
            if (i != 1) {
                assertThat(after.words().get(i)).isEqualTo(before.words().get(i));
            }
        }
    }

    @Test
    void wordsTheCorrectionKeepsKeepTheirOwnTimesEvenReCasedOrRePunctuated() {
        Transcript before = sample();
        // "the cat sat on the mat." -> "The black cat sat, on a mat!"
        Transcript after = Corrections.replace(before, 0, 6, "The black cat sat, on a mat!");

        assertThat(texts(after).subList(0, 7)).containsExactly("The", "black", "cat", "sat,", "on", "a", "mat!");
        Word the = after.words().get(0);
        Word cat = after.words().get(2);
        Word sat = after.words().get(3);
        Word mat = after.words().get(6);
        assertThat(the.start()).isEqualTo(0.0);
        assertThat(cat.start()).isEqualTo(before.words().get(1).start());
        assertThat(sat.end()).isEqualTo(before.words().get(2).end());
        assertThat(mat.start()).isEqualTo(before.words().get(5).start());
        assertThat(cat.confidence()).isEqualTo(0.8);
        // "black" is inserted between "The" and "cat": inside the pause between them, in order
        Word black = after.words().get(1);
        assertThat(black.start()).isGreaterThanOrEqualTo(the.end());
        assertThat(black.end()).isLessThanOrEqualTo(cat.start());
        // "a" replaces "the" (the second one) and takes its time
        Word a = after.words().get(5);
        assertThat(a.start()).isEqualTo(before.words().get(4).start());
        assertThat(a.end()).isEqualTo(before.words().get(4).end());
    }

    @Test
    void severalWordsForOneShareItsTimeByTheirLength() {
        Transcript before = sample();
        Transcript after = Corrections.replace(before, 5, 6, "doormat outside.");

        Word door = after.words().get(5);
        Word outside = after.words().get(6);
        Word old = before.words().get(5);
        assertThat(door.start()).isEqualTo(old.start());
        assertThat(outside.end()).isEqualTo(old.end());
        assertThat(door.end()).isEqualTo(outside.start());
        // 8 and 9 characters (letters + 1): the first gets 8/17 of the half second
        assertThat(door.end() - door.start()).isCloseTo(0.5 * 8 / 17, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(after.words().get(7)).isEqualTo(before.words().get(6));
    }

    @Test
    void deletingAndInsertingLeaveEveryOtherWordAlone() {
        Transcript before = sample();
        Transcript deleted = Corrections.replace(before, 3, 5, "");
        assertThat(texts(deleted)).containsExactly("the", "cat", "sat", "mat.", "Then", "it", "slept");
        assertThat(deleted.words().get(3)).isEqualTo(before.words().get(5));

        Transcript inserted = Corrections.replace(before, 6, 6, "and");
        assertThat(texts(inserted)).containsExactly("the", "cat", "sat", "on", "the", "mat.", "and", "Then", "it",
                "slept");
        Word and = inserted.words().get(6);
        assertThat(and.start()).isGreaterThanOrEqualTo(before.words().get(5).end());
        assertThat(and.end()).isLessThanOrEqualTo(before.words().get(6).start());
    }

    @Test
    void paragraphsKeepTheirBoundariesAndSpeakers() {
        Transcript before = sample();
        assertThat(before.paragraphs()).hasSize(2);
        Transcript after = Corrections.replace(before, 1, 2, "big fat cat");

        assertThat(after.paragraphs()).hasSize(2);
        assertThat(after.paragraphs().get(0).fromWord()).isZero();
        assertThat(after.paragraphs().get(0).toWord()).isEqualTo(8);
        assertThat(after.paragraphs().get(0).speaker()).isEqualTo("A");
        assertThat(after.paragraphs().get(0).text()).isEqualTo("the big fat cat sat on the mat.");
        assertThat(after.paragraphs().get(1).fromWord()).isEqualTo(8);
        assertThat(after.paragraphs().get(1).speaker()).isEqualTo("B");
        assertThat(after.text()).startsWith("the big fat cat sat");
        // a paragraph all of whose words are deleted is gone
        Transcript gone = Corrections.replace(before, 6, 9, "");
        assertThat(gone.paragraphs()).hasSize(1);
    }

    @Test
    void rangesOutsideTheTranscriptAreRefused() {
        Transcript t = sample();
        for (int[] range : new int[][] {{-1, 2}, {3, 2}, {0, 10}}) {
            assertThatThrownBy(() -> Corrections.replace(t, range[0], range[1], "x"))
                    .isInstanceOf(Refusal.class).hasMessageContaining("0 <= from <= to <= 9");
        }
    }

    /** Random transcripts and random corrections: the invariants hold every time. */
    @Test
    void timingsStayOrderedAndUntouchedWordsStayPut() {
        Random random = new Random(42);
        String[] vocabulary = {"a", "the", "interview", "cuts", "editor", "video", "and", "then", "Paris,", "it's"};
        for (int round = 0; round < 500; round++) {
            List<Word> words = new ArrayList<>();
            double at = random.nextDouble();
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                double length = 0.05 + random.nextDouble() * 0.6;
                words.add(new Word(vocabulary[random.nextInt(vocabulary.length)], at, at + length, 0.9));
                at += length + (random.nextBoolean() ? 0 : random.nextDouble());
            }
            Transcript before = Transcript.fromWords("en", at + 1, words);
            int from = n == 0 ? 0 : random.nextInt(n + 1);
            int to = from + random.nextInt(n - from + 1);
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(8); k > 0; k--) {
                text.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            Transcript after = Corrections.replace(before, from, to, text.toString());

            List<Word> w = after.words();
            int added = w.size() - before.words().size();
            for (int i = 0; i < from; i++) {
                assertThat(w.get(i)).isEqualTo(before.words().get(i));
            }
            for (int i = to; i < before.words().size(); i++) {
                assertThat(w.get(i + added)).isEqualTo(before.words().get(i));
            }
            double lower = from > 0 ? before.words().get(from - 1).end() : 0;
            double upper = to < before.words().size() ? before.words().get(to).start() : Double.MAX_VALUE;
            double previousEnd = lower;
            for (int i = from; i < to + added; i++) {
                assertThat(w.get(i).start()).as("round " + round).isGreaterThanOrEqualTo(previousEnd);
                assertThat(w.get(i).end()).isGreaterThanOrEqualTo(w.get(i).start());
                assertThat(w.get(i).end()).isLessThanOrEqualTo(upper);
                previousEnd = w.get(i).end();
            }
            int covered = after.paragraphs().stream().mapToInt(p -> p.toWord() - p.fromWord()).sum();
            assertThat(covered).isEqualTo(w.size());
        }
    }

    /** A long interview's text aligned whole to its recognised words: the words they share keep their times. */
    @Test
    void aWholeInterviewsTextAlignsToItsWords() {
        Random random = new Random(7);
        String[] vocabulary = {"we", "met", "in", "paris", "last", "spring", "and", "then", "the", "editor", "cut",
            "interview", "again", "because", "it", "was", "long"};
        List<Word> words = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int changed = 0;
        for (int i = 0; i < 20_000; i++) {
            String w = vocabulary[random.nextInt(vocabulary.length)];
            words.add(new Word(w, i * 0.4, i * 0.4 + 0.3, 0.6));
            if (random.nextInt(50) == 0) { // about 2% misheard: the text says otherwise
                text.append("Corrected ");
                changed++;
            } else {
                text.append(w).append(' ');
            }
        }
        Transcript before = Transcript.fromWords("en", 8000, words);
        Transcript after = Corrections.replace(before, 0, words.size(), text.toString());

        assertThat(after.words()).hasSize(20_000);
        int kept = 0;
        for (int i = 0; i < 20_000; i++) {
            if (after.words().get(i).start() == words.get(i).start() && after.words().get(i).end() == words.get(i).end()) {
                kept++;
            }
        }
        assertThat(kept).isGreaterThanOrEqualTo(20_000 - changed);
    }
}
