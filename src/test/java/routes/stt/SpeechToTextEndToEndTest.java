package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speech made by espeak-ng, sent as the stt-request route sends it ({@link SpeechRequests}' form, read back by
 * {@link SpeechAnswers}) to {@link SttServer}: the whole path, on real recognition. PocketSphinx's small en-us model recognises synthetic speech only in part, so the words are
 * checked loosely (a few of the expected ones), the timings and structure strictly.
 */
@Timeout(60)
class SpeechToTextEndToEndTest {

    static final String CALL = "please call me back tomorrow morning at nine";
    static final String HELLO = "hello world this is a test of the speech recognition system";
    static final String FOX = "the quick brown fox jumps over the lazy dog";

    @TempDir
    static Path dir;

    static SttServer server;

    @BeforeAll
    static void start() {
        server = new SttServer("127.0.0.1", 0, dir.resolve("work"), 2, Duration.ofSeconds(40));
        server.start();
    }

    /** One call of the server's transcription endpoint, with the form the stt-request route sends. */
    static Transcript transcribe(Path wav, String language) throws Exception {
        try (CloseableHttpClient http = HttpClients.createDefault()) {
            HttpPost post = new HttpPost(server.endpoint().resolve(SttServer.TRANSCRIPTIONS_PATH));
            post.setEntity(new SpeechRequests("pocketsphinx", language, null).form(wav));
            return http.execute(post, response -> new SpeechAnswers(language)
                    .transcript(response.getCode(), EntityUtils.toString(response.getEntity())));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void oneSentence() throws Exception {
        Path wav = SpeechFixtures.speak16k(dir, "call", CALL);
        double seconds = SpeechFixtures.wavSeconds(wav);

        Transcript t = transcribe(wav, "en");

        assertThat(t.language()).isEqualTo("en");
        assertThat(t.duration()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));
        assertTimings(t);
        assertThat(recognised(t, CALL)).as("words of '%s' in '%s'", CALL, t.text()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(t.paragraphs()).hasSize(1);
        assertThat(t.text()).isEqualTo(t.paragraphs().get(0).text());
        assertRenderings(t);
    }

    @Test
    void aPauseSplitsParagraphs() throws Exception {
        Path first = SpeechFixtures.speak(dir, "pause-a", HELLO);
        double firstSeconds = SpeechFixtures.wavSeconds(first);
        Path wav = SpeechFixtures.twoSentences(dir, "pause", HELLO, CALL, 2.0);
        double seconds = SpeechFixtures.wavSeconds(wav);

        Transcript t = transcribe(wav, "en");

        assertTimings(t);
        assertThat(t.duration()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));
        assertThat(t.paragraphs()).as("paragraphs of '%s'", t.text()).hasSizeGreaterThanOrEqualTo(2);
        // one paragraph ends before the 2 s pause (which starts when the first sentence ends) and the next starts
        // after it
        double pauseStart = firstSeconds;
        double pauseEnd = firstSeconds + 2.0;
        boolean split = false;
        for (int i = 0; i + 1 < t.paragraphs().size(); i++) {
            Transcript.Paragraph p = t.paragraphs().get(i);
            Transcript.Paragraph q = t.paragraphs().get(i + 1);
            split |= p.end() <= pauseStart + 0.2 && q.start() >= pauseEnd - 0.2;
        }
        assertThat(split).as("a paragraph break in the pause [%s, %s]: %s", pauseStart, pauseEnd, t.paragraphs())
                .isTrue();
        List<Transcript.Paragraph> before = t.paragraphs().stream().filter(p -> p.end() <= pauseStart + 0.2).toList();
        List<Transcript.Paragraph> after = t.paragraphs().stream().filter(p -> p.start() >= pauseEnd - 0.2).toList();
        assertThat(recognised(before, HELLO)).as("first sentence").hasSizeGreaterThanOrEqualTo(3);
        assertThat(recognised(after, CALL)).as("second sentence").hasSizeGreaterThanOrEqualTo(3);

        String txt = TranscriptFormats.txt(t);
        assertThat(txt.strip().split("\n\n")).hasSameSizeAs(t.paragraphs());
        assertRenderings(t);
    }

    @Test
    void otherAudioIsConvertedByTheServer() throws Exception {
        // espeak-ng's 22.05 kHz WAV as it is: the server converts it with ffmpeg
        Path wav = SpeechFixtures.speak(dir, "fox", FOX);
        double seconds = SpeechFixtures.wavSeconds(wav);

        Transcript t = transcribe(wav, null);

        assertThat(t.duration()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.1));
        // PocketSphinx hears little of this sentence from espeak-ng: only the timings are checked
        assertTimings(t);
        assertRenderings(t);
        try (Stream<Path> left = Files.list(dir.resolve("work"))) {
            assertThat(left).as("request folders removed").isEmpty();
        }
    }

