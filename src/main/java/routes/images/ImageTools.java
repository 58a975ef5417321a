package routes.images;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import routes.tools.Executables;

/**
 * The image codecs Caravan runs as programs: AVIF and HEIC through libheif's command-line tools (Debian
 * {@code libheif-examples}): {@code heif-convert} decodes an AVIF (dav1d/aom) or HEIC (libde265) file to PNG with its
 * rotation, mirroring and alpha applied, {@code heif-enc} encodes a PNG to AVIF (aom) keeping its alpha; and libwebp's
 * {@code img2webp} for animated WebP ({@link AnimatedWebp}). Each run has a time limit ({@value #TIME_LIMIT_SECONDS}
 * s, then the process is killed) and works in a folder of its own that is deleted afterwards; what the tool printed on
 * failure is the reason given. The tools are looked for on the {@code PATH} once.
 */
final class ImageTools {

    static final long TIME_LIMIT_SECONDS = 60;
    private static final int REASON_CHARS = 300;

    private static final Path DECODER = Executables.find("heif-convert");
    private static final Path ENCODER = Executables.find("heif-enc");

    private ImageTools() {
    }

    /** Whether {@code heif-convert} is installed. */
    static boolean canDecode() {
        return DECODER != null;
    }

    /** Whether {@code heif-enc} is installed. */
    static boolean canEncode() {
        return ENCODER != null;
    }

    /** A work folder for one run; the caller deletes it with {@link #delete}. */
    static Path workFolder() throws IOException {
        return Files.createTempDirectory("caravan-heif-");
    }

    /** Decodes {@code source} (AVIF or HEIC) to {@code png}. */
    static void decodeHeif(Path source, Path png) throws IOException {
        if (DECODER == null) {
            throw new IOException("heif-convert is not installed (Debian package libheif-examples)");
        }
        run(List.of(DECODER.toString(), "--quiet", source.toString(), png.toString()), png.getParent());
        if (!Files.isRegularFile(png)) {
            throw new IOException("heif-convert wrote no image");
        }
    }

    /** Encodes {@code png} to AVIF at {@code quality} (1-100) into {@code avif}. */
    static void encodeAvif(Path png, int quality, Path avif) throws IOException {
        if (ENCODER == null) {
            throw new IOException("heif-enc is not installed (Debian package libheif-examples)");
        }
        run(List.of(ENCODER.toString(), "-A", "-q", Integer.toString(Math.max(1, Math.min(100, quality))),
                "-o", avif.toString(), png.toString()), avif.getParent());
        if (!Files.isRegularFile(avif) || Files.size(avif) == 0) {
            throw new IOException("heif-enc wrote no image");
        }
    }

    /** Runs {@code command} in {@code folder} (its output kept there as {@code tool.log}) within the time limit. */
    static void run(List<String> command, Path folder) throws IOException {
        Path log = folder.resolve("tool.log");
        Process process = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String tool = Path.of(command.get(0)).getFileName().toString();
        try {
            if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(tool + " took longer than " + TIME_LIMIT_SECONDS + " s and was stopped");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(tool + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(tool + " failed (exit " + process.exitValue() + "): " + tail(log));
        }
    }

    /** The last lines the tool printed, at most {@value #REASON_CHARS} characters, on one line. */
    private static String tail(Path log) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int n = (int) Math.min(length, REASON_CHARS);
            byte[] bytes = new byte[n];
            file.seek(length - n);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            return text.isEmpty() ? "no message" : text;
        } catch (IOException e) {
            return "no message";
        }
    }

    /** Deletes a work folder and what is in it; quietly. */
    static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try {
            PathUtils.deleteDirectory(folder);
        } catch (IOException e) {
            // a leftover temporary folder is not worth failing a render for
        }
    }
}
