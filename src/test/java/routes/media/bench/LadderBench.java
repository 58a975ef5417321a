package routes.media.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import routes.media.FfmpegSafety;
import routes.media.Ladder;
import routes.media.LadderPlanner;
import routes.media.MediaInfo;
import routes.media.MediaLimits;
import routes.media.MediaProber;
import routes.media.PlannedRendition;
import routes.media.Rung;
import routes.media.RenditionOutput;
import routes.media.Transcoder;

/**
 * Benchmark of the video ladder (a command, not a test; run {@code bench/video-ladder.sh}).
 *
 * <p>Makes a 30 s 1080p {@code testsrc2} + {@code sine} clip, then times the 1080p/720p/480p ladder three ways:
 * (a) {@link Transcoder#ladder}, one ffmpeg run through Jaffree; (b) the same ladder as one raw ffmpeg command
 * (same filters and encoder settings); (c) three raw ffmpeg runs, one per rendition (three decodes). Targets:
 * a/b at most 1.10 (the Java side costs nothing that matters) and a/c below 1 (decoding once pays).
 *
 * <p>Arguments: {@code [seconds] [rounds]}, default 30 s and 3 rounds. Each round runs a, b and c in a rotated
 * order and the medians are compared: on a shared 2-core machine single runs vary by 10% or more.
 *
 * <p>{@code --commands SOURCE OUTDIR} prints the raw commands instead, shell-quoted, one per line: (b) first, then
 * the runs of (c), writing into OUTDIR; {@code bench/video-pipeline.sh} runs them between its pipeline rounds.
 */
public final class LadderBench {

