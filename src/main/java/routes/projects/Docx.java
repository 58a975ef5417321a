package routes.projects;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.poi.xwpf.usermodel.ParagraphAlignment;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import routes.stt.Transcript;
import routes.stt.TranscriptFormats;

/**
 * Word documents (DOCX, with Apache POI) of a transcript and of a paper edit's script, for the people who read and
 * mark them up: a transcript's paragraphs each with its time and its speaker's name in bold; a script's titles as
 * headings, voice-over in italics, notes in grey, and each paper cut with its source, times and speaker, then its
 * words.
 */
final class Docx {

    private Docx() {
    }

    static byte[] transcript(ProjectTranscripts.TranscriptDocument doc) {
        try (XWPFDocument word = new XWPFDocument()) {
            heading(word, doc.title());
            for (Transcript.Paragraph p : doc.paragraphs()) {
                XWPFParagraph paragraph = word.createParagraph();
                XWPFRun time = paragraph.createRun();
                time.setColor("777777");
                time.setText("[" + TranscriptFormats.timestamp(p.start(), '.') + "] ");
                if (p.speaker() != null) {
                    XWPFRun speaker = paragraph.createRun();
                    speaker.setBold(true);
                    speaker.setText(doc.speakers().getOrDefault(p.speaker(), p.speaker()) + ": ");
                }
                paragraph.createRun().setText(p.text());
            }
            return bytes(word);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] script(PaperEdits.PaperEditView edit) {
        try (XWPFDocument word = new XWPFDocument()) {
            heading(word, edit.title());
            for (PaperEdits.ElementView e : edit.elements()) {
                XWPFParagraph paragraph = word.createParagraph();
                switch (e.type()) {
                    case TITLE -> {
                        XWPFRun run = paragraph.createRun();
                        run.setBold(true);
                        run.setFontSize(14);
                        run.setText(e.text());
                    }
                    case VOICE_OVER -> {
                        XWPFRun label = paragraph.createRun();
                        label.setBold(true);
                        label.setText("VOICE OVER: ");
                        XWPFRun run = paragraph.createRun();
                        run.setItalic(true);
                        run.setText(e.text());
                    }
                    case NOTE -> {
                        XWPFRun run = paragraph.createRun();
                        run.setColor("777777");
                        run.setText("[NOTE: " + e.text() + "]");
                    }
                    case PAPER_CUT -> {
                        XWPFRun source = paragraph.createRun();
                        source.setColor("777777");
                        source.setText((e.transcriptTitle() == null ? "(transcript deleted)" : e.transcriptTitle())
                                + "  " + TranscriptFormats.timestamp(e.start(), '.') + " - "
                                + TranscriptFormats.timestamp(e.end(), '.'));
                        source.addBreak();
                        if (e.speaker() != null) {
                            XWPFRun speaker = paragraph.createRun();
                            speaker.setBold(true);
                            speaker.setText(e.speaker() + ": ");
                        }
                        paragraph.createRun().setText(e.words() == null ? "" : e.words());
                    }
                }
            }
            return bytes(word);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void heading(XWPFDocument word, String title) {
        XWPFParagraph heading = word.createParagraph();
        heading.setAlignment(ParagraphAlignment.LEFT);
        XWPFRun run = heading.createRun();
        run.setBold(true);
        run.setFontSize(18);
        run.setText(title);
    }

    private static byte[] bytes(XWPFDocument word) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        word.write(out);
        return out.toByteArray();
    }
}
