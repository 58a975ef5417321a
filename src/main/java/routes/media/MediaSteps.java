package routes.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.assets.AssetMetadata;
import routes.assets.ObjectKeys;
import routes.assets.Rendition;
import routes.jobs.NothingToDo;
import routes.jobs.StepInput;
import routes.jobs.StepResult;
import routes.jobs.StoredFile;

/**
 * The video and audio workers of the pipeline: each takes a local copy of the asset's original and returns what it
 * made (files and their renditions) or found (metadata). Each probes its own copy, so none waits for another; a file
 * with no stream for a step ends it with {@link NothingToDo}, broken media with a {@link MediaProblem}. Output keys
 * derive from the asset, so a step run twice writes the same objects.
 */
public class MediaSteps {

    private static final Logger LOG = LoggerFactory.getLogger(MediaSteps.class);
    private static final String MP4 = "video/mp4";
    private static final String JPEG = "image/jpeg";
    private static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";

    private final FfmpegSafety safety;
    private final MediaProber prober;
    private final Transcoder transcoder;
    private final Thumbnailer thumbnailer;
    private final AudioExtractor audio;
    private final Ladder ladder;
    private final int thumbnails;
    private final boolean hls;

    public MediaSteps(FfmpegSafety safety, Ladder ladder, int thumbnails, boolean hls) {
        this.safety = safety;
        this.prober = new MediaProber(safety);
        this.transcoder = new Transcoder(safety);
        this.thumbnailer = new Thumbnailer(safety);
        this.audio = new AudioExtractor(safety);
        this.ladder = ladder;
        this.thumbnails = thumbnails;
        this.hls = hls;
    }

    /** What the file holds, for the asset's metadata. */
    public StepResult probe(StepInput input) {
        return StepResult.found(metadata(prober.probe(input.file())));
    }

    /**
     * The ladder, in one ffmpeg run, into {@code derived/{id}/video/}; with {@code caravan.media.hls}, also packaged
     * as HLS (no re-encoding) into {@code derived/{id}/hls/}.
     */
    public StepResult transcode(StepInput input) {
        MediaInfo info = videoIn(input.file());
        String id = input.asset().id();
        long started = System.nanoTime();
        List<RenditionOutput> made = transcoder.ladder(input.file(), info, LadderPlanner.plan(info, ladder),
                input.workDir(), input.progress()::accept);
        LOG.info("ladder of {} renditions made in {} ms", made.size(), (System.nanoTime() - started) / 1_000_000);
        List<StoredFile> files = new ArrayList<>();
        List<Rendition> renditions = new ArrayList<>();
        for (RenditionOutput output : made) {
            String key = ObjectKeys.video(id, output.name());
            files.add(new StoredFile(output.path(), key, MP4));
            renditions.add(Rendition.of(output.name(), key, MP4).sized(output.width(), output.height()));
        }
        if (hls) {
            HlsOutput packaged = transcoder.hls(made, input.workDir().resolve("hls"));
            for (Path file : packaged.files()) {
                String name = file.getFileName().toString();
                files.add(new StoredFile(file, ObjectKeys.hls(id, name),
                        name.endsWith(".m3u8") ? HLS_PLAYLIST : "video/mp2t"));
            }
            renditions.add(Rendition.of("hls", ObjectKeys.hls(id, packaged.master().getFileName().toString()),
                    HLS_PLAYLIST).withVariants(packaged.playlists().size()));
        }
        return StepResult.renditions(files, renditions);
    }

    /** A poster, a strip of thumbnails and a low-resolution preview, from one decode. */
    public StepResult thumbnails(StepInput input) {
        MediaInfo info = videoIn(input.file());
        String id = input.asset().id();
        Thumbnailer.Stills stills = thumbnailer.all(input.file(), info, thumbnails, input.workDir().resolve("thumbs"));
        List<StoredFile> files = new ArrayList<>();
        List<Rendition> renditions = new ArrayList<>();
        Thumbnail poster = stills.poster();
        files.add(new StoredFile(poster.path(), ObjectKeys.thumbnail(id, "poster.jpg"), JPEG));
        renditions.add(Rendition.of("poster", ObjectKeys.thumbnail(id, "poster.jpg"), JPEG)
                .sized(poster.width(), poster.height()));
        for (Thumbnail thumb : stills.strip()) {
            String key = ObjectKeys.thumbnail(id, thumb.path().getFileName().toString());
            files.add(new StoredFile(thumb.path(), key, JPEG));
            renditions.add(Rendition.of("thumbnail", key, JPEG).sized(thumb.width(), thumb.height())
                    .at(thumb.seconds()));
        }
        RenditionOutput preview = stills.preview();
        files.add(new StoredFile(preview.path(), ObjectKeys.thumbnail(id, "preview.mp4"), MP4));
        renditions.add(Rendition.of("preview", ObjectKeys.thumbnail(id, "preview.mp4"), MP4)
                .sized(preview.width(), preview.height()));
        return StepResult.renditions(files, renditions);
    }

