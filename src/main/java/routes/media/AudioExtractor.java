package routes.media;

import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import java.nio.file.Path;
import java.util.List;

/**
 * Step "audio": the audio of a video or audio file as speech-to-text engines want it, 16 kHz mono 16-bit PCM WAV.
 */
public class AudioExtractor {

    /** Sample rate of the speech WAV. */
    public static final int SPEECH_SAMPLE_RATE = 16_000;

    private final FfmpegSafety safety;

    public AudioExtractor(FfmpegSafety safety) {
        this.safety = safety;
    }

    /**
     * Writes the first audio stream, downmixed to mono and resampled to 16 kHz, as {@code pcm_s16le} in a plain
     * WAV (no metadata chunks).
     *
     * @return {@code outWav}
     * @throws MediaProblem {@code no-audio-stream} when the media has no audio
     */
    public Path forSpeech(Path source, MediaInfo info, Path outWav) {
        if (info.audio() == null) {
            throw new MediaProblem(MediaProblem.Reason.NO_AUDIO_STREAM, "the media has no audio stream");
        }
        Thumbnailer.createParent(outWav);
        FFmpeg ffmpeg = safety.ffmpeg()
                .addInput(safety.input(source, info))
                .addOutput(safety.output(outWav)
                        .addMap(0, Integer.toString(info.audio().index()))
                        .setCodec(StreamType.AUDIO, "pcm_s16le")
                        .addArguments("-ac", "1")
                        .addArguments("-ar", Integer.toString(SPEECH_SAMPLE_RATE))
                        .addArguments("-map_metadata", "-1")
                        .addArguments("-fflags", "+bitexact")
                        .addArguments("-flags:a", "+bitexact")
                        .setFormat("wav"));
        safety.run(ffmpeg, "audio", List.of(outWav));
        Transcoder.requireOutputs(List.of(outWav), "audio");
        return outWav;
    }
}
