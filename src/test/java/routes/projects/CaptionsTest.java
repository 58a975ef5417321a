package routes.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import routes.problems.Refusal;
import routes.stt.Transcript;

class CaptionsTest {

    @Test
    void subRipCuesBecomeWordsSharingTheirTime() {
        String srt = "\uFEFF1\r\n00:00:01,000 --> 00:00:02,000\r\nWe met\r\n\r\n2\r\n00:00:02,500 --> 00:00:04,000\r\n"
                + "<i>in Paris</i> last\r\nspring.\r\n\r\n";
        Transcript t = Captions.read(srt, "srt");

        assertThat(t.words()).extracting(Transcript.Word::word)
                .containsExactly("We", "met", "in", "Paris", "last", "spring.");
        assertThat(t.words().get(0).start()).isEqualTo(1.0);
        assertThat(t.words().get(1).end()).isEqualTo(2.0);
        assertThat(t.words().get(0).end()).isEqualTo(t.words().get(1).start());
        assertThat(t.words().get(2).start()).isEqualTo(2.5);
        assertThat(t.words().get(5).end()).isEqualTo(4.0);
        // "We" (3) and "met" (4) share the second by letters + 1
        assertThat(t.words().get(0).end()).isCloseTo(1.0 + 3.0 / 7, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void webVttWithoutHoursWithNotesSettingsAndVoices() {
        String vtt = "WEBVTT - interview\n\nNOTE a note\nover lines\n\nSTYLE\n::cue { color: red }\n\nintro\n"
                + "00:01.000 --> 00:02.000 align:start line:0\n<v Amélie>Bonjour &amp; welcome\n\n"
                + "01:00:00.000 --> 01:00:01.500\n<v.loud Bruno>Merci<00:00:01.200> beaucoup\n";
        Transcript t = Captions.read(vtt, "vtt");

        assertThat(t.words()).extracting(Transcript.Word::word)
                .containsExactly("Bonjour", "&", "welcome", "Merci", "beaucoup");
        assertThat(t.words().get(0).speaker()).isEqualTo("Amélie");
        assertThat(t.words().get(3).speaker()).isEqualTo("Bruno");
        assertThat(t.words().get(3).start()).isEqualTo(3600.0);
        assertThat(t.paragraphs()).hasSize(2);
    }

    @Test
    void badCaptionsAreRefusedSayingWhere() {
        assertThatThrownBy(() -> Captions.read("just some text", "srt")).isInstanceOf(Refusal.class)
                .hasMessageContaining("no cue");
        assertThatThrownBy(() -> Captions.read("1\n00:00:05,000 --> 00:00:04,000\nx\n", "srt"))
                .isInstanceOf(Refusal.class).hasMessageContaining("cue 1 ends");
        assertThatThrownBy(() -> Captions.read("1\n00:00:05,000 --> 00:00:06,000\nx\n\n2\n00:00:01,000 --> "
                + "00:00:02,000\ny\n", "srt")).isInstanceOf(Refusal.class).hasMessageContaining("cue 2 starts");
        assertThatThrownBy(() -> Captions.read("1\nsoon --> later\nx\n", "srt")).isInstanceOf(Refusal.class)
                .hasMessageContaining("cue 1 has no timing");
    }
}
