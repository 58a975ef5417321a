package routes.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Small media made on the fly with ffmpeg's lavfi sources ({@code testsrc2} pictures, {@code sine} tones), a few
 * seconds each, plus hostile files. Each method writes into the given folder once and returns the file.
 */
public final class MediaFixtures {

    static {
        // Jaffree logs every ffmpeg line (and the expected errors of the hostile files); failures carry the detail
        ch.qos.logback.classic.Logger jaffree =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.github.kokorin.jaffree");
        jaffree.setLevel(ch.qos.logback.classic.Level.OFF);
    }

    private MediaFixtures() {
    }

    /** Limits for tests: defaults with a one-minute run timeout, so nothing hangs. */
    static FfmpegSafety safety() {
        return new FfmpegSafety(MediaLimits.defaults().withTimeout(java.time.Duration.ofSeconds(60)));
    }

    /** 1280x720, 25 fps, 3 s, stereo 44.1 kHz AAC; the index at the end (not faststart). */
    static Path landscape(Path dir) {
        return make(dir, "landscape.mp4", out -> ffmpeg(
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=3",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=3",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ac", "2", "-b:a", "96k", "-shortest", out));
    }

    /** 720x1280 portrait, 25 fps, 3 s, with audio. */
    static Path portrait(Path dir) {
        return make(dir, "portrait.mp4", out -> ffmpeg(
                "-f", "lavfi", "-i", "testsrc2=size=720x1280:rate=25:duration=3",
                "-f", "lavfi", "-i", "sine=frequency=330:duration=3",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", out));
    }

    /** Stored 1280x720 with a 90 degree display rotation: a phone video, displayed 720x1280. 2 s, with audio. */
    static Path rotated(Path dir) {
        return make(dir, "rotated.mp4", out -> {
            Path stored = dir.resolve("rotated-stored.mp4");
            ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=2",
                    "-f", "lavfi", "-i", "sine=frequency=550:duration=2",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest", stored.toString());
            ffmpeg("-i", stored.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", out);
        });
    }

    /** 641x359 (odd on both sides), 4:4:4 H.264, 2 s, with audio. */
    static Path odd(Path dir) {
        return make(dir, "odd.mp4", out -> ffmpeg(
                "-f", "lavfi", "-i", "testsrc2=size=641x359:rate=25:duration=2,format=yuv444p",
                "-f", "lavfi", "-i", "sine=frequency=660:duration=2",
                "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", "-shortest", out));
    }

    /** 640x360, 2 s, no audio stream. */
    static Path silent(Path dir) {
        return make(dir, "silent.mp4", out -> ffmpeg(
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out));
    }

    /** 320x180, 35 s, with audio: longer than the 30 s preview. Tiny, so quick to encode. */
    static Path longSmall(Path dir) {
        return make(dir, "long-small.mp4", out -> ffmpeg(
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15:duration=35",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=35",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "32k", "-shortest", out));
    }

    /**
     * 160x96 at 10 fps, 40 s, with audio, every frame one flat grey whose level tells its time: luma
     * {@code 16 + 5t}, so a still decoded to RGB is grey {@code 5t * 255 / 219} (see {@link #clockSeconds}).
     */
    static Path clock(Path dir) {
        return make(dir, "clock.mp4", out -> ffmpeg(
                "-f", "lavfi", "-i", "nullsrc=size=160x96:rate=10:duration=40,geq=lum='16+N/2':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=40",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "32k", "-shortest", out));
    }

    /** The time in {@link #clock} a decoded still shows, from the mean grey of its centre. */
    static double clockSeconds(java.awt.image.BufferedImage image) {
        long sum = 0;
        int count = 0;
        for (int y = image.getHeight() / 4; y < image.getHeight() * 3 / 4; y++) {
            for (int x = image.getWidth() / 4; x < image.getWidth() * 3 / 4; x++) {
                sum += image.getRGB(x, y) & 0xFF;
                count++;
            }
        }
        return (sum / (double) count) * 219.0 / 255.0 / 5.0;
    }

    /** A 3 s stereo 44.1 kHz tone in the given container: wav, mp3, flac, ogg (Vorbis) or m4a (AAC). */
    public static Path tone(Path dir, String extension) {
        List<String> codec = switch (extension) {
            case "wav" -> List.of("-c:a", "pcm_s16le");
            case "mp3" -> List.of("-c:a", "libmp3lame", "-b:a", "96k");
            case "flac" -> List.of("-c:a", "flac");
            case "ogg" -> List.of("-c:a", "libvorbis", "-q:a", "2");
            case "m4a" -> List.of("-c:a", "aac", "-b:a", "96k");
            default -> throw new IllegalArgumentException(extension);
        };
        return make(dir, "tone." + extension, out -> {
            List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=44100:duration=3", "-ac", "2"));
            args.addAll(codec);
            args.add(out);
            ffmpeg(args.toArray(String[]::new));
        });
    }

    /**
     * {@code seconds} of a 440 Hz tone in 4 s periods whose first second is silent ([0, 1), [4, 5), ... s), as a WAV
     * at {@code rate} Hz with {@code channels} channels: long audio with known quiet moments.
     */
    public static Path gappedTone(Path dir, int seconds, int rate, int channels) {
        return make(dir, "gapped-" + seconds + "-" + rate + "-" + channels + ".wav", out -> ffmpeg("-f", "lavfi", "-i",
                "aevalsrc=0.5*sin(2*PI*440*t)*gte(mod(t\\,4)\\,1):s=" + rate + ":d=" + seconds,
                "-ac", Integer.toString(channels), "-c:a", "pcm_s16le", out));
    }

    /** An MP3 with a cover picture (an attached-picture video stream): still audio. */
    static Path mp3WithCover(Path dir) {
        return make(dir, "cover.mp3", out -> {
            Path cover = dir.resolve("cover.jpg");
            ffmpeg("-f", "lavfi", "-i", "testsrc2=size=300x300:duration=1", "-frames:v", "1", cover.toString());
            ffmpeg("-i", tone(dir, "mp3").toString(), "-i", cover.toString(), "-map", "0", "-map", "1",
                    "-c", "copy", "-id3v2_version", "3", "-disposition:v:0", "attached_pic", out);
        });
    }

    /** The first half of {@link #landscape}: its index (at the end) is gone. */
    static Path truncated(Path dir) {
        return make(dir, "truncated.mp4", out -> {
            byte[] bytes = read(landscape(dir));
            write(Path.of(out), Arrays.copyOf(bytes, bytes.length / 2));
        });
    }

    /** A faststart copy of {@link #landscape} cut at 60%: the index is there, the media data is cut short. */
    static Path truncatedFaststart(Path dir) {
        return make(dir, "truncated-faststart.mp4", out -> {
            Path full = dir.resolve("faststart-full.mp4");
            ffmpeg("-i", landscape(dir).toString(), "-c", "copy", "-movflags", "+faststart", full.toString());
            byte[] bytes = read(full);
            write(Path.of(out), Arrays.copyOf(bytes, bytes.length * 6 / 10));
        });
    }

    static Path empty(Path dir) {
        return make(dir, "empty.mp4", out -> write(Path.of(out), new byte[0]));
    }

    static Path text(Path dir) {
        return make(dir, "text.mp4", out -> write(Path.of(out),
                "This is a shopping list, not a video.\nmilk\nbread\n".getBytes(StandardCharsets.UTF_8)));
    }

    /** An HLS playlist named .mp4 whose segment is another local file. */
    static Path hlsPlaylist(Path dir) {
        String target = landscape(dir).getFileName().toString();
        return make(dir, "playlist.mp4", out -> write(Path.of(out), ("#EXTM3U\n#EXT-X-VERSION:3\n"
                + "#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\n" + target + "\n#EXT-X-ENDLIST\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** An HLS playlist named .mp4 whose segment is on the network. */
    static Path hlsRemote(Path dir) {
        return make(dir, "remote.mp4", out -> write(Path.of(out), ("#EXTM3U\n#EXT-X-TARGETDURATION:3\n"
                + "#EXTINF:3.0,\nhttp://127.0.0.1:9/segment.ts\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** An ffconcat list named .mp4 pointing at another local file. */
    static Path concatList(Path dir) {
        String target = landscape(dir).getFileName().toString();
        return make(dir, "concat.mp4", out -> write(Path.of(out),
                ("ffconcat version 1.0\nfile " + target + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** An ffconcat list named .txt, absolute path inside. */
    static Path concatText(Path dir) {
        String target = landscape(dir).toAbsolutePath().toString();
        return make(dir, "list.txt", out -> write(Path.of(out),
                ("ffconcat version 1.0\nfile '" + target + "'\n").getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- plumbing

    private interface Maker {
        void make(String out) throws Exception;
    }

    private static synchronized Path make(Path dir, String name, Maker maker) {
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            maker.make(file.toString());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make " + name, e);
        }
        assertThat(file).exists();
        return file;
    }

    /** Runs ffmpeg directly (test media only; the code under test goes through Jaffree). */
    static void ffmpeg(String... args) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                "-y"));
        command.addAll(Arrays.asList(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("ffmpeg did not finish: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + command + "\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Top-level box types in file order, read independently of the code under test. */
    static List<String> topLevelBoxes(Path file) {
        byte[] bytes = read(file);
        List<String> types = new ArrayList<>();
        long offset = 0;
        while (offset + 8 <= bytes.length) {
            int at = (int) offset;
            long size = ((bytes[at] & 0xFFL) << 24) | ((bytes[at + 1] & 0xFFL) << 16)
                    | ((bytes[at + 2] & 0xFFL) << 8) | (bytes[at + 3] & 0xFFL);
            types.add(new String(bytes, at + 4, 4, StandardCharsets.ISO_8859_1));
            if (size == 1) {
                size = 0;
                for (int i = 0; i < 8; i++) {
                    size = (size << 8) | (bytes[at + 8 + i] & 0xFFL);
                }
            } else if (size == 0) {
                size = bytes.length - offset;
            }
            if (size < 8) {
                break;
            }
            offset += size;
        }
        return types;
    }

    /** ffmpeg processes started by this JVM that are still running. */
    static List<ProcessHandle> runningFfmpeg() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("ffmpeg") || c.endsWith("ffprobe"))
                        .orElse(false))
                .toList();
    }
}
