package routes.stt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import routes.jobs.StepInput;

/**
 * Long speech audio in pieces that one call of a transcription server takes: OpenAI's API takes 25 MB a file (about
 * 13 minutes of 16 kHz 16-bit mono), and a job's progress can only move between calls. Audio longer than the
 * longest piece is cut, each time at the quietest {@value #QUIET_MS} ms within the last {@value #SEARCH_FRACTION_PCT}%
 * of the piece (by the energy of 10 ms windows: a pause between words, so no word is cut in two); each piece is a WAV
 * file of its own, and its transcript's times are shifted by where it starts ({@link #placed}) before the pieces'
 * transcripts are joined ({@link #join}).
 */
public class SpeechPieces {

    static final int QUIET_MS = 300;
    static final int SEARCH_FRACTION_PCT = 20;
    private static final int WINDOW_MS = 10;

    /**
     * One piece of the audio.
     *
     * @param index its place, from 0
     * @param count how many pieces there are
     * @param file its audio (the whole file when there is one piece)
     * @param offset where it starts in the whole audio, in seconds
     * @param duration how long it is, in seconds
     */
    public record Piece(int index, int count, Path file, double offset, double duration) {
    }

    private final Duration longest;

    /** @param longest the longest piece sent in one call */
    public SpeechPieces(Duration longest) {
        if (longest == null || longest.toMillis() < 10_000) {
            throw new IllegalArgumentException("a piece must be allowed at least 10 s: " + longest);
        }
        this.longest = longest;
    }

    /** The step's speech audio in pieces, written into a folder of its work folder. */
    public List<Piece> cut(StepInput input) throws IOException {
        return cut(input.file(), input.workDir().resolve("speech-pieces"));
    }

    /**
     * {@code wav} in pieces of at most the longest length, written into {@code dir}; a WAV that is short enough, or
     * that Java's own reader does not take as 16-bit PCM, is one piece: the file itself, for the server to judge.
     */
    List<Piece> cut(Path wav, Path dir) throws IOException {
        AudioFormat format;
        long frames;
        try (AudioInputStream in = open(wav)) {
            if (in == null) {
                return List.of(new Piece(0, 1, wav, 0, 0));
            }
            format = in.getFormat();
            frames = in.getFrameLength();
            if (!pcm16(format) || frames == AudioSystem.NOT_SPECIFIED) {
                return List.of(new Piece(0, 1, wav, 0, 0));
            }
        }
        float rate = format.getSampleRate();
        long most = (long) (longest.toMillis() / 1000.0 * rate);
        if (frames <= most) {
            return List.of(new Piece(0, 1, wav, 0, frames / rate));
        }
        List<Long> cuts = cuts(energies(wav, format), frames, most, rate);
        Files.createDirectories(dir);
        List<Piece> pieces = new ArrayList<>();
        try (AudioInputStream in = open(wav)) {
            long at = 0;
            for (int i = 0; i < cuts.size(); i++) {
                long end = cuts.get(i);
                Path file = dir.resolve(String.format("piece-%04d.wav", i));
                AudioSystem.write(new AudioInputStream(in, format, end - at), AudioFileFormat.Type.WAVE, file.toFile());
                pieces.add(new Piece(i, cuts.size(), file, at / rate, (end - at) / rate));
                at = end;
            }
        }
        return pieces;
    }

