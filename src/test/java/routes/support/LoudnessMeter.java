package routes.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import routes.assets.ObjectKeys;
import routes.assets.Rendition;
import routes.jobs.StepInput;
import routes.jobs.StepResult;
import routes.jobs.StoredFile;

/**
 * A worker an operator adds to the pipeline: the mean and peak volume of a file's sound (ffmpeg's volumedetect), as
 * JSON beside the asset. It knows the StepInput/StepResult contract and nothing else of Caravan.
 */
public class LoudnessMeter {

    private static final Pattern MEAN = Pattern.compile("mean_volume: (-?[0-9.]+) dB");
    private static final Pattern MAX = Pattern.compile("max_volume: (-?[0-9.]+) dB");

    public StepResult measure(StepInput input) throws IOException, InterruptedException {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-i", input.file().toString(),
                "-af", "volumedetect", "-f", "null", "-").redirectErrorStream(true).start();
        String log = new String(ffmpeg.getInputStream().readAllBytes());
        if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            throw new IOException("ffmpeg volumedetect failed: " + log);
        }
        Path json = Files.writeString(input.workDir().resolve("loudness.json"), String.format(Locale.ROOT,
                "{\"meanVolumeDb\":%s,\"maxVolumeDb\":%s}", find(MEAN, log), find(MAX, log)));
        String key = ObjectKeys.derived(input.asset().id()) + "loudness.json";
        return StepResult.renditions(List.of(new StoredFile(json, key, "application/json")),
                List.of(Rendition.of("loudness", key, "application/json")));
    }

    private static String find(Pattern pattern, String log) throws IOException {
        Matcher matcher = pattern.matcher(log);
        if (!matcher.find()) {
            throw new IOException("no " + pattern + " in " + log);
        }
        return matcher.group(1);
    }
}