    private LadderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--commands")) {
            printCommands(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.github.kokorin.jaffree"))
                .setLevel(ch.qos.logback.classic.Level.OFF);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path given = args.length > 2 ? Path.of(args[2]) : null;

        Path dir = Files.createTempDirectory("caravan-ladder-bench");
        try {
            run(dir, seconds, rounds, given);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int seconds, int rounds, Path given) throws Exception {
        Path source = given != null ? given : dir.resolve("source-1080p.mp4");
        long start = System.nanoTime();
        if (given == null) {
            ffmpeg(List.of("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=" + seconds,
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-shortest", source.toString()));
        }
        double made = elapsed(start);

        FfmpegSafety safety = new FfmpegSafety(MediaLimits.defaults());
        MediaInfo info = new MediaProber(safety).probe(source);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.defaults());
        System.out.printf(Locale.ROOT, "source: %.1f s %dx%d %.0f fps, %d kB (made in %.1f s); %d cores%n",
                info.durationSeconds(), info.video().displayWidth(), info.video().displayHeight(),
                info.video().frameRate(), info.sizeBytes() / 1024, made, Runtime.getRuntime().availableProcessors());
        System.out.print("ladder:");
        plan.forEach(r -> System.out.printf(Locale.ROOT, " %s=%dx%d", r.name(), r.width(), r.height()));
        System.out.println();

        int gop = (int) Math.round(info.video().frameRate() * 2);
        Transcoder transcoder = new Transcoder(safety);
        warmUp(dir, safety, transcoder);

        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // rotate the order, so no way is always first (cold) or last
            for (int k = 0; k < 3; k++) {
                switch ((round - 1 + k) % 3) {
                    case 0 -> {
                        // (a) the bean: one run through Jaffree, progress reported
                        List<Integer> progress = new ArrayList<>();
                        double cpu = childCpuSeconds();
                        start = System.nanoTime();
                        List<RenditionOutput> outputs = transcoder.ladder(source, info, plan, dir.resolve("a"),
                                progress::add);
                        a.add(elapsed(start));
                        System.out.printf(Locale.ROOT, "round %d (a) Transcoder.ladder     %6.1f s  %s(%d progress"
                                + " reports, last %d%%; %s)%n", round, last(a), cpuSince(cpu), progress.size(),
                                progress.get(progress.size() - 1), sizes(outputs));
                    }
                    case 1 -> {
                        // (b) the same ladder as one raw ffmpeg command
                        double cpu = childCpuSeconds();
                        start = System.nanoTime();
                        ffmpeg(oneCommand(source, info, plan, gop, dir.resolve("b")));
                        b.add(elapsed(start));
                        System.out.printf(Locale.ROOT, "round %d (b) raw, one command      %6.1f s  %s%n", round,
                                last(b), cpuSince(cpu));
                    }
                    default -> {
                        // (c) one raw ffmpeg run per rendition
                        StringBuilder detail = new StringBuilder();
                        double total = 0;
                        for (int i = 0; i < plan.size(); i++) {
                            start = System.nanoTime();
                            ffmpeg(separateCommand(source, info, plan.get(i), gop, dir.resolve("c")));
                            double part = elapsed(start);
                            total += part;
                            detail.append(String.format(Locale.ROOT, "%s%s %.1f s", i == 0 ? "" : " + ",
                                    plan.get(i).name(), part));
                        }
                        c.add(total);
                        System.out.printf(Locale.ROOT, "round %d (c) raw, %d separate runs %6.1f s  (%s)%n", round,
                                plan.size(), total, detail);
                    }
                }
            }
        }

        double ma = median(a);
        double mb = median(b);
        double mc = median(c);
        System.out.println();
        String of = rounds > 1 ? " (median of " + rounds + " rounds)" : "";
        System.out.printf(Locale.ROOT, "(a) Transcoder.ladder, one run     %6.1f s%s%n", ma, of);
        System.out.printf(Locale.ROOT, "(b) raw ffmpeg, one command        %6.1f s%n", mb);
        System.out.printf(Locale.ROOT, "(c) raw ffmpeg, %d separate runs    %6.1f s%n", plan.size(), mc);
        System.out.printf(Locale.ROOT, "a/b = %.3f (target <= 1.10: %s)%n", ma / mb, ma / mb <= 1.10 ? "met" : "MISSED");
        System.out.printf(Locale.ROOT, "a/c = %.3f (target < 1: %s)%n", ma / mc, ma < mc ? "met" : "MISSED");
    }

    /** (b) then each run of (c) as shell command lines, for the ladder of {@code source}. */
    private static void printCommands(Path source, Path outDir) throws IOException {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        MediaInfo info = new MediaProber(new FfmpegSafety(MediaLimits.defaults())).probe(source);
        List<PlannedRendition> plan = LadderPlanner.plan(info, Ladder.defaults());
        int gop = (int) Math.round(info.video().frameRate() * 2);
        System.out.println(shell(oneCommand(source, info, plan, gop, outDir.resolve("b"))));
        for (PlannedRendition rendition : plan) {
            System.out.println(shell(separateCommand(source, info, rendition, gop, outDir.resolve("c"))));
        }
    }

    private static String shell(List<String> args) {
        StringBuilder line = new StringBuilder();
        for (String arg : command(args)) {
            line.append(line.length() == 0 ? "" : " ").append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }

    /** The ladder as one plain ffmpeg command line: split + scale per output, the same encoder settings. */
    private static List<String> oneCommand(Path source, MediaInfo info, List<PlannedRendition> plan, int gop,
            Path outDir) throws IOException {
        Files.createDirectories(outDir);
        StringBuilder graph = new StringBuilder("[0:" + info.video().index() + "]split=" + plan.size());
        for (int i = 0; i < plan.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < plan.size(); i++) {
            PlannedRendition r = plan.get(i);
            graph.append(";[s").append(i).append("]scale=w=").append(r.width()).append(":h=").append(r.height())
                    .append(",setsar=1,format=pix_fmts=yuv420p[v").append(i).append(']');
        }
        List<String> args = new ArrayList<>(List.of("-i", source.toString(), "-filter_complex", graph.toString()));
        for (int i = 0; i < plan.size(); i++) {
            PlannedRendition r = plan.get(i);
            args.addAll(List.of("-map", "[v" + i + "]", "-map", "0:" + info.audio().index()));
            args.addAll(encoderSettings(r.settings(), gop));
            args.add(outDir.resolve(r.name() + ".mp4").toString());
        }
        return args;
    }

    /** One rendition on its own: its own decode, a simple filter. */
    private static List<String> separateCommand(Path source, MediaInfo info, PlannedRendition r, int gop,
            Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<String> args = new ArrayList<>(List.of("-i", source.toString(),
                "-vf", "scale=w=" + r.width() + ":h=" + r.height() + ",setsar=1,format=pix_fmts=yuv420p",
                "-map", "0:" + info.video().index(), "-map", "0:" + info.audio().index()));
        args.addAll(encoderSettings(r.settings(), gop));
        args.add(outDir.resolve(r.name() + ".mp4").toString());
        return args;
    }

    private static List<String> encoderSettings(Rung s, int gop) {
        return List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
                "-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop), "-sc_threshold", "0",
                "-b:v", s.videoBitrateKbps() + "k", "-maxrate:v", s.maxrateKbps() + "k",
                "-bufsize:v", s.bufsizeKbps() + "k",
                "-c:a", "aac", "-b:a", s.audioBitrateKbps() + "k",
                "-movflags", "+faststart", "-f", "mp4");
    }

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats",
                "-loglevel", "error", "-y"));
        command.addAll(args);
        return command;
    }

    private static void ffmpeg(List<String> args) throws IOException, InterruptedException {
        List<String> command = command(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("ffmpeg failed: " + command + "\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** CPU seconds of the processes this JVM ran and has reaped (Linux: /proc/self/stat), or NaN elsewhere. */
    private static double childCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String cpuSince(double before) {
        double spent = childCpuSeconds() - before;
        return Double.isNaN(spent) ? "" : String.format(Locale.ROOT, "%.1f CPU s ", spent);
    }

    private static String sizes(List<RenditionOutput> outputs) {
        StringBuilder sb = new StringBuilder();
        for (RenditionOutput o : outputs) {
            sb.append(sb.length() == 0 ? "" : ", ").append(o.name()).append(' ').append(o.width()).append('x')
                    .append(o.height());
        }
        return sb.toString();
    }

    /** One small untimed ladder, so (a) is not charged for class loading and JIT: workers are long-running. */
    private static void warmUp(Path dir, FfmpegSafety safety, Transcoder transcoder) throws Exception {
        Path clip = dir.resolve("warm-up.mp4");
        ffmpeg(List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
                "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", "-shortest", clip.toString()));
        MediaInfo info = new MediaProber(safety).probe(clip);
        transcoder.ladder(clip, info, LadderPlanner.plan(info, Ladder.defaults()), dir.resolve("warm-up"),
                p -> { });
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
