package routes.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import routes.store.Versioned;

/**
 * A transcript of a project, as kept in the projects table: which asset it transcribes, its state, the names given to
 * its speakers, and its revisions. The words of each revision are a JSON document in the bucket
 * ({@link Revision#key}); revision 1 is what the transcript was made from (the speech-to-text result), never changed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectTranscript(String id, String project, String assetId, String title, Status status, String error,
        String source, Map<String, String> speakers, List<Revision> revisions, Instant createdAt, Instant updatedAt,
        long version) implements Versioned<ProjectTranscript> {

    /** Where a transcript is: waiting for its asset's speech-to-text, there, or failed (with the reason). */
    public enum Status {
        IN_PROGRESS, DONE, ERROR
    }

    /** One saved state of the words: its number (from 1), its document, when and by whom it was saved. */
    public record Revision(int number, String key, Instant at, String by, String note) {
    }

    public ProjectTranscript {
        speakers = speakers == null ? Map.of() : Map.copyOf(speakers);
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
    }

    /** The number of the latest revision, 0 before there is one. */
    public int revision() {
        return revisions.isEmpty() ? 0 : revisions.get(revisions.size() - 1).number();
    }

    ProjectTranscript withRevision(Revision revision, Status newStatus) {
        List<Revision> all = new java.util.ArrayList<>(revisions);
        all.add(revision);
        return new ProjectTranscript(id, project, assetId, title, newStatus, null, source, speakers, all, createdAt,
                updatedAt, version);
    }

    ProjectTranscript failed(String reason) {
        return new ProjectTranscript(id, project, assetId, title, Status.ERROR, reason, source, speakers, revisions,
                createdAt, updatedAt, version);
    }

    ProjectTranscript withSpeaker(String label, String name) {
        Map<String, String> all = new java.util.TreeMap<>(speakers);
        if (name == null) {
            all.remove(label);
        } else {
            all.put(label, name);
        }
        return new ProjectTranscript(id, project, assetId, title, status, error, source, all, revisions, createdAt,
                updatedAt, version);
    }

    @Override
    public ProjectTranscript stamped(Instant now, long newVersion) {
        return new ProjectTranscript(id, project, assetId, title, status, error, source, speakers, revisions,
                createdAt == null ? now : createdAt, now, newVersion);
    }
}
