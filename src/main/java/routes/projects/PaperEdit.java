package routes.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import routes.store.Versioned;

/**
 * A paper edit: a programme script, an ordered list of elements drawn from the project's transcripts (paper cuts:
 * a time range of a transcript, whose words are read from it) with titles, voice-over text and notes between them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaperEdit(String id, String project, String title, String description, List<Element> elements,
        String by, Instant createdAt, Instant updatedAt, long version) implements Versioned<PaperEdit> {

    /** What an element is. */
    public enum Type {
        TITLE, VOICE_OVER, NOTE, PAPER_CUT
    }

    /**
     * One element: a {@link Type#PAPER_CUT} names a transcript and a range of it in seconds; the others carry text.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Element(String id, Type type, String text, String transcriptId, Double start, Double end) {
    }

    public PaperEdit {
        elements = elements == null ? List.of() : List.copyOf(elements);
    }

    PaperEdit with(String newTitle, String newDescription, List<Element> newElements) {
        return new PaperEdit(id, project, newTitle, newDescription, newElements, by, createdAt, updatedAt, version);
    }

    @Override
    public PaperEdit stamped(Instant now, long newVersion) {
        return new PaperEdit(id, project, title, description, elements, by, createdAt == null ? now : createdAt, now,
                newVersion);
    }
}
