package routes.stt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import routes.stt.WordErrorRate;
import routes.stt.moonshine.MoonshineEngine;
import routes.stt.moonshine.MoonshineRecognizer;
import routes.stt.moonshine.Samples;
import routes.stt.moonshine.SileroVad;

/**
 * bench/stt.sh's measuring half: the embedded engine (Moonshine + Silero VAD, one thread) on each clip of each set
 * folder ({@code NAME.raw}: 16-bit 16 kHz mono; {@code NAME.txt}: what was said), with its wall and CPU time,
 * real-time factor and word error rate, beside pocketsphinx's output for the same clip ({@code NAME.ps.txt}, its
 * times in {@code NAME.ps.time}: wall, user, system seconds and max RSS kB, from /usr/bin/time); a line per set
 * (its word error rate: all its clips' edits over all their words), then the JVM's peak resident memory. Args: the
 * models folder, then the set folders.
 */
public final class SttBench {

    private SttBench() {
    }

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (SileroVad vad = SileroVad.open(models.resolve("silero-vad/silero_vad_v5.onnx"), SileroVad.Settings.DEFAULTS);
             MoonshineRecognizer recognizer = MoonshineRecognizer.open(models.resolve("moonshine-tiny"), 1)) {
            MoonshineEngine engine = new MoonshineEngine(vad, recognizer);
            engine.transcribe(new float[SileroVad.SAMPLE_RATE * 2]); // warm-up
            String header = String.format(Locale.ROOT, "%-16s %7s | %8s %8s %7s %6s | %8s %8s %7s %6s %8s", "clip",
                    "audio s", "mo wall", "mo cpu", "mo RTF", "mo WER", "ps wall", "ps cpu", "ps RTF", "ps WER", "ps RSS");
            StringBuilder summary = new StringBuilder();
            for (int a = 1; a < args.length; a++) {
                Path clips = Path.of(args[a]);
                List<Path> raws;
                try (var files = Files.list(clips)) {
                    raws = files.filter(p -> p.toString().endsWith(".raw")).sorted().toList();
                }
                System.out.println();
                System.out.println(header);
                double audio = 0;
                double moCpu = 0;
                double psCpu = 0;
                int[] mo = new int[2];
                int[] ps = new int[2];
                for (Path raw : raws) {
                    String name = raw.getFileName().toString().replace(".raw", "");
                    String said = Files.readString(clips.resolve(name + ".txt"), StandardCharsets.UTF_8);
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    String heard;
                    double seconds;
                    try (Samples.File samples = Samples.pcm(raw)) {
                        seconds = samples.length() / (double) SileroVad.SAMPLE_RATE;
                        heard = String.join(" ", engine.transcribe(samples, Long.MAX_VALUE).stream()
                                .map(MoonshineEngine.Segment::text).toList());
                    }
                    double wall = (System.nanoTime() - wall0) / 1e9;
                    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                    Files.writeString(clips.resolve(name + ".mo.txt"), heard + "\n");
                    int[] moCounts = WordErrorRate.counts(said, heard);
                    String[] time = Files.readString(clips.resolve(name + ".ps.time")).strip().split("\\s+");
                    double psWall = Double.parseDouble(time[0]);
                    double psCpuClip = Double.parseDouble(time[1]) + Double.parseDouble(time[2]);
                    int[] psCounts = WordErrorRate.counts(said, Files.readString(clips.resolve(name + ".ps.txt")));
                    System.out.printf(Locale.ROOT, "%-16s %7.1f | %8.2f %8.2f %7.3f %6.3f | %8.2f %8.2f %7.3f %6.3f %5d MB%n",
                            name, seconds, wall, cpu, cpu / seconds, rate(moCounts), psWall, psCpuClip,
                            psCpuClip / seconds, rate(psCounts), Long.parseLong(time[3]) / 1024);
                    audio += seconds;
                    moCpu += cpu;
                    psCpu += psCpuClip;
                    add(mo, moCounts);
                    add(ps, psCounts);
                }
                String line = String.format(Locale.ROOT, "%-16s %7.1f | %17.2f %7.3f %6.3f | %17.2f %7.3f %6.3f",
                        "set " + clips.getFileName(), audio, moCpu, moCpu / audio, rate(mo), psCpu, psCpu / audio,
                        rate(ps));
                System.out.println(line);
                summary.append(line).append('\n');
            }
            System.out.println();
            System.out.println(header);
            System.out.print(summary);
        }
        String status = Files.readString(Path.of("/proc/self/status"));
        String peak = status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
        System.out.println("Moonshine JVM peak resident memory: " + peak.replaceAll("\\s+", " ").substring(7));
    }

    private static void add(int[] total, int[] counts) {
        total[0] += counts[0];
        total[1] += counts[1];
    }

    private static double rate(int[] counts) {
        return counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
    }
}
