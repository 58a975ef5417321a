package routes.projects;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import routes.access.Role;
import routes.access.Caller;
import routes.problems.Refusal;
import routes.projects.PaperEdit.Element;
import routes.projects.PaperEdit.Type;
import routes.store.VersionedTable;
import routes.stt.Transcript;

/**
 * The paper edits of a project: programme scripts assembled from selections of any of its transcripts, with titles,
 * voice-over text and notes between them. Elements are inserted at a position, moved, changed and deleted one at a
 * time; a paper edit read back carries, for each paper cut, the words of its transcript (latest revision) that lie in
 * its range and who said them, and the programme's running time. Readers read; editors change.
 */
public class PaperEdits {

    public static final int MAX_ELEMENTS = 1000;
    public static final int MAX_PAPER_EDITS = 500;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final VersionedTable<PaperEdit> edits;
    private final ProjectService projects;
    private final ProjectTranscripts transcripts;

    public PaperEdits(VersionedTable<PaperEdit> edits, ProjectService projects, ProjectTranscripts transcripts) {
        this.edits = edits;
        this.projects = projects;
        this.transcripts = transcripts;
    }

    public static Map<String, String> attributes(PaperEdit edit) {
        return ProjectService.itemAttributes("paper-edit", edit.project(), edit.createdAt());
    }

    /** The body of {@code POST /paper-edits} and {@code PATCH /paper-edits/{edit}}. */
    public record PaperEditRequest(String title, String description) {
    }

    /**
     * The body of {@code POST .../elements} (at {@code position}, the end when null) and
     * {@code PATCH .../elements/{element}} (moved to {@code position}, and/or its text or range changed).
     */
    public record ElementRequest(Integer position, String type, String text, String transcriptId, Double start,
            Double end) {
    }

    /** A paper edit as read: its elements, each paper cut with its words, and the running time of its cuts. */
    public record PaperEditView(String id, String project, String title, String description, List<ElementView> elements,
            double cutSeconds, String by, java.time.Instant createdAt, java.time.Instant updatedAt, long version) {
    }

    /** An element as read; a paper cut with the transcript's title, its words in range and its speaker(s). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ElementView(String id, Type type, String text, String transcriptId, String transcriptTitle,
            Double start, Double end, String words, String speaker) {
    }

    /** A paper edit as listed. */
    public record PaperEditSummary(String id, String title, int elements, java.time.Instant updatedAt) {
    }

    public PaperEditView create(String projectId, PaperEditRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        String title = title(request, true);
        if (ProjectService.itemsOf(edits, projectId, "paper-edit").size() >= MAX_PAPER_EDITS) {
            throw Refusal.conflict("too-many-paper-edits", "a project has at most " + MAX_PAPER_EDITS
                    + " paper edits");
        }
        PaperEdit made = edits.insert(new PaperEdit(UUID.randomUUID().toString(), projectId, title,
                description(request), List.of(), caller.subject(), null, null, 0));
        return view(made);
    }

    public List<PaperEditSummary> list(String projectId, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        return ProjectService.itemsOf(edits, projectId, "paper-edit").stream()
                .map(e -> new PaperEditSummary(e.id(), e.title(), e.elements().size(), e.updatedAt())).toList();
    }

    public PaperEditView get(String projectId, String id, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        return view(find(projectId, id));
    }

    public PaperEditView update(String projectId, String id, PaperEditRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        find(projectId, id);
        String title = title(request, false);
        return view(edits.update(id, e -> e.with(title == null ? e.title() : title,
                request.description() == null ? e.description() : description(request), e.elements())));
    }

    public void delete(String projectId, String id, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        edits.delete(find(projectId, id).id());
    }

    /** An element inserted at {@code position} (0 first; the end when unset). */
    public PaperEditView insert(String projectId, String id, ElementRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        find(projectId, id);
        if (request == null || request.type() == null) {
            throw Refusal.invalid("bad-element", "a JSON body {type: title|voice_over|note|paper_cut, text?,"
                    + " transcriptId?, start?, end?, position?} is required");
        }
        Type type = type(request.type());
        fieldsFit(type, request);
        Element element = checked(projectId, new Element(newId(), type, request.text(),
                request.transcriptId(), request.start(), request.end()));
        return view(edits.update(id, e -> {
            if (e.elements().size() >= MAX_ELEMENTS) {
                throw Refusal.conflict("too-many-elements", "a paper edit has at most " + MAX_ELEMENTS + " elements");
            }
            List<Element> elements = new ArrayList<>(e.elements());
            elements.add(position(request.position(), elements.size()), element);
            return e.with(e.title(), e.description(), elements);
        }));
    }

    /** An element moved to {@code position}, and/or its text or range changed (its type stays). */
    public PaperEditView change(String projectId, String id, String elementId, ElementRequest request,
            Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        PaperEdit current = find(projectId, id);
        if (request == null) {
            throw Refusal.invalid("bad-element", "a JSON body {position?, text?, transcriptId?, start?, end?} is"
                    + " required");
        }
        Element old = element(current, elementId);
        if (request.type() != null && type(request.type()) != old.type()) {
            throw Refusal.invalid("bad-element", "an element keeps its type (" + old.type().name()
                    .toLowerCase(Locale.ROOT) + "): delete it and insert another");
        }
        fieldsFit(old.type(), request);
        Element changed = checked(projectId, new Element(old.id(), old.type(),
                request.text() == null ? old.text() : request.text(),
                request.transcriptId() == null ? old.transcriptId() : request.transcriptId(),
                request.start() == null ? old.start() : request.start(),
                request.end() == null ? old.end() : request.end()));
        return view(edits.update(id, e -> {
            List<Element> elements = new ArrayList<>(e.elements());
            int at = indexOf(elements, elementId);
            elements.remove(at);
            elements.add(request.position() == null ? at : position(request.position(), elements.size()), changed);
            return e.with(e.title(), e.description(), elements);
        }));
    }

