package routes.projects;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import routes.access.Role;
import routes.access.Caller;
import routes.problems.Refusal;
import routes.store.VersionedTable;

/**
 * Labels of a project and the annotations members make with them: an annotation marks a time range of one of the
 * project's transcripts with a label (or none) and a note; annotations are listed by transcript and by label. Deleting
 * a label leaves its annotations without one; deleting a transcript deletes its annotations.
 * Readers list; editors make, change and delete.
 */
public class ProjectAnnotations {

    public static final int MAX_LABELS = 200;
    public static final int MAX_ANNOTATIONS = 10_000;
    /** The longest media an annotation may lie in: a day. */
    static final double MAX_SECONDS = 24 * 3600;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

    private final VersionedTable<Label> labels;
    private final VersionedTable<Annotation> annotations;
    private final ProjectService projects;
    private final ProjectTranscripts transcripts;

    public ProjectAnnotations(VersionedTable<Label> labels, VersionedTable<Annotation> annotations,
            ProjectService projects, ProjectTranscripts transcripts) {
        this.labels = labels;
        this.annotations = annotations;
        this.projects = projects;
        this.transcripts = transcripts;
    }

    public static Map<String, String> attributes(Label label) {
        return ProjectService.itemAttributes("label", label.project(), label.createdAt());
    }

    public static Map<String, String> attributes(Annotation annotation) {
        return ProjectService.itemAttributes("annotation", annotation.project(), annotation.createdAt());
    }

    /** The body of {@code POST /labels} and {@code PATCH /labels/{label}}. */
    public record LabelRequest(String name, String colour, String description) {
    }

    /** The body of {@code POST /annotations} and {@code PATCH /annotations/{annotation}}. */
    public record AnnotationRequest(String transcriptId, Double start, Double end, String labelId, String note) {
    }

    public Label createLabel(String projectId, LabelRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        checkLabel(request, true);
        if (ProjectService.itemsOf(labels, projectId, "label").size() >= MAX_LABELS) {
            throw Refusal.conflict("too-many-labels", "a project has at most " + MAX_LABELS + " labels");
        }
        return labels.insert(new Label(UUID.randomUUID().toString(), projectId, request.name().strip(),
                request.colour() == null ? "#ffd54f" : request.colour().toLowerCase(Locale.ROOT),
                blankToNull(request.description()), null, null, 0));
    }

    public List<Label> labels(String projectId, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        List<Label> all = ProjectService.itemsOf(labels, projectId, "label");
        all.sort(Comparator.comparing(Label::name, String.CASE_INSENSITIVE_ORDER));
        return all;
    }

    public Label updateLabel(String projectId, String id, LabelRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        checkLabel(request, false);
        label(projectId, id);
        return labels.update(id, l -> l.changed(request.name() == null ? l.name() : request.name().strip(),
                request.colour() == null ? l.colour() : request.colour().toLowerCase(Locale.ROOT),
                request.description() == null ? l.description() : blankToNull(request.description())));
    }

    /** The label, and its mark on every annotation (they stay, without a label). */
    public void deleteLabel(String projectId, String id, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        label(projectId, id);
        for (Annotation a : ProjectService.itemsOf(annotations, projectId, "annotation")) {
            if (id.equals(a.labelId())) {
                annotations.update(a.id(), x -> x.changed(x.start(), x.end(), null, x.note()));
            }
        }
        labels.delete(id);
    }

    public Annotation createAnnotation(String projectId, AnnotationRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        if (request == null || request.transcriptId() == null) {
            throw Refusal.invalid("bad-annotation", "a JSON body {transcriptId, start, end, labelId?, note?} is"
                    + " required");
        }
        transcripts.find(projectId, request.transcriptId()); // 404 when it is not the project's
        checkRange(request.start(), request.end());
        transcripts.checkWithin(projectId, request.transcriptId(), request.end());
        checkLabelOf(projectId, request.labelId());
        String note = checkNote(request.note());
        if (ProjectService.itemsOf(annotations, projectId, "annotation").size() >= MAX_ANNOTATIONS) {
            throw Refusal.conflict("too-many-annotations", "a project has at most " + MAX_ANNOTATIONS
                    + " annotations");
        }
        return annotations.insert(new Annotation(UUID.randomUUID().toString(), projectId, request.transcriptId(),
                request.start(), request.end(), blankToNull(request.labelId()), note, caller.subject(), null, null,
                0));
    }

