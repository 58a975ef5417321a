package routes.projects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetMetadata;
import routes.assets.AssetService;
import routes.problems.Refusal;
import routes.projects.PaperEdit.Type;
import routes.stt.Transcript;
import routes.stt.TranscriptFormats;

/**
 * What a project's transcripts and paper edits are exported as, for editing software and for people.
 * <ul>
 *   <li>A paper edit: {@code edl} (CMX3600: one event per paper cut, reel names from the media's file names, the
 *       source's own timecode (its {@code timecode} tag, else 00:00:00:00) and frame rate, drop-frame at 29.97 and
 *       59.94, the record side from 01:00:00:00 at the first cut's rate; titles, voice-over and notes become comments,
 *       not events), {@code fcpxml} and {@code xmeml} ({@link TimelineXml}), {@code txt} (the script as a person
 *       reads it), {@code docx} ({@link Docx}) and {@code json}.</li>
 *   <li>A transcript (any revision): {@code srt}, {@code vtt}, {@code txt} (paragraphs with their timecode and
 *       speaker's name), {@code docx} and {@code dpe} (the JSON of BBC's digital paper edit: words with id, start,
 *       end and text, paragraphs with id, start, end and speaker).</li>
 * </ul>
 */
public class Exports {

    /** What an export is: its bytes and how to send them. */
    public record Export(String contentType, String filename, byte[] body) {
    }

    private final PaperEdits edits;
    private final ProjectTranscripts transcripts;
    private final AssetService assets;
    private final ObjectMapper json;

    public Exports(PaperEdits edits, ProjectTranscripts transcripts, AssetService assets, ObjectMapper json) {
        this.edits = edits;
        this.transcripts = transcripts;
        this.assets = assets;
        this.json = json;
    }

    public Export paperEdit(String projectId, String id, String format, Caller caller) {
        PaperEdits.PaperEditView edit = edits.get(projectId, id, caller);
        String base = fileName(edit.title());
        return switch (format == null ? "" : format.toLowerCase(Locale.ROOT)) {
            case "edl" -> new Export("text/plain; charset=us-ascii", base + ".edl",
                    edl(projectId, edit).getBytes(StandardCharsets.US_ASCII));
            case "txt" -> new Export("text/plain; charset=utf-8", base + ".txt",
                    script(edit).getBytes(StandardCharsets.UTF_8));
            case "fcpxml" -> new Export("application/xml", base + ".fcpxml",
                    TimelineXml.fcpxml(programme(projectId, edit)).getBytes(StandardCharsets.UTF_8));
            case "xmeml" -> new Export("application/xml", base + ".xml",
                    TimelineXml.xmeml(programme(projectId, edit)).getBytes(StandardCharsets.UTF_8));
            case "docx" -> new Export("application/vnd.openxmlformats-officedocument.wordprocessingml.document", base + ".docx", Docx.script(edit));
            case "adl" -> new Export("text/plain; charset=us-ascii", base + ".adl",
                    adl(projectId, edit).getBytes(StandardCharsets.US_ASCII));
            case "json" -> new Export("application/json", base + ".json", bytes(edit));
            default -> throw Refusal.invalid("bad-format", "format must be edl, fcpxml, xmeml, adl, docx, txt or json");
        };
    }

    public Export transcript(String projectId, String id, String format, Integer revision, Caller caller) {
        ProjectTranscripts.TranscriptDocument doc = transcripts.get(projectId, id, revision, caller);
        Transcript words = new Transcript(doc.language(), doc.duration(), doc.text(), doc.words(), doc.paragraphs());
        String base = fileName(doc.title());
        return switch (format == null ? "" : format.toLowerCase(Locale.ROOT)) {
            case "srt" -> new Export("application/x-subrip; charset=utf-8", base + ".srt",
                    TranscriptFormats.srt(words).getBytes(StandardCharsets.UTF_8));
            case "vtt" -> new Export("text/vtt; charset=utf-8", base + ".vtt",
                    TranscriptFormats.vtt(words).getBytes(StandardCharsets.UTF_8));
            case "txt" -> new Export("text/plain; charset=utf-8", base + ".txt",
                    text(doc).getBytes(StandardCharsets.UTF_8));
            case "dpe" -> new Export("application/json", base + ".json", bytes(dpe(doc)));
            case "docx" -> new Export("application/vnd.openxmlformats-officedocument.wordprocessingml.document", base + ".docx", Docx.transcript(doc));
            default -> throw Refusal.invalid("bad-format", "format must be srt, vtt, txt, docx or dpe");
        };
    }

