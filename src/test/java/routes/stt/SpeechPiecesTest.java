package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import routes.media.MediaFixtures;

/**
 * Long speech audio cut into pieces a server takes in one call: cut where it is quiet, nothing lost or repeated, each
 * piece a WAV that ffprobe reads, and the pieces' transcripts placed back at their times.
 */
class SpeechPiecesTest {

    @TempDir
    Path dir;

    final SpeechPieces pieces = new SpeechPieces(Duration.ofSeconds(10));

    @Test
    void longAudioIsCutInItsQuietMomentsIntoPiecesNoLongerThanTheLongest() throws Exception {
        for (int channels : new int[] {1, 2}) {
            Path wav = MediaFixtures.gappedTone(dir, 26, 16_000, channels);

            List<SpeechPieces.Piece> cut = pieces.cut(wav, dir.resolve("pieces-" + channels));

            assertThat(cut).hasSize(3);
            double at = 0;
            for (SpeechPieces.Piece piece : cut) {
                assertThat(piece.count()).isEqualTo(3);
                assertThat(piece.offset()).as("each piece starts where the last ended").isCloseTo(at, within(1e-6));
                // the tone is silent in the first second of every 4: a cut there cuts no sound
                assertThat(piece.offset() % 4).as("cut at %s s", piece.offset()).isLessThan(1.0);
                String[] probed = ffprobe(piece.file()).split(",");
                assertThat(Integer.parseInt(probed[0])).isEqualTo(16_000);
                assertThat(Integer.parseInt(probed[1])).isEqualTo(channels);
                double seconds = Double.parseDouble(probed[2]);
                assertThat(seconds).isCloseTo(piece.duration(), within(0.001)).isLessThanOrEqualTo(10.0);
                at += seconds;
            }
            assertThat(at).as("the pieces hold the whole audio").isCloseTo(26.0, within(0.001));
        }
    }

    @Test
    void shortAudioAndWhatJavaCannotReadAreOnePieceTheFileItself() throws Exception {
        Path wav = MediaFixtures.gappedTone(dir, 9, 16_000, 1);
        assertThat(pieces.cut(wav, dir.resolve("short"))).containsExactly(
                new SpeechPieces.Piece(0, 1, wav, 0, 9.0));
        Path junk = Files.write(dir.resolve("junk.wav"), "RIFF....WAVEnot really".getBytes());
        assertThat(pieces.cut(junk, dir.resolve("junk"))).containsExactly(new SpeechPieces.Piece(0, 1, junk, 0, 0));
        assertThat(dir.resolve("short")).doesNotExist();
    }

    @Test
    void eachPiecesTranscriptIsPlacedAtItsStartAndTheyAreJoinedInOrder() {
        Transcript heard = SpeechAnswers.parseVerboseJson("""
                {"language":"english","duration":9.5,"text":"Hello world.",
                 "words":[{"word":"Hello","start":0.1,"end":0.5},{"word":"world.","start":0.6,"end":1.0}]}""", "en");
        List<SpeechPieces.Piece> three = List.of(new SpeechPieces.Piece(0, 3, dir, 0, 8.2),
                new SpeechPieces.Piece(1, 3, dir, 8.2, 8.1), new SpeechPieces.Piece(2, 3, dir, 16.3, 9.7));
        int[] progress = {0};
        routes.jobs.StepInput input = new routes.jobs.StepInput(null, null, "stt", dir, dir, java.util.Map.of(),
                p -> progress[0] = p);

        Transcript joined = null;
        for (SpeechPieces.Piece piece : three) {
            joined = pieces.join(joined, pieces.placed(piece, heard, input));
            assertThat(progress[0]).isEqualTo((piece.index() + 1) * 100 / 3);
        }

        assertThat(joined.words()).extracting(w -> Math.round(w.start() * 1000))
                .containsExactly(100L, 600L, 8300L, 8800L, 16400L, 16900L);
        assertThat(joined.duration()).isCloseTo(26.0, within(1e-9));
        assertThat(joined.text()).isEqualTo("Hello world. Hello world. Hello world.");
        assertThat(joined.language()).isEqualTo("en");
        assertThat(joined.paragraphs()).as("the pauses between the pieces' words end paragraphs").hasSize(3);
        assertThat(pieces.where(three.get(2))).isEqualTo("piece 3 of 3 (0:16-0:26 of the audio): ");
        assertThat(pieces.where(new SpeechPieces.Piece(0, 1, dir, 0, 30))).isEmpty();
    }

    private static String ffprobe(Path file) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                "stream=sample_rate,channels,duration", "-of", "csv=p=0", file.toString()).redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes()).strip();
    }
}
