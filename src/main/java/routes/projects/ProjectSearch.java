package routes.projects;

import java.util.ArrayList;
import java.util.List;
import routes.access.Role;
import routes.access.Caller;
import routes.problems.Refusal;
import routes.stt.Transcript;

/**
 * Words and phrases across a project's transcripts (their latest revisions): a hit is where the words of the query
 * follow one another, compared without case and surrounding punctuation, given as the transcript, the time, the
 * words around it and who said them; optionally only what one speaker said (by label or by the name given), or only
 * inside the annotations of one label. It reads the transcripts themselves, so it sees a correction at once.
 */
public class ProjectSearch {

    public static final int MAX_HITS = 200;
    static final int CONTEXT_WORDS = 8;

    private final ProjectService projects;
    private final ProjectTranscripts transcripts;
    private final ProjectAnnotations annotations;

    public ProjectSearch(ProjectService projects, ProjectTranscripts transcripts, ProjectAnnotations annotations) {
        this.projects = projects;
        this.transcripts = transcripts;
        this.annotations = annotations;
    }

    /** One place the query was found. */
    public record Hit(String transcriptId, String title, double start, double end, String words, String context,
            String speaker) {
    }

    /** The hits, in transcript order then time; {@code truncated} when there were more than {@code limit}. */
    public record Hits(String query, List<Hit> hits, boolean truncated) {
    }

    public Hits search(String projectId, String query, String speaker, String labelId, Integer limit, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        List<String> terms = new ArrayList<>();
        for (String token : (query == null ? "" : query).strip().split("\\s+")) {
            String term = Corrections.normal(token);
            if (!term.isEmpty()) {
                terms.add(term);
            }
        }
        if (terms.isEmpty() || terms.size() > 20 || query.length() > 500) {
            throw Refusal.invalid("bad-query", "q is 1 to 20 words (at most 500 characters)");
        }
        int max = limit == null ? 50 : limit;
        if (max < 1 || max > MAX_HITS) {
            throw Refusal.invalid("bad-limit", "limit must be between 1 and " + MAX_HITS);
        }
        List<Annotation> marked = labelId == null || labelId.isBlank() ? null
                : annotations.annotations(projectId, null, labelId, caller);
        List<Hit> hits = new ArrayList<>();
        boolean truncated = false;
        for (ProjectTranscripts.TranscriptSummary summary : transcripts.list(projectId, caller)) {
            var doc = transcripts.document(projectId, summary.id()).orElse(null);
            if (doc == null) {
                continue;
            }
            List<Transcript.Word> words = doc.words();
            for (int i = 0; i + terms.size() <= words.size(); i++) {
                if (!matches(words, i, terms)) {
                    continue;
                }
                Transcript.Word first = words.get(i);
                Transcript.Word last = words.get(i + terms.size() - 1);
                String said = first.speaker() == null ? null : doc.speakers().getOrDefault(first.speaker(),
                        first.speaker());
                if (speaker != null && !speaker.isBlank() && !speaker.equals(first.speaker())
                        && !speaker.equals(said)) {
                    continue;
                }
                if (marked != null && marked.stream().noneMatch(a -> a.transcriptId().equals(summary.id())
                        && a.start() <= first.start() && last.end() <= a.end())) {
                    continue;
                }
                if (hits.size() == max) {
                    truncated = true;
                    break;
                }
                hits.add(new Hit(summary.id(), summary.title(), first.start(), last.end(),
                        join(words, i, i + terms.size()), join(words, Math.max(0, i - CONTEXT_WORDS),
                        Math.min(words.size(), i + terms.size() + CONTEXT_WORDS)), said));
            }
            if (truncated) {
                break;
            }
        }
        return new Hits(query.strip(), hits, truncated);
    }

    private static boolean matches(List<Transcript.Word> words, int at, List<String> terms) {
        for (int k = 0; k < terms.size(); k++) {
            if (!Corrections.normal(words.get(at + k).word()).equals(terms.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static String join(List<Transcript.Word> words, int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(text.length() == 0 ? "" : " ").append(words.get(i).word());
        }
        return text.toString();
    }
}
