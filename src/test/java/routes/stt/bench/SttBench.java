package routes.stt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import routes.stt.moonshine.MoonshineEngine;
import routes.stt.moonshine.MoonshineRecognizer;
import routes.stt.moonshine.SileroVad;

/**
 * bench/stt.sh's measuring half: the embedded engine (Moonshine + Silero VAD, one thread) on each clip of a folder
 * ({@code NAME.raw}: 16-bit 16 kHz mono; {@code NAME.txt}: what was said), with its wall and CPU time, real-time
 * factors and word error rate, beside pocketsphinx's output for the same clip ({@code NAME.ps.txt}, its times in
 * {@code NAME.ps.time}: wall, user, system seconds and max RSS kB, from /usr/bin/time), then the JVM's peak resident
 * memory. Args: the clips folder, the models folder.
 */
public final class SttBench {

    private SttBench() {
    }

    public static void main(String[] args) throws Exception {
        Path clips = Path.of(args[0]);
        Path models = Path.of(args[1]);
        List<Path> raws;
        try (var files = Files.list(clips)) {
            raws = files.filter(p -> p.toString().endsWith(".raw")).sorted().toList();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (SileroVad vad = SileroVad.open(models.resolve("silero-vad/silero_vad_v5.onnx"), SileroVad.Settings.DEFAULTS);
             MoonshineRecognizer recognizer = MoonshineRecognizer.open(models.resolve("moonshine-tiny"), 1)) {
            MoonshineEngine engine = new MoonshineEngine(vad, recognizer);
            engine.transcribe(samples(raws.get(0))); // warm-up
            System.out.printf(Locale.ROOT, "%-14s %7s | %8s %8s %7s %6s | %8s %8s %7s %6s %8s%n", "clip", "audio s",
                    "mo wall", "mo cpu", "mo RTF", "mo WER", "ps wall", "ps cpu", "ps RTF", "ps WER", "ps RSS");
            double audioTotal = 0;
            double moCpuTotal = 0;
            double psCpuTotal = 0;
            List<Double> moWer = new ArrayList<>();
            List<Double> psWer = new ArrayList<>();
            for (Path raw : raws) {
                String name = raw.getFileName().toString().replace(".raw", "");
                float[] samples = samples(raw);
                double seconds = samples.length / 16000.0;
                String said = Files.readString(clips.resolve(name + ".txt"), StandardCharsets.UTF_8);
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                String heard = String.join(" ", engine.transcribe(samples).stream().map(MoonshineEngine.Segment::text)
                        .toList());
                double wall = (System.nanoTime() - wall0) / 1e9;
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                double wer = wer(said, heard);
                String[] ps = Files.readString(clips.resolve(name + ".ps.time")).strip().split("\\s+");
                double psWall = Double.parseDouble(ps[0]);
                double psCpu = Double.parseDouble(ps[1]) + Double.parseDouble(ps[2]);
                double psWerValue = wer(said, Files.readString(clips.resolve(name + ".ps.txt")));
                System.out.printf(Locale.ROOT, "%-14s %7.1f | %8.2f %8.2f %7.3f %6.3f | %8.2f %8.2f %7.3f %6.3f %6d MB%n",
                        name, seconds, wall, cpu, cpu / seconds, wer, psWall, psCpu, psCpu / seconds, psWerValue,
                        Long.parseLong(ps[3]) / 1024);
                audioTotal += seconds;
                moCpuTotal += cpu;
                psCpuTotal += psCpu;
                moWer.add(wer);
                psWer.add(psWerValue);
            }
            System.out.printf(Locale.ROOT, "%-14s %7.1f | %17.2f %7.3f %6.3f | %17.2f %7.3f %6.3f%n", "every clip",
                    audioTotal, moCpuTotal, moCpuTotal / audioTotal, mean(moWer), psCpuTotal, psCpuTotal / audioTotal,
                    mean(psWer));
        }
        String status = Files.readString(Path.of("/proc/self/status"));
        String peak = status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
        System.out.println("Moonshine JVM peak resident memory: " + peak.replaceAll("\\s+", " ").substring(7));
    }

    static float[] samples(Path raw) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.getShort() / 32768f;
        }
        return out;
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    static double wer(String reference, String hypothesis) {
        return routes.stt.WordErrorRate.of(reference, hypothesis);
    }
}
