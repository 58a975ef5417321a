package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TranscriptFormatsTest {

    static final Pattern SRT_TIME = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2}),(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2}),(\\d{3})");
    static final Pattern VTT_TIME = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})");

    /** 120 words of varying length, one every 0.35 s, with a 3 s pause after word 50. */
    static Transcript longTranscript() {
        String[] vocabulary = {"the", "pipeline", "transcodes", "every", "upload", "into", "renditions", "and",
            "a", "remarkably", "long", "sentence", "keeps", "going", "on"};
        List<Transcript.Word> words = new ArrayList<>();
        double t = 0.4;
        for (int i = 0; i < 120; i++) {
            if (i == 50) {
                t += 3;
            }
            words.add(new Transcript.Word(vocabulary[i % vocabulary.length], t, t + 0.3, 0.8));
            t += 0.35;
        }
        return Transcript.fromWords("en", t + 1, words);
    }

    @Test
    void srtCuesAreNumberedTimedAndShort() {
        Transcript transcript = longTranscript();
        String srt = TranscriptFormats.srt(transcript);

        List<double[]> times = checkSrt(srt);
        assertThat(times.size()).isGreaterThan(5);
        assertThat(times.get(0)[0]).isEqualTo(0.4);
        assertMonotonic(times, transcript.duration());
        // the pause after word 50 ends a cue: some cue ends before it and the next starts after it
        double pauseStart = transcript.words().get(49).end();
        double pauseEnd = transcript.words().get(50).start();
        assertThat(times).anySatisfy(c -> assertThat(c[1]).isLessThanOrEqualTo(pauseStart + TranscriptFormats.MIN_CUE_SECONDS));
        assertThat(times).anySatisfy(c -> assertThat(c[0]).isEqualTo(pauseEnd));
    }

    @Test
    void vttHasTheHeaderAndDotMilliseconds() {
        Transcript transcript = longTranscript();
        String vtt = TranscriptFormats.vtt(transcript);

        assertThat(vtt).startsWith("WEBVTT\n\n");
        List<double[]> times = checkVtt(vtt);
        assertThat(times).hasSameSizeAs(TranscriptFormats.cues(transcript));
        assertMonotonic(times, transcript.duration());
    }

    @Test
    void txtHasOneBlockPerParagraph() {
        Transcript transcript = longTranscript();
        String txt = TranscriptFormats.txt(transcript);

        String[] blocks = txt.strip().split("\n\n");
        assertThat(blocks).hasSize(transcript.paragraphs().size());
        assertThat(blocks.length).isGreaterThanOrEqualTo(3);
        for (int i = 0; i < blocks.length; i++) {
            assertThat(blocks[i]).isEqualTo(transcript.paragraphs().get(i).text()).doesNotContain("\n");
        }
        assertThat(txt).endsWith("\n");
    }

    @Test
    void jsonHasTheWordsAndParagraphs() throws Exception {
        Transcript transcript = longTranscript();
        JsonNode json = new ObjectMapper().readTree(TranscriptFormats.json(transcript));

        assertThat(json.path("language").asText()).isEqualTo("en");
        assertThat(json.path("text").asText()).isEqualTo(transcript.text());
        assertThat(json.path("words")).hasSize(120);
        assertThat(json.path("words").get(0).path("word").asText()).isEqualTo("the");
        assertThat(json.path("words").get(0).path("start").asDouble()).isEqualTo(0.4);
        assertThat(json.path("words").get(0).path("confidence").asDouble()).isEqualTo(0.8);
        assertThat(json.path("paragraphs").get(1).path("fromWord").asInt()).isEqualTo(40);
        assertThat(new ObjectMapper().readValue(TranscriptFormats.json(transcript), Transcript.class))
                .isEqualTo(transcript);
    }

    @Test
    void aLongWordIsCutAndTextEscapedInVtt() {
        String longWord = "x".repeat(100);
        Transcript transcript = Transcript.fromWords("en", 5, List.of(
                new Transcript.Word("a<b>&c", 0, 0.5, 1), new Transcript.Word(longWord, 0.6, 2, 1)));

        for (TranscriptFormats.Cue cue : TranscriptFormats.cues(transcript)) {
            assertThat(cue.lines()).hasSizeBetween(1, 2).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(42));
        }
        assertThat(TranscriptFormats.vtt(transcript)).contains("a&lt;b&gt;&amp;c").doesNotContain("<b>");
        assertThat(TranscriptFormats.srt(transcript)).contains("a<b>&c");
    }

    @Test
    void timestamps() {
        assertThat(TranscriptFormats.timestamp(0, ',')).isEqualTo("00:00:00,000");
        assertThat(TranscriptFormats.timestamp(3723.4567, ',')).isEqualTo("01:02:03,457");
        assertThat(TranscriptFormats.timestamp(59.9996, '.')).isEqualTo("00:01:00.000");
    }

    @Test
    void shortCuesAreStretchedButNeverOverlap() {
        Transcript transcript = Transcript.fromWords("en", 0, List.of(
                new Transcript.Word("a", 1.0, 1.0, 1), new Transcript.Word("b", 2.5, 2.6, 1),
                new Transcript.Word("c", 2.7, 2.8, 1)));
        List<TranscriptFormats.Cue> cues = TranscriptFormats.cues(transcript);
        assertThat(cues).hasSize(2);
        assertThat(cues.get(0).start()).isEqualTo(1.0);
        assertThat(cues.get(0).end()).isEqualTo(1.5);
        assertThat(cues.get(1).text()).isEqualTo("b c");
    }

    /** Checks SRT structure (numbering, timestamps, ≤ 2 lines of ≤ 42 chars, ≤ 7 s); returns [start, end]s. */
    static List<double[]> checkSrt(String srt) {
        assertThat(srt).doesNotContain("\r");
        String[] cues = srt.split("\n\n");
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < cues.length; i++) {
            String[] lines = cues[i].split("\n");
            assertThat(lines[0]).as("cue number").isEqualTo(Integer.toString(i + 1));
            Matcher m = SRT_TIME.matcher(lines[1]);
            assertThat(m.matches()).as("timing line '%s'", lines[1]).isTrue();
            out.add(new double[] {seconds(m, 1), seconds(m, 5)});
            assertThat(lines.length - 2).as("text lines of cue %d", i + 1).isBetween(1, 2);
            for (int j = 2; j < lines.length; j++) {
                assertThat(lines[j]).isNotBlank().hasSizeLessThanOrEqualTo(42);
            }
        }
        assertThat(srt).endsWith("\n\n");
        return out;
    }

    static List<double[]> checkVtt(String vtt) {
        assertThat(vtt).startsWith("WEBVTT\n\n");
        String body = vtt.substring("WEBVTT\n\n".length());
        List<double[]> out = new ArrayList<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String cue : body.split("\n\n")) {
            String[] lines = cue.split("\n");
            Matcher m = VTT_TIME.matcher(lines[0]);
            assertThat(m.matches()).as("timing line '%s'", lines[0]).isTrue();
            out.add(new double[] {seconds(m, 1), seconds(m, 5)});
            assertThat(lines.length - 1).isBetween(1, 2);
            for (int j = 1; j < lines.length; j++) {
                assertThat(lines[j]).isNotBlank().hasSizeLessThanOrEqualTo(42 + 20); // escapes lengthen lines
            }
        }
        return out;
    }

    /** Each cue ends after it starts, within 7 s, no earlier than the previous one ends, within the duration. */
    static void assertMonotonic(List<double[]> cues, double duration) {
        double previousEnd = 0;
        for (double[] c : cues) {
            assertThat(c[0]).isGreaterThanOrEqualTo(previousEnd);
            assertThat(c[1]).isGreaterThan(c[0]);
            assertThat(c[1] - c[0]).isLessThanOrEqualTo(TranscriptFormats.MAX_CUE_SECONDS);
            assertThat(c[1]).isLessThanOrEqualTo(duration + TranscriptFormats.MIN_CUE_SECONDS);
            previousEnd = c[1];
        }
    }

    private static double seconds(Matcher m, int group) {
        return Integer.parseInt(m.group(group)) * 3600 + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2)) + Integer.parseInt(m.group(group + 3)) / 1000.0;
    }
}