    public PaperEditView remove(String projectId, String id, String elementId, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        element(find(projectId, id), elementId);
        return view(edits.update(id, e -> {
            List<Element> elements = new ArrayList<>(e.elements());
            elements.remove(indexOf(elements, elementId));
            return e.with(e.title(), e.description(), elements);
        }));
    }

    /** The paper edit as read: each paper cut's words from its transcript's latest revision. */
    PaperEditView view(PaperEdit edit) {
        Map<String, Optional<ProjectTranscripts.TranscriptDocument>> documents = new HashMap<>();
        List<ElementView> views = new ArrayList<>();
        double seconds = 0;
        for (Element element : edit.elements()) {
            if (element.type() != Type.PAPER_CUT) {
                views.add(new ElementView(element.id(), element.type(), element.text(), null, null, null, null, null,
                        null));
                continue;
            }
            Optional<ProjectTranscripts.TranscriptDocument> doc = documents.computeIfAbsent(element.transcriptId(),
                    t -> transcripts.document(edit.project(), t));
            StringBuilder words = new StringBuilder();
            String speaker = null;
            if (doc.isPresent()) {
                for (Transcript.Word w : doc.get().words()) {
                    if (w.end() > element.start() && w.start() < element.end()) {
                        words.append(words.length() == 0 ? "" : " ").append(w.word());
                        if (speaker == null && w.speaker() != null) {
                            speaker = doc.get().speakers().getOrDefault(w.speaker(), w.speaker());
                        }
                    }
                }
            }
            seconds += element.end() - element.start();
            views.add(new ElementView(element.id(), element.type(), element.text(), element.transcriptId(),
                    doc.map(ProjectTranscripts.TranscriptDocument::title).orElse(null), element.start(),
                    element.end(), doc.isPresent() ? words.toString() : null, speaker));
        }
        return new PaperEditView(edit.id(), edit.project(), edit.title(), edit.description(), views, seconds,
                edit.by(), edit.createdAt(), edit.updatedAt(), edit.version());
    }

    private Element checked(String projectId, Element element) {
        if (element.type() == Type.PAPER_CUT) {
            transcripts.find(projectId, element.transcriptId()); // 404 when it is not the project's
            if (element.start() == null || element.end() == null || !(element.start() >= 0)
                    || !(element.end() > element.start()) || element.end() > ProjectAnnotations.MAX_SECONDS) {
                throw Refusal.invalid("bad-range", "a paper cut's start and end are seconds of its media, 0 <= start"
                        + " < end");
            }
            transcripts.checkWithin(projectId, element.transcriptId(), element.end());
            return new Element(element.id(), element.type(), null, element.transcriptId(), element.start(),
                    element.end());
        }
        if (element.text() == null || element.text().isBlank() || element.text().length() > 10_000) {
            throw Refusal.invalid("bad-text", "a " + element.type().name().toLowerCase(Locale.ROOT)
                    + " has a text of 1-10000 characters");
        }
        return new Element(element.id(), element.type(), element.text().strip(), null, null, null);
    }

    /** A paper cut takes a transcript and a range, the other elements a text; anything else asked is refused. */
    private static void fieldsFit(Type type, ElementRequest request) {
        if (type == Type.PAPER_CUT && request.text() != null) {
            throw Refusal.invalid("bad-element", "a paper cut takes transcriptId, start and end, not a text: its"
                    + " words are its transcript's");
        }
        if (type != Type.PAPER_CUT && (request.transcriptId() != null || request.start() != null
                || request.end() != null)) {
            throw Refusal.invalid("bad-element", "a " + type.name().toLowerCase(Locale.ROOT) + " takes a text, not"
                    + " transcriptId, start or end");
        }
    }

    private static Type type(String name) {
        try {
            return Type.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("bad-element", "type must be title, voice_over, note or paper_cut");
        }
    }

    private static int position(Integer position, int size) {
        if (position == null) {
            return size;
        }
        if (position < 0 || position > size) {
            throw Refusal.invalid("bad-position", "position must be between 0 and " + size);
        }
        return position;
    }

    private static int indexOf(List<Element> elements, String elementId) {
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).id().equals(elementId)) {
                return i;
            }
        }
        throw Refusal.notFound("element", elementId);
    }

    private static Element element(PaperEdit edit, String elementId) {
        return edit.elements().stream().filter(e -> e.id().equals(elementId)).findFirst()
                .orElseThrow(() -> Refusal.notFound("element", String.valueOf(elementId)));
    }

    private PaperEdit find(String projectId, String id) {
        return (id == null || !ID.matcher(id).matches() ? Optional.<PaperEdit>empty() : edits.find(id))
                .filter(e -> e.project().equals(projectId))
                .orElseThrow(() -> Refusal.notFound("paper edit", String.valueOf(id)));
    }


    private static String title(PaperEditRequest request, boolean required) {
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {title, description?} is required");
        }
        if (request.title() == null) {
            if (required) {
                throw Refusal.invalid("bad-title", "title must be 1-200 characters");
            }
            return null;
        }
        if (request.title().isBlank() || request.title().strip().length() > 200) {
            throw Refusal.invalid("bad-title", "title must be 1-200 characters");
        }
        if (request.description() != null && request.description().length() > 4000) {
            throw Refusal.invalid("bad-description", "description must be at most 4000 characters");
        }
        return request.title().strip();
    }

    private static String description(PaperEditRequest request) {
        return request.description() == null || request.description().isBlank() ? null
                : request.description().strip();
    }

    private static String newId() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
