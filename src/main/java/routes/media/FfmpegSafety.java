package routes.media;

import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResult;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResultFuture;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.log.LogMessage;
import com.github.kokorin.jaffree.process.JaffreeAbnormalExitException;
import com.github.kokorin.jaffree.process.Stopper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The rules every ffmpeg and ffprobe run follows, in one place.
 *
 * <ul>
 *   <li>Inputs are read with {@code -protocol_whitelist file}: local files only, so a crafted input cannot make
 *       ffmpeg reach the network.</li>
 *   <li>Inputs are read with {@code -format_whitelist} {@link #ALLOWED_DEMUXERS}: audio and video containers
 *       only. Playlists and lists of other files (HLS, concat, SDP, DASH, tty text...) are refused even when named
 *       {@code .mp4}, so an upload cannot make ffmpeg read another local file. {@link #refuseFormat} checks the
 *       probed format once more, and every run after the probe forces the probed demuxer with {@code -f}.</li>
 *   <li>Paths are passed as {@code file:} URLs, one argument each, never parsed as options or other protocols.</li>
 *   <li>Every run has a deadline, {@link MediaLimits#timeout()}: past it ffmpeg is asked to stop ({@code q}),
 *       then killed with its children, and the step fails with {@code timeout}.</li>
 * </ul>
 */
public class FfmpegSafety {

    /** The demuxers Caravan reads: common video and audio containers and elementary streams. */
    public static final List<String> ALLOWED_DEMUXERS = List.of(
            // video containers (mov covers mp4, m4a, 3gp; matroska covers webm and mka)
            "mov", "matroska", "webm", "avi", "flv", "mpegts", "mpeg", "asf", "ogg", "mxf", "nut", "rm", "dv",
            "wtv", "ivf",
            // elementary video streams
            "h264", "hevc", "m4v", "mpegvideo",
            // audio
            "mp3", "wav", "w64", "flac", "aac", "loas", "ac3", "eac3", "dts", "truehd", "mlp", "aiff", "caf",
            "amr", "amrnb", "amrwb", "wv", "ape", "tta", "tak", "mpc", "mpc8", "au", "xwma");

    /** Demuxers that read other files or the network; refused whatever the whitelist says. */
    static final Set<String> REFUSED_DEMUXERS = Set.of(
            "hls", "applehttp", "m3u8", "concat", "dash", "webm_dash_manifest", "sdp", "rtp", "rtsp", "tty",
            "ffmetadata", "image2", "image2pipe", "lavfi", "data", "bin");

    private static final String FORMAT_WHITELIST = String.join(",", ALLOWED_DEMUXERS);

    private final MediaLimits limits;
    private final Path binDir;

    /** ffmpeg and ffprobe from the PATH. */
    public FfmpegSafety(MediaLimits limits) {
        this(limits, null);
    }

    /**
     * @param limits the limits every run and probe checks
     * @param binDir the folder holding {@code ffmpeg} and {@code ffprobe}; null for the PATH
     */
    public FfmpegSafety(MediaLimits limits, Path binDir) {
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        this.limits = limits;
        this.binDir = binDir;
    }

    public static FfmpegSafety defaults() {
        return new FfmpegSafety(MediaLimits.defaults());
    }

    public MediaLimits limits() {
        return limits;
    }

    /** The same binaries with other limits. */
    public FfmpegSafety withLimits(MediaLimits newLimits) {
        return new FfmpegSafety(newLimits, binDir);
    }

    // ---------------------------------------------------------------- building runs

    /** A new ffmpeg run: overwrites outputs, quiet banner, stoppable by {@link #run}. */
    public FFmpeg ffmpeg() {
        Path executable = binDir == null ? Path.of("ffmpeg") : binDir.resolve("ffmpeg");
        return new GuardedFFmpeg(executable)
                .setOverwriteOutput(true)
                .addArgument("-hide_banner")
                .addArgument("-nostats");
    }

    /**
     * An input with the safety options: local files only, accepted demuxers only, and the demuxer forced to the
     * probed one when {@code info} tells it.
     */
    public UrlInput input(Path file, MediaInfo info) {
        UrlInput input = UrlInput.fromUrl(fileUrl(file))
                .addArguments("-protocol_whitelist", "file")
                .addArguments("-format_whitelist", FORMAT_WHITELIST);
        String demuxer = info == null ? null : info.demuxer();
        if (demuxer != null) {
            refuseFormat(info.format());
            input.setFormat(demuxer);
        }
        return input;
    }

    /** An output file, always through the file protocol. */
    public UrlOutput output(Path file) {
        return UrlOutput.toUrl(fileUrl(file));
    }

    /** The arguments a run from {@link #ffmpeg()} passes to ffmpeg (for logs and tests). */
    static List<String> arguments(FFmpeg ffmpeg) {
        if (!(ffmpeg instanceof GuardedFFmpeg guarded)) {
            throw new IllegalArgumentException("runs must be created by FfmpegSafety.ffmpeg()");
        }
        return guarded.arguments();
    }

    /** {@code file:} and the absolute path: one argument that ffmpeg never reads as an option or protocol. */
    static String fileUrl(Path file) {
        return "file:" + file.toAbsolutePath().normalize();
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs ffmpeg under the deadline. On any failure the given outputs are deleted (they would be partial).
     *
     * @param ffmpeg a run from {@link #ffmpeg()}
     * @param step what the run does, for messages (e.g. {@code transcode})
     * @param outputs files the run writes
     * @throws MediaProblem {@code timeout} past the deadline; {@code corrupt-media} or {@code unsupported-media}
     *     when ffmpeg fails on the media
     * @throws UncheckedIOException when the disk is full
     * @throws IllegalStateException when ffmpeg cannot be started or fails for another reason
     */
    public FFmpegResult run(FFmpeg ffmpeg, String step, Collection<Path> outputs) {
        if (!(ffmpeg instanceof GuardedFFmpeg guarded)) {
            throw new IllegalArgumentException("runs must be created by FfmpegSafety.ffmpeg()");
        }
        boolean ok = false;
        try {
            FFmpegResult result = await(guarded, step);
            ok = true;
            return result;
        } finally {
            if (!ok) {
                deleteQuietly(outputs);
            }
        }
    }

    private FFmpegResult await(GuardedFFmpeg ffmpeg, String step) {
        FFmpegResultFuture future;
        try {
            future = ffmpeg.executeAsync();
        } catch (JaffreeException e) {
            throw new IllegalStateException(step + ": ffmpeg could not be started: " + e.getMessage(), e);
        }
        long timeoutMillis = limits.timeout().toMillis();
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop(ffmpeg.stopper, future);
            throw new MediaProblem(MediaProblem.Reason.TIMEOUT,
                    step + " took longer than " + limits.timeout() + " and was stopped");
        } catch (InterruptedException e) {
            ffmpeg.stopper.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(step + " was interrupted", e);
        } catch (ExecutionException e) {
            throw failure(step, e.getCause(), ffmpeg.stderrTail());
        }
    }

    /** Asks ffmpeg to quit, then kills it and its children if it does not within two seconds. */
    private static void stop(KillableStopper stopper, FFmpegResultFuture future) {
        stopper.graceStop();
        try {
            future.get(2, TimeUnit.SECONDS);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // not stopped yet, or stopped with an error: either way, make sure it is gone
        }
        stopper.kill();
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // killed: the error is expected
        }
    }

    private static RuntimeException failure(String step, Throwable cause, List<String> stderr) {
        List<String> lines = new ArrayList<>(stderr);
        if (cause instanceof JaffreeAbnormalExitException abnormal) {
            for (LogMessage message : abnormal.getProcessErrorLogMessages()) {
                if (message != null && message.message != null) {
                    lines.add(message.message);
                }
            }
        }
        String detail = lastMeaningful(lines);
        String all = String.join("\n", lines).toLowerCase(Locale.ROOT);
        if (all.contains("no space left on device")) {
            return new UncheckedIOException(new IOException(step + ": no space left on device"));
        }
        if (!(cause instanceof JaffreeAbnormalExitException)) {
            return new IllegalStateException(step + ": ffmpeg failed: " + (cause == null ? "?" : cause.getMessage()),
                    cause);
        }
        if (all.contains("not on whitelist") || all.contains("decoder (codec") || all.contains("unknown decoder")
                || all.contains("unsupported codec")) {
            return new MediaProblem(MediaProblem.Reason.UNSUPPORTED_MEDIA,
                    step + ": the media uses a format or codec Caravan cannot read" + detail, cause);
        }
        return new MediaProblem(MediaProblem.Reason.CORRUPT_MEDIA, step + ": ffmpeg could not read the media" + detail,
                cause);
    }

    private static String lastMeaningful(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("Conversion failed") && !line.startsWith("Exiting normally")) {
                return " (" + (line.length() > 200 ? line.substring(0, 200) + "..." : line) + ")";
            }
        }
        return "";
    }

    // ---------------------------------------------------------------- probing

    /**
     * Runs ffprobe on a local file with the safety options and the deadline, showing format and streams.
     *
     * @throws MediaProblem {@code timeout}, {@code unsupported-media} or {@code corrupt-media}
     */
    public FFprobeResult ffprobe(Path file) {
        FFprobe ffprobe = (binDir == null ? FFprobe.atPath() : FFprobe.atPath(binDir))
                .setShowFormat(true)
                .setShowStreams(true)
                .setLogLevel(LogLevel.ERROR)
                .addArguments("-protocol_whitelist", "file")
                .addArguments("-format_whitelist", FORMAT_WHITELIST)
                .setInput(fileUrl(file));
        Future<FFprobeResult> future;
        try {
            future = ffprobe.executeAsync();
        } catch (JaffreeException e) {
            throw new IllegalStateException("probe: ffprobe could not be started: " + e.getMessage(), e);
        }
        try {
            return future.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // interrupts Jaffree's runner thread, which destroys the ffprobe process
            future.cancel(true);
            throw new MediaProblem(MediaProblem.Reason.TIMEOUT,
                    "probe took longer than " + limits.timeout() + " and was stopped");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("probe was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JaffreeAbnormalExitException abnormal) {
                throw probeFailure(file, abnormal);
            }
            throw new IllegalStateException("probe: ffprobe failed: " + (cause == null ? "?" : cause.getMessage()),
                    cause);
        }
    }

    private static MediaProblem probeFailure(Path file, JaffreeAbnormalExitException abnormal) {
        List<String> lines = new ArrayList<>();
        for (LogMessage message : abnormal.getProcessErrorLogMessages()) {
            if (message != null && message.message != null) {
                lines.add(message.message);
            }
        }
        String all = String.join("\n", lines).toLowerCase(Locale.ROOT);
        if (all.contains("not on whitelist")) {
            return new MediaProblem(MediaProblem.Reason.UNSUPPORTED_MEDIA,
                    "not an accepted audio or video format (playlists and file lists are refused)", abnormal);
        }
        Signature signature = sniff(file);
        if (signature == Signature.CONTAINER) {
            return new MediaProblem(MediaProblem.Reason.CORRUPT_MEDIA,
                    "a media container that cannot be read: truncated or damaged" + lastMeaningful(lines), abnormal);
        }
        return new MediaProblem(MediaProblem.Reason.UNSUPPORTED_MEDIA,
                "not a recognised audio or video file" + lastMeaningful(lines), abnormal);
    }

    /**
     * Refuses formats that read other files or the network (playlists, concat lists...), whatever the file is
     * named. {@code formatName} is ffprobe's {@code format_name}, possibly a comma-separated list.
     */
    public static void refuseFormat(String formatName) {
        if (formatName == null || formatName.isBlank()) {
            throw MediaProblem.unsupported("the media format could not be determined");
        }
        for (String name : formatName.toLowerCase(Locale.ROOT).split(",")) {
            String n = name.strip();
            if (REFUSED_DEMUXERS.contains(n) || n.endsWith("_pipe")) {
                throw MediaProblem.unsupported("format '" + n + "' is not accepted: playlists, file lists and "
                        + "images are refused");
            }
        }
    }

    // ---------------------------------------------------------------- sniffing

    /** What the first bytes of a file look like. */
    public enum Signature {
        /** No bytes at all. */
        EMPTY,
        /** A text playlist or file list: HLS ({@code #EXTM3U}), ffconcat, SDP. */
        PLAYLIST,
        /** The magic number of a known audio or video container. */
        CONTAINER,
        /** Anything else. */
        UNKNOWN
    }

    /** Looks at the first bytes of a file (no ffmpeg involved). */
    public static Signature sniff(Path file) {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getFileName(), e);
        }
        if (n == 0) {
            return Signature.EMPTY;
        }
        head = Arrays.copyOf(head, n);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String trimmed = text.startsWith("\uFEFF") ? text.substring(1) : text;
        trimmed = trimmed.stripLeading();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("#extm3u") || lower.startsWith("ffconcat") || lower.startsWith("file ")
                || lower.startsWith("file '") || lower.startsWith("v=0") || lower.startsWith("<?xml")
                || lower.startsWith("<mpd") || lower.startsWith("[playlist]")) {
            return Signature.PLAYLIST;
        }
        return isContainer(head) ? Signature.CONTAINER : Signature.UNKNOWN;
    }

    private static boolean isContainer(byte[] b) {
        if (b.length >= 8) {
            String box = ascii(b, 4, 4);
            if (Set.of("ftyp", "moov", "mdat", "free", "wide", "skip", "pnot", "uuid", "styp").contains(box)) {
                return true;
            }
        }
        if (startsWith(b, 0x1A, 0x45, 0xDF, 0xA3)                         // EBML: Matroska, WebM
                || startsWith(b, 0x30, 0x26, 0xB2, 0x75)                  // ASF: wmv, wma
                || startsWith(b, 0x00, 0x00, 0x01, 0xBA)                  // MPEG program stream
                || startsWith(b, 0x00, 0x00, 0x01, 0xB3)                  // MPEG video
                || startsWith(b, 0x06, 0x0E, 0x2B, 0x34)) {               // MXF
            return true;
        }
        if (b.length > 188 && (b[0] & 0xFF) == 0x47 && (b[188] & 0xFF) == 0x47) {
            return true;                                                  // MPEG transport stream
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0) {
            return true;                                                  // MPEG audio or ADTS frame
        }
        for (String magic : List.of("RIFF", "RF64", "OggS", "fLaC", "ID3", "FLV", "FORM", "caff", "#!AMR",
                "wvpk", "MAC ", "TTA1", "MPCK", "MP+", "DKIF", ".RMF", "nut/", "BBCD", "tBaK")) {
            if (b.length >= magic.length() && ascii(b, 0, magic.length()).equals(magic)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static void deleteQuietly(Collection<Path> files) {
        if (files == null) {
            return;
        }
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort: the work folder is removed with the job anyway
            }
        }
    }

    // ---------------------------------------------------------------- Jaffree plumbing

    /** An FFmpeg whose process can be killed, even when the stop comes before the process has started. */
    private static final class GuardedFFmpeg extends FFmpeg {
        private static final int TAIL_LINES = 30;

        final KillableStopper stopper = new KillableStopper();
        private final Deque<String> tail = new ArrayDeque<>();

        GuardedFFmpeg(Path executable) {
            super(executable);
            setOutputListener(this::remember);
        }

        @Override
        protected Stopper createStopper() {
            return stopper;
        }

        private void remember(String line) {
            synchronized (tail) {
                if (tail.size() == TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        }

        List<String> arguments() {
            return buildArguments();
        }

        List<String> stderrTail() {
            synchronized (tail) {
                return new ArrayList<>(tail);
            }
        }
    }

    /**
     * Jaffree's own stopper only writes {@code q} to stdin, which ffmpeg reads once it is transcoding; this one
     * also kills the process tree, and remembers a kill requested before the process existed.
     */
    private static final class KillableStopper implements Stopper {
        private Process process;
        private boolean killRequested;

        @Override
        public synchronized void setProcess(Process process) {
            this.process = process;
            if (killRequested) {
                destroy(process);
            }
        }

        @Override
        public void graceStop() {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p == null || !p.isAlive()) {
                return;
            }
            try {
                OutputStream stdin = p.getOutputStream();
                stdin.write('q');
                stdin.flush();
            } catch (IOException e) {
                // stdin closed: the process is ending
            }
        }

        @Override
        public void forceStop() {
            kill();
        }

        synchronized void kill() {
            killRequested = true;
            if (process != null) {
                destroy(process);
            }
        }

        private static void destroy(Process process) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
