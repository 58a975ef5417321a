package routes.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Spoken test audio made with espeak-ng and ffmpeg (Debian packages espeak-ng and ffmpeg). */
final class SpeechFixtures {

    /** A female US voice at a moderate pace: what PocketSphinx's en-us model recognises best from espeak-ng. */
    static final List<String> VOICE = List.of("-v", "en-us+f2", "-s", "140");

    private SpeechFixtures() {
    }

    /** espeak-ng's own output: a 22.05 kHz mono WAV. */
    static Path speak(Path dir, String name, String text) {
        Path out = dir.resolve(name + "-22k.wav");
        if (!Files.exists(out)) {
            List<String> command = new ArrayList<>(List.of("espeak-ng"));
            command.addAll(VOICE);
            command.addAll(List.of("-w", out.toString(), text));
            run(command);
        }
        return out;
    }

    /** The same, as PCM 16-bit 16 kHz mono WAV. */
    static Path speak16k(Path dir, String name, String text) {
        Path out = dir.resolve(name + ".wav");
        if (!Files.exists(out)) {
            run(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                    "-i", speak(dir, name, text).toString(), "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le",
                    out.toString()));
        }
        return out;
    }

    /** Two spoken sentences with {@code pauseSeconds} of silence between them, 16 kHz mono. */
    static Path twoSentences(Path dir, String name, String first, String second, double pauseSeconds) {
        Path out = dir.resolve(name + ".wav");
        if (!Files.exists(out)) {
            run(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                    "-i", speak(dir, name + "-a", first).toString(), "-i", speak(dir, name + "-b", second).toString(),
                    "-filter_complex", "[0:a]apad=pad_dur=" + pauseSeconds + "[a0];[a0][1:a]concat=n=2:v=0:a=1[out]",
                    "-map", "[out]", "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", out.toString()));
        }
        return out;
    }

    /** The duration of a PCM WAV, from its fmt and data chunks. */
    static double wavSeconds(Path wav) {
        try {
            byte[] b = Files.readAllBytes(wav);
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            int at = 12;
            int byteRate = 0;
            while (at + 8 <= b.length) {
                String id = new String(b, at, 4, StandardCharsets.US_ASCII);
                long length = Integer.toUnsignedLong(buf.getInt(at + 4));
                if (id.equals("fmt ")) {
                    byteRate = buf.getInt(at + 8 + 8);
                } else if (id.equals("data")) {
                    long data = Math.min(length, b.length - at - 8);
                    return data / (double) byteRate;
                }
                at += 8 + (int) length + (int) (length & 1);
            }
            throw new AssertionError("no data chunk in " + wav);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * espeak-ng's default US voice at a moderate pace, which Moonshine hears better than {@link #VOICE}, as samples
     * (see {@link #samples16k}).
     */
    static float[] plainVoice(Path dir, String name, String text) {
        Path wav = dir.resolve(name + "-plain-22k.wav");
        run(List.of("espeak-ng", "-v", "en-us", "-s", "140", "-w", wav.toString(), text));
        return samples16k(wav);
    }

    /** Any audio file's samples, as ffmpeg decodes them: mono, 16 kHz, floats in [-1, 1]. */
    static float[] samples16k(Path audio) {
        Path raw = audio.resolveSibling(audio.getFileName() + ".f32");
        run(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", audio.toString(),
                "-ar", "16000", "-ac", "1", "-f", "f32le", raw.toString()));
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
            float[] samples = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(samples);
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(command.get(0) + " failed (" + p.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is needed for this test (Debian package "
                    + (command.get(0).equals("espeak-ng") ? "espeak-ng" : "ffmpeg") + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
