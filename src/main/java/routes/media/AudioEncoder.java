package routes.media;

import java.nio.file.Path;
import java.util.List;

/**
 * The audio of a media file as a download: MP3 (LAME, VBR about 190 kb/s) or AAC in an M4A (192 kb/s, its index at
 * the front), the file's tags and cover art kept.
 */
public class AudioEncoder {

    private final FfmpegSafety safety;
    private final MediaProber prober;

    public AudioEncoder(FfmpegSafety safety) {
        this.safety = safety;
        this.prober = new MediaProber(safety);
    }

    /**
     * Writes {@code source}'s first audio stream to {@code out} as {@code format} (mp3 or aac).
     *
     * @throws MediaProblem when the file is not media Caravan reads or has no audio
     */
    public Path encode(Path source, String format, Path out) {
        MediaInfo info = prober.probe(source);
        if (info.audio() == null) {
            throw new MediaProblem(MediaProblem.Reason.NO_AUDIO_STREAM, "the media has no audio stream");
        }
        Thumbnailer.createParent(out);
        com.github.kokorin.jaffree.ffmpeg.UrlOutput output = safety.output(out)
                .addMap(0, Integer.toString(info.audio().index()))
                .addArguments("-map_metadata", "0");
        switch (format) {
            case "mp3" -> output.setCodec("a", "libmp3lame").addArguments("-q:a", "2")
                    .addArguments("-id3v2_version", "3").setFormat("mp3");
            case "aac" -> output.setCodec("a", "aac").addArguments("-b:a", "192k")
                    .addArguments("-movflags", "+faststart").setFormat("ipod");
            default -> throw new IllegalArgumentException("format must be mp3 or aac, not " + format);
        }
        safety.run(safety.ffmpeg().addInput(safety.input(source, info)).addOutput(output), "download", List.of(out));
        Transcoder.requireOutputs(List.of(out), "download");
        return out;
    }
}
