package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TranscriptTest {

    static Transcript.Word w(String word, double start, double end) {
        return new Transcript.Word(word, start, end, 0.9);
    }

    @Test
    void aLongPauseStartsAParagraph() {
        Transcript t = Transcript.fromWords("en", 10, List.of(
                w("hello", 0.1, 0.5), w("there", 0.6, 1.0), w("friend", 1.1, 1.6),
                w("how", 3.1, 3.4), w("are", 3.5, 3.7), w("you", 3.8, 4.0)));

        assertThat(t.text()).isEqualTo("hello there friend how are you");
        assertThat(t.paragraphs()).containsExactly(
                new Transcript.Paragraph(0.1, 1.6, "hello there friend", 0, 3),
                new Transcript.Paragraph(3.1, 4.0, "how are you", 3, 6));
        assertThat(t.duration()).isEqualTo(10);
    }

    @Test
    void aPauseJustUnderTheThresholdKeepsTheParagraph() {
        Transcript t = Transcript.fromWords("en", 0, List.of(w("one", 0, 1), w("two", 2.49, 3)));
        assertThat(t.paragraphs()).hasSize(1);
        assertThat(t.duration()).as("the last word's end when unknown").isEqualTo(3);
    }

    @Test
    void aboutFortyWordsMakeAParagraph() {
        List<Transcript.Word> words = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            words.add(w("w" + i, i * 0.3, i * 0.3 + 0.2));
        }
        Transcript t = Transcript.fromWords("en", 0, words);

        assertThat(t.paragraphs()).extracting(p -> p.toWord() - p.fromWord()).containsExactly(40, 40, 20);
        assertThat(t.paragraphs().get(1).fromWord()).isEqualTo(40);
        assertThat(t.paragraphs().get(1).text()).startsWith("w40 w41");
    }

    @Test
    void aSentenceEndAfterThirtyWordsClosesTheParagraph() {
        List<Transcript.Word> words = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            words.add(w(i == 32 ? "end." : "w" + i, i * 0.3, i * 0.3 + 0.2));
        }
        Transcript t = Transcript.fromWords("en", 0, words);
        assertThat(t.paragraphs()).extracting(p -> p.toWord() - p.fromWord()).containsExactly(33, 12);
    }

    @Test
    void wordsAreCleanedAndMadeMonotonic() {
        Transcript t = Transcript.fromWords("en", 5, null, List.of(
                new Transcript.Word(" Hello ", 0.5, 1.0, 1.7),
                new Transcript.Word("  ", 1.0, 1.2, 0.5),
                new Transcript.Word("world", 0.8, 0.7, -2),
                new Transcript.Word("again", Double.NaN, 1.5, Double.NaN),
                new Transcript.Word("late", 4.8, 6.0, 0.5)));

        assertThat(t.words()).extracting(Transcript.Word::word).containsExactly("Hello", "world", "again", "late");
        assertThat(t.words().get(0).confidence()).isEqualTo(1.0);
        assertThat(t.words().get(1).confidence()).isEqualTo(0.0);
        assertThat(t.words().get(1).start()).isEqualTo(1.0);
        assertThat(t.words().get(1).end()).isEqualTo(1.0);
        assertThat(t.words().get(3).end()).as("within the duration").isEqualTo(5.0);
        double previousEnd = 0;
        for (Transcript.Word word : t.words()) {
            assertThat(word.start()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(word.end()).isGreaterThanOrEqualTo(word.start());
            previousEnd = word.end();
        }
    }

    @Test
    void theEnginesTextIsKept() {
        Transcript t = Transcript.fromWords("en", 2, "Hello, world!", List.of(w("Hello", 0, 0.5), w("world", 0.6, 1)));
        assertThat(t.text()).isEqualTo("Hello, world!");
        assertThat(t.paragraphs().get(0).text()).isEqualTo("Hello world");
    }

    @Test
    void noWords() {
        Transcript t = Transcript.fromWords(null, 3, List.of());
        assertThat(t.text()).isEmpty();
        assertThat(t.paragraphs()).isEmpty();
        assertThat(TranscriptFormats.srt(t)).isEmpty();
        assertThat(TranscriptFormats.vtt(t)).isEqualTo("WEBVTT\n\n");
        assertThat(TranscriptFormats.txt(t)).isEmpty();
    }
}
