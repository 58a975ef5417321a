package routes.media;

import com.github.kokorin.jaffree.Rational;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Format;
import com.github.kokorin.jaffree.ffprobe.SideData;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.github.kokorin.jaffree.ffprobe.StreamDisposition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step "probe": what a downloaded file is, and whether Caravan accepts it.
 *
 * <p>{@link #probe} checks, in order: the file is not empty ({@code corrupt-media}) nor larger than
 * {@link MediaLimits#maxBytes()} ({@code too-large}); it is not a text playlist or file list
 * ({@code unsupported-media}); ffprobe, under the {@link FfmpegSafety} rules, reads it as an accepted container
 * ({@code unsupported-media} for anything else, {@code corrupt-media} for a known container that does not read,
 * or an MP4 whose boxes run past the end of the file); it has an audio or video stream
 * ({@code unsupported-media}); and it fits the duration and picture limits ({@code too-long}, {@code too-large}).
 */
public class MediaProber {

    private final FfmpegSafety safety;

    public MediaProber(FfmpegSafety safety) {
        this.safety = safety;
    }

    /** Probes and enforces the limits. */
    public MediaInfo probe(Path file) {
        MediaInfo info = describe(file);
        checkLimits(info);
        return info;
    }

    /**
     * Probes with every check of {@link #probe} except the duration and picture limits (the byte limit still
     * applies): for reading Caravan's own outputs, or when the caller applies {@link #checkLimits} itself.
     */
    public MediaInfo describe(Path file) {
        long size = size(file);
        if (size == 0) {
            throw MediaProblem.corrupt("the file is empty");
        }
        if (size > safety.limits().maxBytes()) {
            throw new MediaProblem(MediaProblem.Reason.TOO_LARGE,
                    "the file has " + size + " bytes, more than the limit of " + safety.limits().maxBytes());
        }
        FfmpegSafety.Signature signature = FfmpegSafety.sniff(file);
        if (signature == FfmpegSafety.Signature.PLAYLIST) {
            throw MediaProblem.unsupported("a playlist or file list, not media: refused whatever its name");
        }
        FFprobeResult result = safety.ffprobe(file);
        Format format = result.getFormat();
        if (format == null) {
            throw MediaProblem.unsupported("ffprobe found no container");
        }
        String formatName = format.getFormatName();
        FfmpegSafety.refuseFormat(formatName);
        if (formatName.startsWith("mov") && IsoBoxes.truncated(file)) {
            throw MediaProblem.corrupt("the file is truncated: its boxes run past the end of the file");
        }
        MediaInfo info = new MediaInfo(
                formatName,
                positive(format.getProbeData().getDouble("duration")),
                size,
                format.getBitRate() == null ? 0 : format.getBitRate(),
                video(result.getStreams()),
                audio(result.getStreams()),
                withTimecode(tags(format.getProbeData().getValue("tags")), result.getStreams()));
        if (info.kind() == MediaInfo.Kind.OTHER) {
            throw MediaProblem.unsupported("the file has neither a video nor an audio stream");
        }
        return info;
    }

    /** Duration, file size and picture size against {@link MediaLimits}. */
    public void checkLimits(MediaInfo info) {
        MediaLimits limits = safety.limits();
        if (info.sizeBytes() > limits.maxBytes()) {
            throw new MediaProblem(MediaProblem.Reason.TOO_LARGE,
                    "the file has " + info.sizeBytes() + " bytes, more than the limit of " + limits.maxBytes());
        }
        if (info.durationSeconds() > limits.maxDuration().toMillis() / 1000.0) {
            throw new MediaProblem(MediaProblem.Reason.TOO_LONG, String.format(java.util.Locale.ROOT,
                    "the media lasts %.1f s, more than the limit of %d s", info.durationSeconds(),
                    limits.maxDuration().toSeconds()));
        }
        MediaInfo.VideoStream video = info.video();
        if (video != null) {
            int longSide = Math.max(video.displayWidth(), video.displayHeight());
            int shortSide = Math.min(video.displayWidth(), video.displayHeight());
            int maxLong = Math.max(limits.maxWidth(), limits.maxHeight());
            int maxShort = Math.min(limits.maxWidth(), limits.maxHeight());
            if (longSide > maxLong || shortSide > maxShort) {
                throw new MediaProblem(MediaProblem.Reason.TOO_LARGE, "the picture is " + video.displayWidth() + "x"
                        + video.displayHeight() + ", larger than the limit of " + limits.maxWidth() + "x"
                        + limits.maxHeight());
            }
        }
    }

    private static MediaInfo.VideoStream video(List<Stream> streams) {
        for (Stream stream : streams) {
            if (stream.getCodecType() != StreamType.VIDEO || attachedPicture(stream)) {
                continue;
            }
            String codec = stream.getCodecName();
            Integer width = stream.getWidth();
            Integer height = stream.getHeight();
            if (codec == null || codec.isBlank() || width == null || height == null || width <= 0 || height <= 0) {
                throw MediaProblem.unsupported("the video stream uses a codec Caravan cannot read");
            }
            double sar = ratio(stream.getSampleAspectRatio());
            int rotation = rotation(stream);
            int squareWidth = (int) Math.round(width * sar);
            boolean quarterTurn = rotation % 180 != 0;
            return new MediaInfo.VideoStream(
                    stream.getIndex(),
                    codec,
                    stream.getProfile(),
                    stream.getLevel() == null ? 0 : stream.getLevel(),
                    width,
                    height,
                    sar,
                    quarterTurn ? height : squareWidth,
                    quarterTurn ? squareWidth : height,
                    rotation,
                    frameRate(stream),
                    stream.getPixFmt());
        }
        return null;
    }

    private static MediaInfo.AudioStream audio(List<Stream> streams) {
        for (Stream stream : streams) {
            if (stream.getCodecType() != StreamType.AUDIO) {
                continue;
            }
            String codec = stream.getCodecName();
            if (codec == null || codec.isBlank()) {
                throw MediaProblem.unsupported("the audio stream uses a codec Caravan cannot read");
            }
            return new MediaInfo.AudioStream(
                    stream.getIndex(),
                    codec,
                    stream.getSampleRate() == null ? 0 : stream.getSampleRate(),
                    stream.getChannels() == null ? 0 : stream.getChannels());
        }
        return null;
    }

    private static boolean attachedPicture(Stream stream) {
        StreamDisposition disposition = stream.getDisposition();
        return disposition != null && Boolean.TRUE.equals(disposition.getAttachedPic());
    }

    /**
     * Clockwise degrees, from the display matrix side data (ffprobe prints its counter-clockwise angle) or else
     * the legacy {@code rotate} tag (already clockwise), rounded to a quarter turn.
     */
    static int rotation(Stream stream) {
        List<SideData> sideData = stream.getSideDataList();
        if (sideData != null) {
            for (SideData data : sideData) {
                Integer counterClockwise = data.getRotation();
                if (counterClockwise != null) {
                    return quarterTurns(-counterClockwise);
                }
                Double value = data.getDouble("rotation");
                if (value != null) {
                    return quarterTurns(-value);
                }
            }
        }
        String tag = stream.getTag("rotate");
        if (tag != null) {
            try {
                return quarterTurns(Double.parseDouble(tag.strip()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static int quarterTurns(double degrees) {
        long turns = Math.round(degrees / 90.0);
        return (int) Math.floorMod(turns * 90, 360L);
    }

    private static double frameRate(Stream stream) {
        double average = ratio(stream.getAvgFrameRate(), 0);
        if (average > 0 && average < 1000) {
            return average;
        }
        double real = ratio(stream.getRFrameRate(), 0);
        return real > 0 && real < 1000 ? real : 0;
    }

    private static double ratio(Rational rational) {
        double value = ratio(rational, 1);
        return value > 0 ? value : 1;
    }

    private static double ratio(Rational rational, double fallback) {
        if (rational == null || rational.getDenominator() == 0 || rational.getNumerator() == 0) {
            return fallback;
        }
        return rational.doubleValue();
    }

    private static double positive(Double value) {
        return value == null || value.isNaN() || value < 0 ? 0 : value;
    }

    /**
     * The container's tags, with the media's start timecode as {@code timecode} when only a stream carries it (a MOV
     * keeps it in its timecode track and its video stream, an MXF in the container).
     */
    private static Map<String, String> withTimecode(Map<String, String> tags, List<Stream> streams) {
        tags = withAudioTags(tags, streams);
        if (tags.containsKey("timecode") || streams == null) {
            return tags;
        }
        for (Stream stream : streams) {
            String timecode = stream.getTag("timecode");
            if (timecode != null && !timecode.isBlank()) {
                Map<String, String> with = new LinkedHashMap<>(tags);
                with.put("timecode", timecode.strip());
                return with;
            }
        }
        return tags;
    }

    /**
     * The container's tags, and those of its first audio stream that it lacks: an Ogg file (Vorbis, Opus) keeps its
     * comments (title, artist...) on the stream, not the container.
     */
    private static Map<String, String> withAudioTags(Map<String, String> tags, List<Stream> streams) {
        if (streams == null) {
            return tags;
        }
        for (Stream stream : streams) {
            if (stream.getCodecType() == StreamType.AUDIO) {
                Map<String, String> own = tags(stream.getProbeData().getValue("tags"));
                if (own.isEmpty()) {
                    return tags;
                }
                Map<String, String> with = new LinkedHashMap<>(tags);
                java.util.Set<String> seen = new java.util.HashSet<>();
                tags.keySet().forEach(k -> seen.add(k.toLowerCase(java.util.Locale.ROOT)));
                own.forEach((k, v) -> {
                    if (seen.add(k.toLowerCase(java.util.Locale.ROOT))) {
                        with.put(k, v);
                    }
                });
                return with;
            }
        }
        return tags;
    }

    /** The first attached picture (cover art) of a file: its stream index and codec, or null. */
    public static Cover cover(FFprobeResult result) {
        for (Stream stream : result.getStreams() == null ? List.<Stream>of() : result.getStreams()) {
            if (stream.getCodecType() == StreamType.VIDEO && attachedPicture(stream)) {
                return new Cover(stream.getIndex(), stream.getCodecName(),
                        stream.getWidth() == null ? 0 : stream.getWidth(),
                        stream.getHeight() == null ? 0 : stream.getHeight());
            }
        }
        return null;
    }

    /** An attached picture: the stream to map and its codec (mjpeg, png...). */
    public record Cover(int index, String codec, int width, int height) {
    }

    private static Map<String, String> tags(Object value) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    tags.put(k.toString(), v.toString());
                }
            });
        }
        return tags;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getFileName(), e);
        }
    }
}
