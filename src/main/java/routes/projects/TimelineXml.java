package routes.projects;

import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import routes.projects.Exports.Cut;
import routes.projects.Exports.Programme;
import routes.projects.Exports.Source;

/**
 * A paper edit's programme as the timelines editing software imports, written with the JDK's StAX writer.
 * <ul>
 *   <li>{@link #fcpxml FCPXML 1.9} (Final Cut Pro X and DaVinci Resolve): a format per source rate and size, an asset
 *       per source (its start at its timecode), a project whose sequence starts at 01:00:00:00 in the programme's
 *       format, and one {@code asset-clip} per paper cut in the spine, times as exact frame fractions
 *       ({@code 1001/30000s} frames at 29.97); titles, voice-over and notes as markers at the start of the clip they
 *       come before.</li>
 *   <li>{@link #xmeml xmeml 4} (Final Cut Pro 7 XML, which Premiere Pro and Resolve import): a sequence at the
 *       programme's rate with one video track and the audio tracks of its sources, a {@code clipitem} per cut with its
 *       {@code start}/{@code end} on the timeline and {@code in}/{@code out} in the source (frames from the media's
 *       first frame), each source described once as a {@code file} with its timecode; notes as sequence markers.</li>
 * </ul>
 * The media are named by their file names (editors relink them to their copies).
 */
final class TimelineXml {

    private TimelineXml() {
    }

    /** FCPXML 1.9. */
    static String fcpxml(Programme programme) {
        return write(x -> {
            x.writeStartDocument("UTF-8", "1.0");
            x.writeDTD("\n<!DOCTYPE fcpxml>");
            x.writeCharacters("\n");
            x.writeStartElement("fcpxml");
            x.writeAttribute("version", "1.9");
            x.writeStartElement("resources");
            Map<String, String> formats = new LinkedHashMap<>();
            Map<String, String> assets = new LinkedHashMap<>();
            int ids = 0;
            String programmeFormat = null;
            List<Source> sources = new ArrayList<>();
            for (Cut cut : programme.cuts()) {
                if (!sources.contains(cut.source())) {
                    sources.add(cut.source());
                }
            }
            for (Source source : sources) {
                String key = frame(source.rate()) + " " + source.width() + "x" + source.height();
                if (!formats.containsKey(key)) {
                    String id = "r" + (++ids);
                    formats.put(key, id);
                    x.writeEmptyElement("format");
                    x.writeAttribute("id", id);
                    x.writeAttribute("frameDuration", frame(source.rate()));
                    x.writeAttribute("width", Integer.toString(source.width()));
                    x.writeAttribute("height", Integer.toString(source.height()));
                }
            }
            String programmeKey = frame(programme.rate()) + " "
                    + (sources.isEmpty() ? "1920x1080" : sources.get(0).width() + "x" + sources.get(0).height());
            programmeFormat = formats.get(programmeKey);
            if (programmeFormat == null) {
                programmeFormat = "r" + (++ids);
                x.writeEmptyElement("format");
                x.writeAttribute("id", programmeFormat);
                x.writeAttribute("frameDuration", frame(programme.rate()));
                x.writeAttribute("width", "1920");
                x.writeAttribute("height", "1080");
            }
            for (Source source : sources) {
                String id = "r" + (++ids);
                assets.put(source.reel(), id);
                x.writeStartElement("asset");
                x.writeAttribute("id", id);
                x.writeAttribute("name", source.clip());
                x.writeAttribute("start", time(source.startFrame(), source.rate()));
                x.writeAttribute("duration", time(source.rate().frames(source.duration()), source.rate()));
                x.writeAttribute("hasVideo", source.video() ? "1" : "0");
                x.writeAttribute("hasAudio", "1");
                x.writeAttribute("audioSources", "1");
                x.writeAttribute("audioChannels", Integer.toString(source.channels()));
                x.writeAttribute("format", formats.get(frame(source.rate()) + " " + source.width() + "x"
                        + source.height()));
                x.writeEmptyElement("media-rep");
                x.writeAttribute("kind", "original-media");
                x.writeAttribute("src", URLEncoder.encode(source.clip(), StandardCharsets.UTF_8).replace("+", "%20"));
                x.writeEndElement();
            }
            x.writeEndElement(); // resources
            x.writeStartElement("library");
            x.writeStartElement("event");
            x.writeAttribute("name", "Caravan");
            x.writeStartElement("project");
            x.writeAttribute("name", programme.title());
            x.writeStartElement("sequence");
            x.writeAttribute("format", programmeFormat);
            long end = programme.cuts().isEmpty() ? programme.start()
                    : programme.cuts().get(programme.cuts().size() - 1).recordOut();
            x.writeAttribute("duration", time(end - programme.start(), programme.rate()));
            x.writeAttribute("tcStart", time(programme.start(), programme.rate()));
            x.writeAttribute("tcFormat", programme.rate().dropFrame() ? "DF" : "NDF");
            x.writeStartElement("spine");
            for (Cut cut : programme.cuts()) {
                Source source = cut.source();
                x.writeStartElement("asset-clip");
                x.writeAttribute("ref", assets.get(source.reel()));
                x.writeAttribute("name", source.clip());
                x.writeAttribute("offset", time(cut.recordIn(), programme.rate()));
                x.writeAttribute("start", time(cut.in(), source.rate()));
                x.writeAttribute("duration", time(cut.recordOut() - cut.recordIn(), programme.rate()));
                x.writeAttribute("tcFormat", source.rate().dropFrame() ? "DF" : "NDF");
                for (String note : cut.notes()) {
                    x.writeEmptyElement("marker");
                    x.writeAttribute("start", time(cut.in(), source.rate()));
                    x.writeAttribute("duration", time(1, source.rate()));
                    x.writeAttribute("value", note);
                }
                x.writeEndElement();
            }
            x.writeEndElement(); // spine
            x.writeEndElement(); // sequence
            x.writeEndElement(); // project
            x.writeEndElement(); // event
            x.writeEndElement(); // library
            x.writeEndElement(); // fcpxml
            x.writeEndDocument();
        });
    }

