package routes.media;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.assets.ObjectKeys;
import routes.assets.Rendition;
import routes.jobs.StepInput;
import routes.jobs.StepResult;
import routes.jobs.StoredFile;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A paper edit's rough cut, in one ffmpeg run: every cut trimmed on decoded frames (frame accurate, no keyframe
 * snapping), its audio faded in and out over {@value #FADE_SECONDS} s so a cut never clicks, and all of them joined
 * (the concat filter) into an MP4 (H.264 and AAC, at the first cut's picture size and frame rate, others scaled and
 * padded to it) or a WAV or MP3 (48 kHz stereo). Titles, voice-over and notes are skipped (no slates). The cuts come
 * as the step's operation ({@code format}, {@code cuts}: each {@code key} of an original, {@code start} and
 * {@code end} in seconds); the step's own file is the first cut's original, the others are fetched here.
 */
public class RoughCutRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(RoughCutRenderer.class);

    static final double FADE_SECONDS = 0.01;

    private final FfmpegSafety safety;
    private final MediaProber prober;
    private final S3Client s3;
    private final String bucket;

    public RoughCutRenderer(FfmpegSafety safety, S3Client s3, String bucket) {
        this.safety = safety;
        this.prober = new MediaProber(safety);
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** One cut: which original, from when to when. */
    record Cut(String key, double start, double end) {
        double length() {
            return end - start;
        }
    }

    @SuppressWarnings("unchecked")
    public StepResult render(StepInput input) throws IOException {
        Map<String, Object> operation = input.options();
        String format = String.valueOf(operation.get("format")).toLowerCase(Locale.ROOT);
        List<Cut> cuts = new ArrayList<>();
        for (Map<String, Object> cut : (List<Map<String, Object>>) operation.get("cuts")) {
            cuts.add(new Cut((String) cut.get("key"), ((Number) cut.get("start")).doubleValue(),
                    ((Number) cut.get("end")).doubleValue()));
        }
        if (cuts.isEmpty()) {
            throw new MediaProblem(MediaProblem.Reason.UNSUPPORTED_MEDIA, "the paper edit has no cut to render");
        }
        Map<String, Integer> inputs = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        List<MediaInfo> infos = new ArrayList<>();
        for (Cut cut : cuts) {
            if (inputs.containsKey(cut.key())) {
                continue;
            }
            Path file = inputs.isEmpty() ? input.file() : fetch(cut.key(), input.workDir(), inputs.size());
            inputs.put(cut.key(), inputs.size());
            files.add(file);
            infos.add(prober.probe(file));
        }
        boolean video = format.equals("mp4");
        MediaInfo.VideoStream picture = infos.get(0).video();
        if (video && infos.stream().anyMatch(i -> i.video() == null)) {
            throw new MediaProblem(MediaProblem.Reason.NO_VIDEO_STREAM, "a video rough cut needs video in every"
                    + " cut's source; render it as wav or mp3");
        }
        int width = video ? even(picture.displayWidth()) : 0;
        int height = video ? even(picture.displayHeight()) : 0;
        double rate = video && picture.frameRate() > 0 ? picture.frameRate() : 25;

        FFmpeg ffmpeg = safety.ffmpeg();
        for (int i = 0; i < files.size(); i++) {
            ffmpeg.addInput(safety.input(files.get(i), infos.get(i)));
        }
        StringBuilder graph = new StringBuilder();
        StringBuilder joined = new StringBuilder();
        double total = 0;
        for (int c = 0; c < cuts.size(); c++) {
            Cut cut = cuts.get(c);
            int in = inputs.get(cut.key());
            MediaInfo info = infos.get(in);
            String start = seconds(cut.start());
            String end = seconds(cut.end());
            if (video) {
                // fps before trim: after it, a cut taken from earlier in a source than the one before it kept
                // its frames coming up to where the decoder had got (ffmpeg 5), making the video too long
                graph.append(String.format(Locale.ROOT, "[%d:%d]fps=%s,trim=start=%s:end=%s,setpts=PTS-STARTPTS,"
                        + "scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1,"
                        + "format=yuv420p[v%d];", in, info.video().index(), seconds(rate), start, end, width, height,
                        width, height, c));
                joined.append("[v").append(c).append(']');
            }
            String fadeOut = seconds(Math.max(0, cut.length() - FADE_SECONDS));
            if (info.audio() != null) {
                graph.append(String.format(Locale.ROOT, "[%d:%d]atrim=start=%s:end=%s,asetpts=PTS-STARTPTS,"
                        + "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,", in, info.audio().index(),
                        start, end));
            } else {
                graph.append(String.format(Locale.ROOT, "anullsrc=r=48000:cl=stereo,atrim=duration=%s,"
                        + "aformat=sample_fmts=fltp:channel_layouts=stereo,", seconds(cut.length())));
            }
            graph.append(String.format(Locale.ROOT, "afade=t=in:d=%s,afade=t=out:st=%s:d=%s[a%d];",
                    seconds(FADE_SECONDS), fadeOut, seconds(FADE_SECONDS), c));
            joined.append("[a").append(c).append(']');
            total += cut.length();
        }
        graph.append(joined).append(String.format(Locale.ROOT, "concat=n=%d:v=%d:a=1", cuts.size(), video ? 1 : 0))
                .append(video ? "[v][a]" : "[a]");
        ffmpeg.setComplexFilter(graph.toString());

        Path out = input.workDir().resolve("rough-cut." + format);
        UrlOutput output = safety.output(out);
        String contentType;
        switch (format) {
            case "mp4" -> {
                output.addMap("v").addMap("a").setCodec("v", "libx264").addArguments("-preset", "veryfast")
                        .addArguments("-crf", "20").setCodec("a", "aac").addArguments("-b:a", "160k")
                        .addArguments("-movflags", "+faststart").setFormat("mp4");
                contentType = "video/mp4";
            }
            case "wav" -> {
                output.addMap("a").setCodec("a", "pcm_s16le").setFormat("wav");
                contentType = "audio/wav";
            }
            case "mp3" -> {
                output.addMap("a").setCodec("a", "libmp3lame").addArguments("-q:a", "2").setFormat("mp3");
                contentType = "audio/mpeg";
            }
            default -> throw new MediaProblem(MediaProblem.Reason.UNSUPPORTED_MEDIA, "format must be mp4, wav or mp3");
        }
        ffmpeg.addOutput(output);
        ProgressBridge progress = new ProgressBridge(input.progress()::accept, total);
        ffmpeg.setProgressListener(progress);
        long started = System.nanoTime();
        safety.run(ffmpeg, "rough-cut", List.of(out));
        progress.done();
        LOG.info("rough cut of {} cuts ({} s) rendered as {} in {} ms", cuts.size(), seconds(total), format,
                (System.nanoTime() - started) / 1_000_000);
        String key = ObjectKeys.jobOutput(input.asset().id(), input.job().id(), input.step(), format);
        Rendition made = Rendition.of("rough-cut", key, contentType);
        if (video) {
            made = made.sized(width, height);
        }
        return StepResult.jobOutputs(List.of(new StoredFile(out, key, contentType)), List.of(made));
    }

    private Path fetch(String key, Path workDir, int n) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("sources"));
        Path file = dir.resolve("source-" + n + extension(key));
        s3.getObject(r -> r.bucket(bucket).key(key), ResponseTransformer.toFile(file));
        return file;
    }

    private static String extension(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).replaceAll("[^A-Za-z0-9.]", "");
    }

    private static int even(int n) {
        return Math.max(2, n - n % 2);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}
