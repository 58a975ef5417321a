package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ConnectException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** What the transcription endpoint answered, read: a transcript, a refusal, a request to call later. */
class SpeechAnswersTest {

    final SpeechAnswers answers = new SpeechAnswers("en");

    @Test
    void aVerboseJsonAnswerIsATimedTranscript() throws Exception {
        Transcript t = answers.transcript(200, """
                {"task":"transcribe","language":"english","duration":2.5,"text":"Hello world.",
                 "words":[{"word":"Hello","start":0.1,"end":0.5,"probability":0.9},
                          {"word":"world","start":0.6,"end":1.0}],
                 "segments":[{"id":0,"start":0.0,"end":1.2,"text":"Hello world."}]}""");

        assertThat(t.language()).isEqualTo("en");
        assertThat(t.duration()).isEqualTo(2.5);
        assertThat(t.text()).isEqualTo("Hello world.");
        assertThat(t.words()).containsExactly(new Transcript.Word("Hello", 0.1, 0.5, 0.9),
                new Transcript.Word("world", 0.6, 1.0, 1.0));
        assertThat(t.paragraphs()).hasSize(1);
    }

    @Test
    void wordsFromSegmentsWhenTheServerGivesNone() throws Exception {
        Transcript t = answers.transcript(200, """
                {"text":" Good morning. Nice day","segments":[
                  {"start":1.0,"end":2.0,"text":" Good morning.","avg_logprob":-0.1},
                  {"start":4.0,"end":4.9,"text":" Nice day"}]}""");

        assertThat(t.language()).as("the language asked for").isEqualTo("en");
        assertThat(t.duration()).isEqualTo(4.9);
        assertThat(t.words()).extracting(Transcript.Word::word).containsExactly("Good", "morning.", "Nice", "day");
        assertThat(t.words().get(0).start()).isEqualTo(1.0);
        assertThat(t.words().get(0).end()).isCloseTo(1.0 + 4.0 / 12, within(1e-9));
        assertThat(t.words().get(1).end()).isEqualTo(2.0);
        assertThat(t.words().get(0).confidence()).isCloseTo(Math.exp(-0.1), within(1e-9));
        assertThat(t.words().get(3).end()).isEqualTo(4.9);
        assertThat(t.paragraphs()).hasSize(2);
    }

    @Test
    void segmentWordsAndPlainText() throws Exception {
        Transcript nested = new SpeechAnswers(null).transcript(200, """
                {"text":"a b","language":"fr","duration":3,"segments":[{"start":0,"end":2,"text":"a b",
                  "words":[{"word":" a","start":0.2,"end":0.4,"probability":0.5},{"word":" b","start":0.5,"end":0.9}]}]}
                """);
        assertThat(nested.language()).isEqualTo("fr");
        assertThat(nested.words()).extracting(Transcript.Word::word).containsExactly("a", "b");
        assertThat(nested.words().get(0).confidence()).isEqualTo(0.5);

        Transcript plain = new SpeechAnswers("de").transcript(200, "{\"text\":\"one two\",\"duration\":2}");
        assertThat(plain.language()).isEqualTo("de");
        assertThat(plain.words()).extracting(Transcript.Word::end).containsExactly(1.0, 2.0);
    }

    @Test
    void speakersOfADiarizingServerLabelTheWordsAndEndParagraphs() throws Exception {
        // OpenAI's diarized_json: segments with a speaker and no words
        Transcript diarized = answers.transcript(200, """
                {"task":"transcribe","duration":6.0,"text":"Good morning. Hi there, how are you?",
                 "segments":[
                   {"type":"transcript.text.segment","id":"seg_0","start":0.0,"end":1.4,"text":"Good morning.","speaker":"A"},
                   {"type":"transcript.text.segment","id":"seg_1","start":1.6,"end":4.0,"text":"Hi there, how are you?","speaker":"B"}],
                 "usage":{"type":"duration","seconds":6}}""");

        assertThat(diarized.words()).extracting(Transcript.Word::speaker)
                .containsExactly("A", "A", "B", "B", "B", "B", "B");
        assertThat(diarized.paragraphs()).extracting(Transcript.Paragraph::speaker, Transcript.Paragraph::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A", "Good morning."),
                        org.assertj.core.groups.Tuple.tuple("B", "Hi there, how are you?"));

        // WhisperX: words with their own speakers, top-level words timed by segments otherwise
        Transcript labelled = answers.transcript(200, """
                {"text":"yes no maybe","duration":3,
                 "words":[{"word":"yes","start":0.0,"end":0.4,"speaker":"SPEAKER_00"},
                          {"word":"no","start":0.5,"end":0.8},
                          {"word":"maybe","start":1.0,"end":1.5}],
                 "segments":[{"start":0.0,"end":0.45,"text":"yes","speaker":"SPEAKER_00"},
                             {"start":0.45,"end":2.0,"text":"no maybe","speaker":"SPEAKER_01"}]}""");
        assertThat(labelled.words()).extracting(Transcript.Word::speaker)
                .containsExactly("SPEAKER_00", "SPEAKER_01", "SPEAKER_01");
        assertThat(labelled.paragraphs()).extracting(Transcript.Paragraph::speaker)
                .containsExactly("SPEAKER_00", "SPEAKER_01");

        // no speakers: one paragraph, its speaker empty, and the field still there for an editor to fill
        Transcript plain = answers.transcript(200, """
                {"text":"one two","duration":2,"words":[{"word":"one","start":0,"end":0.4},
                 {"word":"two","start":0.5,"end":0.9}]}""");
        assertThat(plain.paragraphs()).singleElement().extracting(Transcript.Paragraph::speaker).isNull();
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(TranscriptFormats.json(plain));
        assertThat(json.at("/paragraphs/0").has("speaker")).isTrue();
        assertThat(json.at("/words/0").has("speaker")).as("words carry a speaker only when one is known").isFalse();
    }

    @Test
    void refusalsFailTheStepAndBusyAnswersAreTriedAgain() {
        assertThatThrownBy(() -> answers.transcript(400, "{\"error\":{\"message\":\"Invalid file format.\"}}"))
                .isInstanceOf(SttRefused.class)
                .hasMessage("speech-to-text server answered 400: Invalid file format.");
        assertThatThrownBy(() -> answers.transcript(200, "<html>"))
                .isInstanceOf(SttRefused.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> answers.transcript(429, "{\"error\":\"slow down\"}"))
                .isInstanceOf(SttBusy.class).hasMessage("speech-to-text server answered 429: slow down");
        assertThatThrownBy(() -> answers.transcript(408, ""))
                .isInstanceOf(SttBusy.class).hasMessage("speech-to-text server answered 408");
    }

    @Test
    void whyATranscriptionGaveUpSaysWhatFailedLast() {
        HttpOperationFailedException unavailable = new HttpOperationFailedException("http://stt/v1", 503,
                "Service Unavailable", null, null, "{\"detail\":\"warming up\"}");
        assertThat(answers.gaveUp(new RuntimeCamelException(unavailable), 2))
                .isEqualTo("speech-to-text failed after 3 attempts: the server answered 503: warming up");
        assertThat(answers.gaveUp(CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("stt")), null))
                .isEqualTo("speech-to-text failed after 1 attempt: the circuit is open after repeated failures, so"
                        + " the server was not called");
        assertThat(answers.gaveUp(new ConnectException("Connection refused"), 1))
                .startsWith("speech-to-text failed after 2 attempts: the server could not be reached or did not"
                        + " answer in time").contains("Connection refused");
    }
}