    /** xmeml version 4 (Final Cut Pro 7 XML). */
    static String xmeml(Programme programme) {
        return write(x -> {
            x.writeStartDocument("UTF-8", "1.0");
            x.writeDTD("\n<!DOCTYPE xmeml>");
            x.writeCharacters("\n");
            x.writeStartElement("xmeml");
            x.writeAttribute("version", "4");
            x.writeStartElement("sequence");
            x.writeAttribute("id", "sequence-1");
            text(x, "name", programme.title());
            long length = programme.cuts().isEmpty() ? 0
                    : programme.cuts().get(programme.cuts().size() - 1).recordOut() - programme.start();
            text(x, "duration", Long.toString(length));
            rate(x, programme.rate());
            x.writeStartElement("timecode");
            rate(x, programme.rate());
            text(x, "string", programme.rate().format(programme.start()));
            text(x, "frame", Long.toString(programme.start()));
            text(x, "displayformat", programme.rate().dropFrame() ? "DF" : "NDF");
            x.writeEndElement();
            x.writeStartElement("media");
            Map<String, Boolean> described = new LinkedHashMap<>();
            x.writeStartElement("video");
            x.writeStartElement("track");
            int item = 0;
            for (Cut cut : programme.cuts()) {
                if (cut.source().video()) {
                    clipitem(x, programme, cut, ++item, described, null);
                }
            }
            x.writeEndElement(); // track
            x.writeEndElement(); // video
            x.writeStartElement("audio");
            for (int channel = 1; channel <= 2; channel++) {
                x.writeStartElement("track");
                for (Cut cut : programme.cuts()) {
                    if (channel <= Math.min(2, cut.source().channels())) {
                        clipitem(x, programme, cut, ++item, described, channel);
                    }
                }
                x.writeEndElement();
            }
            x.writeEndElement(); // audio
            x.writeEndElement(); // media
            for (Cut cut : programme.cuts()) {
                for (String note : cut.notes()) {
                    marker(x, note, cut.recordIn() - programme.start());
                }
            }
            for (String note : programme.trailing()) {
                marker(x, note, length);
            }
            x.writeEndElement(); // sequence
            x.writeEndElement(); // xmeml
            x.writeEndDocument();
        });
    }