    /** The source of a paper cut: its media's name, rate, start timecode and streams. */
    record Source(String reel, String clip, Timecode rate, long startFrame, boolean video, boolean stereo, int width,
            int height, double duration, int channels, int sampleRate) {
    }

    /**
     * A paper cut placed in the programme: source frames {@code [in, out)} (from the source's start timecode) and
     * programme frames {@code [recordIn, recordOut)}; {@code notes} are the titles, voice-over and notes that come
     * before it (as "KIND: text").
     */
    record Cut(Source source, long in, long out, long recordIn, long recordOut, List<String> notes) {
    }

    /** The programme a paper edit makes: its rate (the first cut's source's), its cuts, and the notes after them. */
    record Programme(String title, Timecode rate, long start, List<Cut> cuts, List<String> trailing) {
    }

    Programme programme(String projectId, PaperEdits.PaperEditView edit) {
        Map<String, Source> sources = new HashMap<>();
        Map<String, String> reels = new LinkedHashMap<>();
        Timecode rate = null;
        for (PaperEdits.ElementView e : edit.elements()) {
            if (e.type() == Type.PAPER_CUT) {
                Source source = sources.computeIfAbsent(e.transcriptId(), t -> source(projectId, t, reels));
                rate = rate == null ? source.rate() : rate;
            }
        }
        rate = rate == null ? Timecode.of(25) : rate;
        long start = rate.parse("01:00:00:00");
        long record = start;
        List<Cut> cuts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (PaperEdits.ElementView e : edit.elements()) {
            if (e.type() != Type.PAPER_CUT) {
                notes.add((e.type() == Type.VOICE_OVER ? "VOICE OVER" : e.type().name()) + ": " + e.text());
                continue;
            }
            Source source = sources.get(e.transcriptId());
            long in = source.startFrame() + source.rate().frames(e.start());
            long out = source.startFrame() + source.rate().frames(e.end());
            long length = source.rate().equals(rate) ? out - in : rate.frames(e.end() - e.start());
            cuts.add(new Cut(source, in, out, record, record + length, List.copyOf(notes)));
            notes.clear();
            record += length;
        }
        return new Programme(edit.title(), rate, start, cuts, List.copyOf(notes));
    }

    String edl(String projectId, PaperEdits.PaperEditView edit) {
        Programme programme = programme(projectId, edit);
        Timecode rate = programme.rate();
        StringBuilder out = new StringBuilder();
        out.append("TITLE: ").append(ascii(edit.title(), 70)).append("\r\n");
        out.append("FCM: ").append(rate.dropFrame() ? "DROP FRAME" : "NON-DROP FRAME").append("\r\n\r\n");
        int event = 0;
        for (Cut cut : programme.cuts()) {
            cut.notes().forEach(n -> out.append("* ").append(ascii(n, 200)).append("\r\n"));
            Source source = cut.source();
            String channels = source.video() ? (source.stereo() ? "AA/V" : "B") : (source.stereo() ? "AA" : "A");
            out.append(String.format(Locale.ROOT, "%03d  %-8s %-5s C        %s %s %s %s\r\n", ++event,
                    source.reel(), channels, source.rate().format(cut.in()), source.rate().format(cut.out()),
                    rate.format(cut.recordIn()), rate.format(cut.recordOut())));
            out.append("* FROM CLIP NAME: ").append(ascii(source.clip(), 200)).append("\r\n");
        }
        programme.trailing().forEach(n -> out.append("* ").append(ascii(n, 200)).append("\r\n"));
        return out.toString();
    }

