package routes.stt.bench;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import routes.stt.MoonshineSpeech;
import routes.stt.SttServer;
import routes.stt.WordErrorRate;

/**
 * bench/stt-pipeline.sh's server half: the embedded server on its default engine (Moonshine, one thread) alone in
 * this JVM, sent one long file over HTTP as a client sends it (a multipart form, verbose JSON with word times); prints
 * the wall and CPU seconds, the real-time factor, the words and the word error rate against the text, and this
 * process's resident memory: before, its peak while it worked (VmRSS sampled every 200 ms, and VmHWM). Args: the
 * models folder, the audio file, the text said.
 */
public final class SttServerBench {

    private SttServerBench() {
    }

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]);
        Path audio = Path.of(args[1]);
        String said = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8);
        Path work = Files.createTempDirectory("stt-server-bench");
        try (MoonshineSpeech engine = MoonshineSpeech.open(models, 1)) {
            SttServer server = new SttServer("127.0.0.1", 0, work, 1, Duration.ofHours(2), engine,
                    Duration.ofHours(4));
            server.start();
            long before = rssKb("VmRSS");
            AtomicLong peak = new AtomicLong(before);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rssKb("VmRSS"), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            String boundary = "bench" + System.nanoTime();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\n"
                    + "verbose_json\r\n--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"timestamp_granularities[]\"\r\n\r\nword\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"long.wav\"\r\n"
                    + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            HttpRequest request = HttpRequest.newBuilder(server.endpoint().resolve(SttServer.TRANSCRIPTIONS_PATH))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(audio), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build();
            long cpu0 = cpuNanos();
            long wall0 = System.nanoTime();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            sampler.interrupt();
            server.stop();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the server answered " + response.statusCode() + ": "
                        + response.body());
            }
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(response.body());
            double seconds = json.path("duration").asDouble();
            System.out.printf(Locale.ROOT, "audio %.0f s: wall %.1f s, CPU %.1f s, real-time factor %.3f (CPU), %.3f (wall);"
                    + " %d words, WER %.3f%n", seconds, wall, cpu, cpu / seconds, wall / seconds,
                    json.path("words").size(), WordErrorRate.of(said, json.path("text").asText()));
            System.out.printf(Locale.ROOT, "resident memory: %d MB before, peak %d MB while it worked (VmHWM %d MB)%n",
                    before / 1024, peak.get() / 1024, rssKb("VmHWM") / 1024);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long rssKb(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field + ":"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