    private static void clipitem(XMLStreamWriter x, Programme programme, Cut cut, int id,
            Map<String, Boolean> described, Integer audioChannel) throws XMLStreamException {
        Source source = cut.source();
        x.writeStartElement("clipitem");
        x.writeAttribute("id", "clipitem-" + id);
        text(x, "name", source.clip());
        text(x, "enabled", "TRUE");
        text(x, "duration", Long.toString(source.rate().frames(source.duration())));
        rate(x, source.rate());
        text(x, "start", Long.toString(cut.recordIn() - programme.start()));
        text(x, "end", Long.toString(cut.recordOut() - programme.start()));
        text(x, "in", Long.toString(cut.in() - source.startFrame()));
        text(x, "out", Long.toString(cut.out() - source.startFrame()));
        String fileId = "file-" + source.reel();
        if (described.containsKey(fileId)) {
            x.writeEmptyElement("file");
            x.writeAttribute("id", fileId);
        } else {
            described.put(fileId, true);
            x.writeStartElement("file");
            x.writeAttribute("id", fileId);
            text(x, "name", source.clip());
            text(x, "pathurl", URLEncoder.encode(source.clip(), StandardCharsets.UTF_8).replace("+", "%20"));
            rate(x, source.rate());
            text(x, "duration", Long.toString(source.rate().frames(source.duration())));
            x.writeStartElement("timecode");
            rate(x, source.rate());
            text(x, "string", source.rate().format(source.startFrame()));
            text(x, "frame", Long.toString(source.startFrame()));
            text(x, "displayformat", source.rate().dropFrame() ? "DF" : "NDF");
            x.writeEndElement();
            x.writeStartElement("media");
            if (source.video()) {
                x.writeStartElement("video");
                x.writeStartElement("samplecharacteristics");
                text(x, "width", Integer.toString(source.width()));
                text(x, "height", Integer.toString(source.height()));
                x.writeEndElement();
                x.writeEndElement();
            }
            x.writeStartElement("audio");
            text(x, "channelcount", Integer.toString(source.channels()));
            x.writeEndElement();
            x.writeEndElement(); // media
            x.writeEndElement(); // file
        }
        if (audioChannel != null) {
            x.writeStartElement("sourcetrack");
            text(x, "mediatype", "audio");
            text(x, "trackindex", Integer.toString(audioChannel));
            x.writeEndElement();
        }
        x.writeEndElement(); // clipitem
    }

    private static void marker(XMLStreamWriter x, String note, long at) throws XMLStreamException {
        x.writeStartElement("marker");
        text(x, "name", note.length() > 60 ? note.substring(0, 60) : note);
        text(x, "comment", note);
        text(x, "in", Long.toString(at));
        text(x, "out", "-1");
        x.writeEndElement();
    }

    private static void rate(XMLStreamWriter x, Timecode rate) throws XMLStreamException {
        x.writeStartElement("rate");
        text(x, "timebase", Integer.toString(rate.nominal()));
        text(x, "ntsc", Math.abs(rate.actual() - rate.nominal()) > 0.001 ? "TRUE" : "FALSE");
        x.writeEndElement();
    }

    private static void text(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    /** One frame as FCPXML writes it: {@code 1001/30000s} at 29.97, {@code 1/25s} at 25, {@code 100/2997s}... */
    static String frame(Timecode rate) {
        if (Math.abs(rate.actual() - rate.nominal()) < 1e-9) {
            return "1/" + rate.nominal() + "s";
        }
        if (Math.abs(rate.actual() - rate.nominal() * 1000.0 / 1001) < 1e-6) {
            return "1001/" + rate.nominal() * 1000 + "s";
        }
        return "1000/" + Math.round(rate.actual() * 1000) + "s";
    }

    /** {@code frames} frames as an FCPXML time: a whole number of seconds when it is one, else a fraction. */
    static String time(long frames, Timecode rate) {
        String frame = frame(rate);
        long numerator = Long.parseLong(frame.substring(0, frame.indexOf('/')));
        long denominator = Long.parseLong(frame.substring(frame.indexOf('/') + 1, frame.length() - 1));
        long n = frames * numerator;
        long gcd = java.math.BigInteger.valueOf(n).gcd(java.math.BigInteger.valueOf(denominator)).longValue();
        if (gcd == 0) {
            return "0s";
        }
        long num = n / gcd;
        long den = denominator / gcd;
        return den == 1 ? num + "s" : num + "/" + den + "s";
    }

    @FunctionalInterface
    private interface Body {
        void write(XMLStreamWriter x) throws XMLStreamException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            body.write(x);
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the timeline could not be written", e);
        }
        return out.toString();
    }
}