    /**
     * AES31-3 ADL for audio editors, as BBC's digital paper edit writes it: the sources indexed by file name, one
     * {@code (Cut)} entry per paper cut on channels 1~2 (1 for mono) with source in, destination in and out as
     * {@code HH:MM:SS:FF/SSSS} (frames at the sequence's rate, then samples, so cuts are sample accurate), the
     * destination from 00:00:00:00, each entry named by the words it holds; titles, voice-over and notes are left out
     * (an ADL has no place for them).
     */
    String adl(String projectId, PaperEdits.PaperEditView edit) {
        Programme programme = programme(projectId, edit);
        int fps = programme.rate().nominal();
        int sampleRate = programme.cuts().isEmpty() ? 48000 : programme.cuts().get(0).source().sampleRate();
        StringBuilder out = new StringBuilder("<ADL>\n\n<VERSION>\n");
        out.append("\t(ADL_ID)\t").append(edit.id()).append('\n');
        out.append("\t(ADL_UID)\t").append(edit.id()).append('\n');
        out.append("\t(VER_ADL_VERSION)\t01.02\n\t(VER_CREATOR)\t\"Caravan\"\n\t(VER_CRTR)\t00.01\n</VERSION>\n\n");
        out.append("<PROJECT>\n\t(PROJ_TITLE)\t\"").append(quoted(edit.title())).append("\"\n");
        out.append("\t(PROJ_ORIGINATOR)\t\"Caravan\"\n");
        out.append("\t(PROJ_CREATE_DATE)\t").append(edit.createdAt() == null ? "_"
                : edit.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append('\n');
        out.append("\t(PROJ_NOTES)\t\"_\"\n\t(PROJ_CLIENT_DATA)\t\"_\"\n</PROJECT>\n\n");
        out.append("<SEQUENCE>\n\t(SEQ_SAMPLE_RATE)\tS").append(sampleRate).append('\n');
        out.append("\t(SEQ_FRAME_RATE)\t").append(fps).append('\n');
        out.append("\t(SEQ_ADL_LEVEL)\t1\n\t(SEQ_CLEAN)\tFALSE\n\t(SEQ_DEST_START)\t00:00:00:00/0000\n</SEQUENCE>\n\n");
        out.append("<SOURCE_INDEX>\n");
        Map<String, Integer> index = new LinkedHashMap<>();
        for (Cut cut : programme.cuts()) {
            Source source = cut.source();
            if (!index.containsKey(source.reel())) {
                index.put(source.reel(), index.size() + 1);
                out.append("\t(Index)\t").append(index.size()).append("\t(F)\t\"URL:file://localhost/")
                        .append(quoted(source.clip())).append("\"\t").append(source.reel())
                        .append("\t_\t_\t\"").append(quoted(source.clip())).append("\"\t\"_\"\n");
            }
        }
        out.append("</SOURCE_INDEX>\n\n<EVENT_LIST>\n");
        int entry = 0;
        double dest = 0;
        List<PaperEdits.ElementView> cuts = edit.elements().stream().filter(e -> e.type() == Type.PAPER_CUT).toList();
        for (int i = 0; i < programme.cuts().size(); i++) {
            Cut cut = programme.cuts().get(i);
            PaperEdits.ElementView element = cuts.get(i);
            Source source = cut.source();
            double sourceIn = source.rate().seconds(source.startFrame()) + element.start();
            double length = element.end() - element.start();
            out.append("\t(Entry)\t").append(++entry).append("\t(Cut)\tI\t").append(index.get(source.reel()))
                    .append('\t').append(source.channels() == 1 ? "1" : "1~2").append('\t')
                    .append(source.channels() == 1 ? "1" : "1~2").append('\t')
                    .append(adlTime(sourceIn, fps, sampleRate)).append('\t').append(adlTime(dest, fps, sampleRate))
                    .append('\t').append(adlTime(dest + length, fps, sampleRate)).append("\t_\t(Rem) NAME \"")
                    .append(quoted(element.words() == null ? source.clip() : element.words())).append("\"\n");
            dest += length;
        }
        out.append("</EVENT_LIST>\n\n</ADL>\n");
        return out.toString();
    }

    /** {@code HH:MM:SS:FF/SSSS}: whole frames at {@code fps}, then the samples left over. */
    static String adlTime(double seconds, int fps, int sampleRate) {
        long samples = Math.round(seconds * sampleRate);
        long samplesPerFrame = sampleRate / fps;
        long frames = samples / samplesPerFrame;
        long rest = samples % samplesPerFrame;
        long ff = frames % fps;
        long s = frames / fps % 60;
        long m = frames / fps / 60 % 60;
        long h = frames / fps / 3600;
        return String.format(Locale.ROOT, "%02d:%02d:%02d:%02d/%04d", h, m, s, ff, rest);
    }

    /** Text inside an ADL string: ASCII, no double quotes, at most 60 characters. */
    private static String quoted(String text) {
        return ascii(text, 60).replace('"', '\'');
    }

    private Source source(String projectId, String transcriptId, Map<String, String> reels) {
        ProjectTranscript transcript = transcripts.find(projectId, transcriptId);
        Optional<Asset> asset = assets.lookUp(transcript.assetId());
        AssetMetadata metadata = asset.map(Asset::metadata).orElse(AssetMetadata.NONE);
        String clip = asset.map(Asset::filename).orElse(transcript.title());
        AssetMetadata.VideoStream video = metadata.video();
        Timecode rate = Timecode.of(video == null ? 25 : video.frameRate());
        long start = 0;
        String tag = metadata.tags() == null ? null : metadata.tags().get("timecode");
        if (tag != null && rate.parse(tag) >= 0) {
            start = rate.parse(tag);
        }
        String reel = reels.computeIfAbsent(transcript.assetId(), a -> reelName(clip, reels.size()));
        int channels = metadata.audio() == null ? 2 : metadata.audio().channels();
        int sampleRate = metadata.audio() == null || metadata.audio().sampleRate() <= 0 ? 48000
                : metadata.audio().sampleRate();
        return new Source(reel, clip, rate, start, video != null, channels != 1,
                video == null ? 1920 : video.displayWidth(), video == null ? 1080 : video.displayHeight(),
                metadata.duration() == null ? 0 : metadata.duration(), channels, sampleRate);
    }

    /** An 8-character CMX3600 reel name from a file name: letters and digits, upper case, made unique by a number. */
    static String reelName(String fileName, int index) {
        String base = ascii(fileName == null ? "" : fileName.replaceFirst("\\.[^.]*$", ""), 200)
                .toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        String suffix = String.format(Locale.ROOT, "%02d", index + 1);
        if (base.isEmpty()) {
            base = "REEL";
        }
        return base.length() <= 6 ? base + suffix : base.substring(0, 6) + suffix;
    }

    /** The script as a person reads it: titles, voice-over, notes and cuts with their timecodes and speaker. */
    private static String script(PaperEdits.PaperEditView edit) {
        StringBuilder out = new StringBuilder(edit.title()).append("\n\n");
        for (PaperEdits.ElementView e : edit.elements()) {
            switch (e.type()) {
                case TITLE -> out.append(e.text().toUpperCase(Locale.ROOT)).append("\n\n");
                case VOICE_OVER -> out.append("VOICE OVER: ").append(e.text()).append("\n\n");
                case NOTE -> out.append("[NOTE: ").append(e.text()).append("]\n\n");
                case PAPER_CUT -> out.append('[').append(TranscriptFormats.timestamp(e.start(), '.')).append(" - ")
                        .append(TranscriptFormats.timestamp(e.end(), '.')).append("] ")
                        .append(e.transcriptTitle() == null ? "(transcript deleted)" : e.transcriptTitle())
                        .append(e.speaker() == null ? "" : " - " + e.speaker()).append("\n")
                        .append(e.words() == null ? "" : e.words()).append("\n\n");
            }
        }
        return out.toString();
    }

    /** Paragraphs, each with its start and its speaker's name. */
    private static String text(ProjectTranscripts.TranscriptDocument doc) {
        StringBuilder out = new StringBuilder();
        for (Transcript.Paragraph p : doc.paragraphs()) {
            out.append('[').append(TranscriptFormats.timestamp(p.start(), '.')).append("] ");
            if (p.speaker() != null) {
                out.append(doc.speakers().getOrDefault(p.speaker(), p.speaker())).append(": ");
            }
            out.append(p.text()).append("\n\n");
        }
        return out.toString();
    }

    /** BBC digital paper edit's transcript JSON. */
    private ObjectNode dpe(ProjectTranscripts.TranscriptDocument doc) {
        ObjectNode root = json.createObjectNode();
        ArrayNode words = root.putArray("words");
        for (int i = 0; i < doc.words().size(); i++) {
            Transcript.Word w = doc.words().get(i);
            words.addObject().put("id", i).put("start", w.start()).put("end", w.end()).put("text", w.word());
        }
        ArrayNode paragraphs = root.putArray("paragraphs");
        for (int i = 0; i < doc.paragraphs().size(); i++) {
            Transcript.Paragraph p = doc.paragraphs().get(i);
            String speaker = p.speaker() == null ? "U_UKN" : doc.speakers().getOrDefault(p.speaker(), p.speaker());
            paragraphs.addObject().put("id", i).put("start", p.start()).put("end", p.end()).put("speaker", speaker);
        }
        return root;
    }

    private byte[] bytes(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ASCII only (accents dropped, the rest '?'), on one line, at most {@code max} characters. */
    static String ascii(String text, int max) {
        String plain = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "").replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?").strip();
        return plain.length() > max ? plain.substring(0, max) : plain;
    }

    /** A file name for an export: the title's letters, digits, '-' and '_'. */
    private static String fileName(String title) {
        String name = ascii(title, 80).replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "export" : name;
    }
}
