package routes.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import routes.store.Versioned;

/**
 * A time range of a project's transcript marked with a label (or none) and a note, by a member. Times are seconds of
 * the media, so an annotation stays where it is whatever corrections the words get.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Annotation(String id, String project, String transcriptId, double start, double end, String labelId,
        String note, String by, Instant createdAt, Instant updatedAt, long version) implements Versioned<Annotation> {

    Annotation changed(double newStart, double newEnd, String newLabel, String newNote) {
        return new Annotation(id, project, transcriptId, newStart, newEnd, newLabel, newNote, by, createdAt, updatedAt,
                version);
    }

    @Override
    public Annotation stamped(Instant now, long newVersion) {
        return new Annotation(id, project, transcriptId, start, end, labelId, note, by,
                createdAt == null ? now : createdAt, now, newVersion);
    }
}