    /** Where each piece ends, in frames: the last at {@code frames}. */
    static List<Long> cuts(double[] energies, long frames, long most, float rate) {
        long window = Math.max(1, (long) (rate * WINDOW_MS / 1000));
        int quiet = QUIET_MS / WINDOW_MS;
        List<Long> cuts = new ArrayList<>();
        long start = 0;
        while (frames - start > most) {
            int last = (int) ((start + most) / window) - quiet;
            int first = Math.max((int) (start / window) + 1, (int) ((start + most * (100 - SEARCH_FRACTION_PCT) / 100)
                    / window));
            int best = last;
            double bestSum = Double.MAX_VALUE;
            double sum = 0;
            for (int w = first; w < first + quiet; w++) {
                sum += energies[w];
            }
            for (int w = first; w <= last; w++) {
                if (w > first) {
                    sum += energies[w + quiet - 1] - energies[w - 1];
                }
                if (sum < bestSum) {
                    bestSum = sum;
                    best = w;
                }
            }
            long cut = (best + quiet / 2) * window;
            cuts.add(cut);
            start = cut;
        }
        cuts.add(frames);
        return cuts;
    }

    /** The energy (sum of squares) of each 10 ms window of the audio. */
    private static double[] energies(Path wav, AudioFormat format) throws IOException {
        int channels = format.getChannels();
        boolean bigEndian = format.isBigEndian();
        long window = Math.max(1, (long) (format.getSampleRate() * WINDOW_MS / 1000));
        try (AudioInputStream in = open(wav)) {
            double[] out = new double[(int) (in.getFrameLength() / window) + 1];
            byte[] buffer = new byte[format.getFrameSize() * (int) window * 100];
            long frame = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int whole = n - n % format.getFrameSize();
                for (int i = 0; i + 1 < whole; i += 2) {
                    int sample = bigEndian ? (buffer[i] << 8) | (buffer[i + 1] & 0xff)
                            : (buffer[i + 1] << 8) | (buffer[i] & 0xff);
                    out[(int) Math.min(out.length - 1, frame / window)] += (double) sample * sample;
                    if ((i / 2 + 1) % channels == 0) {
                        frame++;
                    }
                }
            }
            return out;
        }
    }

    private static AudioInputStream open(Path wav) throws IOException {
        try {
            return AudioSystem.getAudioInputStream(wav.toFile());
        } catch (UnsupportedAudioFileException e) {
            return null;
        }
    }

    private static boolean pcm16(AudioFormat format) {
        return format.getEncoding().equals(AudioFormat.Encoding.PCM_SIGNED) && format.getSampleSizeInBits() == 16
                && format.getSampleRate() > 0;
    }

    /**
     * A piece's transcript placed in the whole audio: its words shifted by the piece's start, its duration running to
     * the piece's end. Also reports the step's progress: the share of the pieces done.
     */
    public Transcript placed(Piece piece, Transcript transcript, StepInput input) {
        List<Transcript.Word> words = new ArrayList<>(transcript.words().size());
        for (Transcript.Word w : transcript.words()) {
            words.add(w.shifted(piece.offset()));
        }
        double duration = piece.duration() > 0 ? piece.duration() : transcript.duration();
        if (input != null && input.progress() != null) {
            input.progress().accept((piece.index() + 1) * 100 / piece.count());
        }
        return Transcript.fromWords(transcript.language(), piece.offset() + duration, transcript.text(), words);
    }

    /**
     * Where a piece is in the audio, to begin a message about it ({@code piece 3 of 12 (10:00-15:00 of the audio): }),
     * or nothing when the audio is in one piece (or there is no piece).
     */
    public String where(Piece piece) {
        if (piece == null || piece.count() == 1) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "piece %d of %d (%s-%s of the audio): ", piece.index() + 1,
                piece.count(), clock(piece.offset()), clock(piece.offset() + piece.duration()));
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** Two consecutive pieces' placed transcripts as one (the first is null for the first piece). */
    public Transcript join(Transcript sofar, Transcript next) {
        if (sofar == null) {
            return next;
        }
        if (next == null) {
            return sofar;
        }
        List<Transcript.Word> words = new ArrayList<>(sofar.words());
        words.addAll(next.words());
        String text = (sofar.text().strip() + " " + next.text().strip()).strip();
        return Transcript.fromWords(sofar.language() != null ? sofar.language() : next.language(),
                Math.max(sofar.duration(), next.duration()), text, words);
    }

}