    /** 16 kHz mono speech audio for the transcript ({@code speech-audio}); nothing to do without sound. */
    public StepResult audio(StepInput input) {
        MediaInfo info = prober.probe(input.file());
        if (info.audio() == null) {
            throw new NothingToDo("the media has no audio stream");
        }
        Path wav = audio.forSpeech(input.file(), info, input.workDir().resolve("speech.wav"));
        String key = ObjectKeys.speech(input.asset().id());
        return StepResult.renditions(List.of(new StoredFile(wav, key, "audio/wav")),
                List.of(Rendition.of("speech-audio", key, "audio/wav")));
    }

    /**
     * The cover art an audio file carries (an ID3 APIC frame, a FLAC picture block, an MP4 {@code covr} atom) as the
     * {@code cover} rendition, its bytes as they are in the file (JPEG and PNG; any other picture becomes a JPEG);
     * nothing to do when it has none.
     */
    public StepResult cover(StepInput input) {
        MediaProber.Cover cover = MediaProber.cover(safety.ffprobe(input.file()));
        if (cover == null) {
            throw new NothingToDo("the file has no cover art");
        }
        boolean png = "png".equals(cover.codec());
        boolean copy = png || "mjpeg".equals(cover.codec());
        String name = png ? "cover.png" : "cover.jpg";
        Path out = input.workDir().resolve(name);
        Thumbnailer.createParent(out);
        com.github.kokorin.jaffree.ffmpeg.UrlOutput output = safety.output(out)
                .addMap(0, Integer.toString(cover.index()))
                .addArguments("-frames:v", "1")
                .addArguments("-update", "1")
                .setFormat("image2");
        if (copy) {
            output.setCodec(com.github.kokorin.jaffree.StreamType.VIDEO, "copy");
        } else {
            output.setCodec(com.github.kokorin.jaffree.StreamType.VIDEO, "mjpeg").addArguments("-q:v", "3");
        }
        safety.run(safety.ffmpeg().addInput(safety.input(input.file(), null)).addOutput(output), "cover",
                List.of(out));
        Transcoder.requireOutputs(List.of(out), "cover");
        String key = ObjectKeys.cover(input.asset().id(), name);
        String type = png ? "image/png" : JPEG;
        return StepResult.renditions(List.of(new StoredFile(out, key, type)),
                List.of(Rendition.of("cover", key, type).sized(cover.width(), cover.height())));
    }

    /** The probe of a file a video step works on; nothing to do when it has no video stream. */
    private MediaInfo videoIn(Path file) {
        MediaInfo info = prober.probe(file);
        if (!info.hasVideo()) {
            throw new NothingToDo("the media has no video stream");
        }
        return info;
    }

    static AssetMetadata metadata(MediaInfo info) {
        AssetMetadata.VideoStream video = null;
        if (info.video() != null) {
            MediaInfo.VideoStream v = info.video();
            video = new AssetMetadata.VideoStream(String.valueOf(v.codec()), v.width(), v.height(), v.displayWidth(),
                    v.displayHeight(), v.rotation(), v.frameRate());
        }
        AssetMetadata.AudioStream sound = null;
        if (info.audio() != null) {
            MediaInfo.AudioStream a = info.audio();
            sound = new AssetMetadata.AudioStream(String.valueOf(a.codec()), a.sampleRate(), a.channels());
        }
        return AssetMetadata.media(info.format(), info.durationSeconds(), info.sizeBytes(), info.bitRate(), video,
                sound, info.tags());
    }
}