    /** The annotations of the project, by start, optionally only of one transcript and/or one label. */
    public List<Annotation> annotations(String projectId, String transcriptId, String labelId, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        List<Annotation> found = new ArrayList<>();
        for (Annotation a : ProjectService.itemsOf(annotations, projectId, "annotation")) {
            if ((transcriptId == null || transcriptId.equals(a.transcriptId()))
                    && (labelId == null || labelId.equals(a.labelId()))) {
                found.add(a);
            }
        }
        found.sort(Comparator.comparing(Annotation::transcriptId).thenComparingDouble(Annotation::start));
        return found;
    }

    public Annotation updateAnnotation(String projectId, String id, AnnotationRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        Annotation current = annotation(projectId, id);
        if (request == null) {
            throw Refusal.invalid("bad-annotation", "a JSON body {start?, end?, labelId?, note?} is required");
        }
        if (request.transcriptId() != null && !request.transcriptId().equals(current.transcriptId())) {
            throw Refusal.invalid("bad-annotation", "an annotation stays on its transcript: delete it and make"
                    + " another");
        }
        double start = request.start() == null ? current.start() : request.start();
        double end = request.end() == null ? current.end() : request.end();
        checkRange(start, end);
        transcripts.checkWithin(projectId, current.transcriptId(), end);
        checkLabelOf(projectId, request.labelId());
        String note = request.note() == null ? current.note() : checkNote(request.note());
        String label = request.labelId() == null ? current.labelId() : blankToNull(request.labelId());
        return annotations.update(id, a -> a.changed(start, end, label, note));
    }

    /** The annotations of a transcript about to be deleted (editors). */
    public void forgetTranscript(String projectId, String transcriptId, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        for (Annotation a : ProjectService.itemsOf(annotations, projectId, "annotation")) {
            if (a.transcriptId().equals(transcriptId)) {
                annotations.delete(a.id());
            }
        }
    }

    public void deleteAnnotation(String projectId, String id, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        annotations.delete(annotation(projectId, id).id());
    }

    private Label label(String projectId, String id) {
        return find(labels, id).filter(l -> l.project().equals(projectId))
                .orElseThrow(() -> Refusal.notFound("label", String.valueOf(id)));
    }

    private Annotation annotation(String projectId, String id) {
        return find(annotations, id).filter(a -> a.project().equals(projectId))
                .orElseThrow(() -> Refusal.notFound("annotation", String.valueOf(id)));
    }

    private void checkLabelOf(String projectId, String labelId) {
        if (labelId != null && !labelId.isBlank()) {
            find(labels, labelId).filter(l -> l.project().equals(projectId))
                    .orElseThrow(() -> Refusal.invalid("unknown-label", "label " + labelId + " is not one of the"
                            + " project's"));
        }
    }

    private static <T extends routes.store.Versioned<T>> Optional<T> find(VersionedTable<T> table, String id) {
        return id == null || !ID.matcher(id).matches() ? Optional.empty() : table.find(id);
    }


    private static void checkLabel(LabelRequest request, boolean nameRequired) {
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {name, colour?, description?} is required");
        }
        if (request.name() == null ? nameRequired : request.name().isBlank() || request.name().strip().length() > 100) {
            throw Refusal.invalid("bad-name", "a label's name is 1-100 characters");
        }
        if (request.colour() != null && !COLOUR.matcher(request.colour()).matches()) {
            throw Refusal.invalid("bad-colour", "colour is #rrggbb, e.g. #4caf50");
        }
        if (request.description() != null && request.description().length() > 1000) {
            throw Refusal.invalid("bad-description", "description is at most 1000 characters");
        }
    }

    private static void checkRange(Double start, Double end) {
        if (start == null || end == null || !(start >= 0) || !(end > start) || end > MAX_SECONDS) {
            throw Refusal.invalid("bad-range", "start and end are seconds of the media, 0 <= start < end <= "
                    + (long) MAX_SECONDS);
        }
    }

    private static String checkNote(String note) {
        if (note != null && note.length() > 4000) {
            throw Refusal.invalid("bad-note", "a note is at most 4000 characters");
        }
        return blankToNull(note);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