    @Test
    void subtitlesStraightFromTheServer() throws Exception {
        Path wav = SpeechFixtures.speak16k(dir, "call", CALL);
        HttpResponse<String> r = SttServerTest.post(server.endpoint(), Multipart.CONTENT_TYPE,
                new Multipart().field("model", "x").field("response_format", "srt")
                        .file("file", "call.wav", "audio/wav", Files.readAllBytes(wav)).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-subrip");
        List<double[]> cues = TranscriptFormatsTest.checkSrt(r.body());
        assertThat(cues).isNotEmpty();
        TranscriptFormatsTest.assertMonotonic(cues, SpeechFixtures.wavSeconds(wav));
    }

    /** Words present, each within the clip, in order, confidences within 0..1. */
    private static void assertTimings(Transcript t) {
        assertThat(t.words()).as("recognised words").isNotEmpty();
        double previousEnd = 0;
        for (Transcript.Word w : t.words()) {
            assertThat(w.word()).isNotBlank().doesNotContain("<").doesNotContain("[").doesNotContain("(");
            assertThat(w.start()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(w.end()).isGreaterThanOrEqualTo(w.start()).isLessThanOrEqualTo(t.duration());
            assertThat(w.confidence()).isBetween(0.0, 1.0);
            previousEnd = w.end();
        }
        int next = 0;
        for (Transcript.Paragraph p : t.paragraphs()) {
            assertThat(p.fromWord()).isEqualTo(next);
            assertThat(p.toWord()).isGreaterThan(p.fromWord());
            assertThat(p.start()).isEqualTo(t.words().get(p.fromWord()).start());
            assertThat(p.end()).isEqualTo(t.words().get(p.toWord() - 1).end());
            next = p.toWord();
        }
        assertThat(next).isEqualTo(t.words().size());
    }

    private static void assertRenderings(Transcript t) {
        List<double[]> srt = TranscriptFormatsTest.checkSrt(TranscriptFormats.srt(t));
        assertThat(srt).isNotEmpty();
        TranscriptFormatsTest.assertMonotonic(srt, t.duration());
        List<double[]> vtt = TranscriptFormatsTest.checkVtt(TranscriptFormats.vtt(t));
        assertThat(vtt).hasSameSizeAs(srt);
        TranscriptFormatsTest.assertMonotonic(vtt, t.duration());
        assertThat(TranscriptFormats.txt(t)).isNotBlank();
    }

    /** The distinct expected words that were recognised. */
    private static Set<String> recognised(Transcript t, String expected) {
        return recognised(t.paragraphs(), expected);
    }

    private static Set<String> recognised(List<Transcript.Paragraph> paragraphs, String expected) {
        Set<String> heard = paragraphs.stream().flatMap(p -> Stream.of(p.text().split("\\s+")))
                .map(w -> w.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return Stream.of(expected.split(" ")).filter(heard::contains).collect(Collectors.toSet());
    }
}
