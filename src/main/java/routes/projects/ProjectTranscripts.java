package routes.projects;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Role;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.assets.ObjectKeys;
import routes.problems.Refusal;
import routes.projects.ProjectTranscript.Revision;
import routes.projects.ProjectTranscript.Status;
import routes.store.VersionedTable;
import routes.stt.Transcript;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The transcripts of a project, one per media item: made from the asset's speech-to-text result (when it is not there
 * yet the transcript is {@code IN_PROGRESS} and picks it up when next read), or from captions the media already has
 * (SRT or WebVTT, timed by their cues), or from its text (aligned to the speech-to-text result: the words they share
 * take its times, the others share out the time between), corrected a range of words at a time
 * with {@link Corrections} (timings kept), each correction a new revision saved beside the others: revision 1, the
 * machine's, is never lost. A correction names the revision it was made on; when another was saved in between it is a
 * 409 that gives the current revision, so of two people saving at once one wins and the other sees what changed.
 * Speakers are named (and renamed) per transcript. Readers of the project read; editors change.
 */
public class ProjectTranscripts {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectTranscripts.class);

    /** Revisions a transcript keeps; its record would outgrow a DynamoDB item past them. */
    public static final int MAX_REVISIONS = 1000;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N} ._:-]{1,100}");

    private final VersionedTable<ProjectTranscript> transcripts;
    private final routes.jobs.JobStore jobs;
    private final ProjectService projects;
    private final AssetService assets;
    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;
    private final Clock clock;

    public ProjectTranscripts(VersionedTable<ProjectTranscript> transcripts, ProjectService projects,
            AssetService assets, routes.jobs.JobStore jobs, S3Client s3, String bucket, ObjectMapper json,
            Clock clock) {
        this.transcripts = transcripts;
        this.jobs = jobs;
        this.projects = projects;
        this.assets = assets;
        this.s3 = s3;
        this.bucket = bucket;
        this.json = json;
        this.clock = clock;
    }

    public static Map<String, String> attributes(ProjectTranscript transcript) {
        return ProjectService.itemAttributes("transcript", transcript.project(), transcript.createdAt());
    }

    /**
     * The body of {@code POST /projects/{id}/transcripts}: the asset, a title, and optionally its captions or text in
     * {@code format} {@code srt}, {@code vtt} (timed by their cues) or {@code text} (aligned to the asset's
     * speech-to-text result, whose times the matching words take).
     */
    public record TranscriptRequest(String assetId, String title, String captions, String format) {

        public TranscriptRequest(String assetId, String title) {
            this(assetId, title, null, null);
        }
    }

    /** The body of {@code POST .../corrections}: words {@code [from, to)} of revision {@code baseRevision} become {@code text}. */
    public record CorrectionRequest(Integer baseRevision, Integer from, Integer to, String text, String note) {
    }

    /** The body of {@code PUT .../speakers/{label}}: the name, or null to forget it. */
    public record SpeakerRequest(String name) {
    }

    /** A transcript as listed. */
    public record TranscriptSummary(String id, String assetId, String title, Status status, String error,
            int revision, Instant createdAt, Instant updatedAt) {
    }

    /** A transcript with the words of one revision. */
    public record TranscriptDocument(String id, String project, String assetId, String title, Status status,
            String error, int revision, int latestRevision, Map<String, String> speakers, String language,
            double duration, String text, List<Transcript.Word> words, List<Transcript.Paragraph> paragraphs,
            Instant updatedAt) {
    }

    /** One revision, as listed. */
    public record RevisionView(int number, Instant at, String by, String note) {
    }

    public TranscriptSummary create(String projectId, TranscriptRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        if (request == null || request.assetId() == null || request.assetId().isBlank()) {
            throw Refusal.invalid("missing-asset", "a JSON body {assetId, title?} is required: the video or audio"
                    + " asset to transcribe");
        }
        if (request.title() != null && request.title().strip().length() > 200) {
            throw Refusal.invalid("bad-title", "title must be at most 200 characters");
        }
        Asset asset;
        try {
            asset = assets.find(request.assetId(), caller);
        } catch (Refusal e) {
            if (e.kind() == Refusal.Kind.NOT_FOUND) {
                throw Refusal.invalid("unknown-asset", "asset " + request.assetId() + " is not one of yours");
            }
            throw e;
        }
        if (!"video".equals(asset.mediaKind()) && !"audio".equals(asset.mediaKind())) {
            throw Refusal.invalid("not-media", "asset " + asset.id() + " is " + asset.mediaKind()
                    + "; a transcript is of video or audio");
        }
        String title = request.title() == null || request.title().isBlank() ? asset.filename()
                : request.title().strip();
        String source = source(request);
        Transcript captions = source.equals("srt") || source.equals("vtt")
                ? Captions.read(request.captions(), source) : null;
        ProjectTranscript made = transcripts.insert(new ProjectTranscript(UUID.randomUUID().toString(), projectId,
                asset.id(), title, Status.IN_PROGRESS, null, source, Map.of(), List.of(), null, null, 0));
        ProjectTranscript current;
        if (captions != null) {
            Revision first = new Revision(1, key(made, 1), clock.instant(), caller.subject(), "imported " + source);
            write(first.key(), captions);
            current = transcripts.update(made.id(), t -> t.withRevision(first, Status.DONE));
        } else {
            if (source.equals("text")) {
                byte[] text = request.captions().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                s3.putObject(r -> r.bucket(bucket).key(pendingKey(made)).contentType("text/plain; charset=utf-8"),
                        RequestBody.fromBytes(text));
            }
            current = imported(made, caller.subject());
        }
        LOG.info("transcript {} of asset {} made in project {} by {} ({})", made.id(), asset.id(), projectId,
                caller.subject(), current.status());
        return summary(current);
    }

    public List<TranscriptSummary> list(String projectId, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        return ProjectService.itemsOf(transcripts, projectId, "transcript").stream()
                .map(ProjectTranscripts::summary).toList();
    }

    /** The transcript with the words of {@code revision} (the latest when null). */
    public TranscriptDocument get(String projectId, String id, Integer revision, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        ProjectTranscript transcript = imported(find(projectId, id), caller.subject());
        if (transcript.revisions().isEmpty()) {
            if (revision != null) {
                throw Refusal.notFound("revision", String.valueOf(revision));
            }
            return document(transcript, 0, new Transcript(null, 0, "", List.of(), List.of()));
        }
        int number = revision == null ? transcript.revision() : revision;
        if (number < 1 || number > transcript.revision()) {
            throw Refusal.notFound("revision", String.valueOf(revision));
        }
        return document(transcript, number, read(transcript.revisions().get(number - 1)));
    }

    /**
     * The transcript's asset, with presigned URLs of its original and renditions, for any member of the project
     * whoever owns the asset (a member reads the transcript, so they hear what it transcribes); 404 when the
     * transcript has no asset or it is gone.
     */
    public AssetService.AssetView media(String projectId, String id, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        ProjectTranscript transcript = find(projectId, id);
        return Optional.ofNullable(transcript.assetId()).flatMap(assets::lookUp).map(assets::view)
                .orElseThrow(() -> Refusal.notFound("media of transcript", id));
    }

    public List<RevisionView> revisions(String projectId, String id, Caller caller) {
        projects.role(projectId, caller, Role.READ);
        return find(projectId, id).revisions().stream()
                .map(r -> new RevisionView(r.number(), r.at(), r.by(), r.note())).toList();
    }

    /** A correction saved as a new revision; 409 when it was made on another revision than the latest. */
    public TranscriptDocument correct(String projectId, String id, CorrectionRequest request, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        if (request == null || request.baseRevision() == null || request.from() == null || request.to() == null) {
            throw Refusal.invalid("bad-correction", "a JSON body {baseRevision, from, to, text, note?} is required:"
                    + " words [from, to) of revision baseRevision become text");
        }
        if (request.text() != null && request.text().length() > 100_000) {
            throw Refusal.invalid("correction-too-large", "text must be at most 100000 characters");
        }
        if (request.note() != null && request.note().length() > 500) {
            throw Refusal.invalid("bad-note", "note must be at most 500 characters");
        }
        ProjectTranscript transcript = find(projectId, id);
        if (transcript.status() != Status.DONE) {
            throw Refusal.conflict("transcript-not-ready", "transcript " + id + " is " + transcript.status()
                    + ": it is corrected once its words are there");
        }
        int base = request.baseRevision();
        checkLatest(transcript, base);
        if (transcript.revision() >= MAX_REVISIONS) {
            throw Refusal.conflict("too-many-revisions", "a transcript keeps at most " + MAX_REVISIONS
                    + " revisions; make a new transcript of the asset to go on");
        }
        Transcript corrected = Corrections.replace(read(transcript.revisions().get(base - 1)), request.from(),
                request.to(), request.text());
        Revision revision = new Revision(base + 1, key(transcript, base + 1), clock.instant(), caller.subject(),
                request.note() == null || request.note().isBlank() ? null : request.note().strip());
        write(revision.key(), corrected);
        ProjectTranscript saved;
        try {
            saved = transcripts.update(id, current -> {
                checkLatest(current, base);
                return current.withRevision(revision, Status.DONE);
            });
        } catch (RuntimeException lost) {
            s3.deleteObject(r -> r.bucket(bucket).key(revision.key()));
            throw lost;
        }
        return document(saved, saved.revision(), corrected);
    }

    /** Names (or, with no name, un-names) speaker {@code label} of the transcript. */
    public TranscriptDocument nameSpeaker(String projectId, String id, String label, SpeakerRequest request,
            Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        if (label == null || !LABEL.matcher(label).matches()) {
            throw Refusal.invalid("bad-speaker", "a speaker label is 1-100 letters, digits, spaces or . _ : -");
        }
        String name = request == null || request.name() == null || request.name().isBlank() ? null
                : request.name().strip();
        if (name != null && name.length() > 100) {
            throw Refusal.invalid("bad-name", "a speaker's name is at most 100 characters");
        }
        find(projectId, id);
        ProjectTranscript saved = transcripts.update(id, t -> t.withSpeaker(label, name));
        return get(projectId, saved.id(), null, caller);
    }

    public void delete(String projectId, String id, Caller caller) {
        projects.role(projectId, caller, Role.EDIT);
        ProjectTranscript transcript = find(projectId, id);
        for (Revision revision : transcript.revisions()) {
            s3.deleteObject(r -> r.bucket(bucket).key(revision.key()));
        }
        s3.deleteObject(r -> r.bucket(bucket).key(pendingKey(transcript)));
        transcripts.delete(transcript.id());
    }

    /** Where the words come from: {@code stt}, or the captions' format ({@code srt}, {@code vtt}, {@code text}). */
    private static String source(TranscriptRequest request) {
        if (request.captions() == null) {
            if (request.format() != null) {
                throw Refusal.invalid("bad-captions", "format goes with captions: the SRT, WebVTT or text to import");
            }
            return "stt";
        }
        String format = request.format() == null ? "" : request.format().toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("srt") && !format.equals("vtt") && !format.equals("text")) {
            throw Refusal.invalid("bad-captions", "format must be srt, vtt or text");
        }
        if (request.captions().isBlank()) {
            throw Refusal.invalid("bad-captions", "the captions are empty");
        }
        return format;
    }

    private static String pendingKey(ProjectTranscript transcript) {
        return "projects/" + transcript.project() + "/transcripts/" + transcript.id() + "/pending.txt";
    }

    private static void checkLatest(ProjectTranscript transcript, int base) {
        if (base != transcript.revision()) {
            throw Refusal.conflict("stale-revision", "transcript " + transcript.id() + " is at revision "
                    + transcript.revision() + ", not " + base + ": read it again (GET) and make the correction on"
                    + " revision " + transcript.revision());
        }
    }

    /** The transcript with its first revision, from the asset's speech-to-text result, when that is there now. */
    private ProjectTranscript imported(ProjectTranscript transcript, String by) {
        if (transcript.status() == Status.DONE) {
            return transcript;
        }
        byte[] stored;
        try {
            stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(ObjectKeys.transcript(transcript.assetId())))
                    .asByteArray();
        } catch (NoSuchKeyException e) {
            return transcript.status() == Status.IN_PROGRESS ? failedOrWaiting(transcript) : transcript;
        }
        Transcript words;
        String note = "speech to text";
        try {
            words = json.readValue(stored, Transcript.class);
            if ("text".equals(transcript.source())) {
                String text;
                try {
                    text = s3.getObjectAsBytes(r -> r.bucket(bucket).key(pendingKey(transcript))).asUtf8String();
                } catch (NoSuchKeyException aligned) {
                    return find(transcript.project(), transcript.id()); // another reader aligned it meanwhile
                }
                words = Corrections.replace(words, 0, words.words().size(), text);
                note = "text aligned to speech to text";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Revision first = new Revision(1, key(transcript, 1), clock.instant(), by, note);
        write(first.key(), words);
        ProjectTranscript saved = transcripts.update(transcript.id(), current -> current.revision() > 0 ? current
                : current.withRevision(first, Status.DONE));
        if (!saved.revisions().get(0).key().equals(first.key())) {
            s3.deleteObject(r -> r.bucket(bucket).key(first.key())); // another reader imported it first
        } else if ("text".equals(transcript.source())) {
            s3.deleteObject(r -> r.bucket(bucket).key(pendingKey(transcript)));
        }
        return saved;
    }

    /**
     * The latest words of a project's transcript, for what is made from them (paper edits); empty when the
     * transcript is gone.
     */
    java.util.Optional<TranscriptDocument> document(String projectId, String id) {
        ProjectTranscript transcript;
        try {
            transcript = find(projectId, id);
        } catch (Refusal gone) {
            return java.util.Optional.empty();
        }
        if (transcript.revisions().isEmpty()) {
            return java.util.Optional.of(document(transcript, 0, new Transcript(null, 0, "", List.of(), List.of())));
        }
        return java.util.Optional.of(document(transcript, transcript.revision(),
                read(transcript.revisions().get(transcript.revision() - 1))));
    }

    /**
     * A 400 {@code bad-range} when {@code end} (seconds) lies past the end of the transcript's media, as far as its
     * words say (a transcript whose length is not known yet takes any end).
     */
    void checkWithin(String projectId, String id, double end) {
        document(projectId, id).ifPresent(doc -> {
            if (doc.duration() > 0 && end > doc.duration() + 0.5) {
                throw Refusal.invalid("bad-range", String.format(java.util.Locale.ROOT, "the range ends at %.2f s,"
                        + " past the end of %s (%.2f s)", end, doc.title(), doc.duration()));
            }
        });
    }

    /**
     * The transcript ERROR, with the reason, when the asset's pipeline ended without its speech-to-text result (the
     * stt step failed, was skipped for want of audio, or the job ended before it); else as it is, still waiting. An
     * ERROR transcript still picks the result up if one comes later (a redriven step).
     */
    private ProjectTranscript failedOrWaiting(ProjectTranscript transcript) {
        for (routes.jobs.Job job : jobs.list(null, transcript.assetId(), null, 20, null).items()) {
            if (!job.hasStep("stt")) {
                continue;
            }
            routes.jobs.JobStep stt = job.step("stt");
            String reason = switch (stt.status()) {
                case FAILED -> "speech to text failed: " + (stt.error() == null ? "no reason given" : stt.error());
                case SKIPPED -> "the media has no speech audio to transcribe";
                case CANCELLED -> "the asset's pipeline job " + job.id() + " was cancelled";
                default -> job.status().terminal() && stt.status() != routes.jobs.JobStatus.SUCCEEDED
                        ? "the asset's pipeline job " + job.id() + " ended " + job.status() + " before speech to text"
                        + (job.error() == null ? "" : ": " + job.error()) : null;
            };
            if (reason != null) {
                LOG.info("transcript {} of asset {}: {}", transcript.id(), transcript.assetId(), reason);
                return transcripts.update(transcript.id(),
                        t -> t.status() == Status.IN_PROGRESS ? t.failed(reason) : t);
            }
        }
        return transcript;
    }

    /** The transcript's record (no words), or 404 when it is not one of the project's. */
    ProjectTranscript find(String projectId, String id) {
        return (id == null || !ID.matcher(id).matches() ? java.util.Optional.<ProjectTranscript>empty()
                : transcripts.find(id)).filter(t -> t.project().equals(projectId))
                .orElseThrow(() -> Refusal.notFound("transcript", String.valueOf(id)));
    }

    private String key(ProjectTranscript transcript, int number) {
        byte[] token = new byte[6];
        ThreadLocalRandom.current().nextBytes(token);
        return "projects/" + transcript.project() + "/transcripts/" + transcript.id() + "/r" + number + "-"
                + HexFormat.of().formatHex(token) + ".json";
    }

    private void write(String key, Transcript words) {
        try {
            byte[] body = json.writeValueAsBytes(words);
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Transcript read(Revision revision) {
        try {
            return json.readValue(s3.getObjectAsBytes(r -> r.bucket(bucket).key(revision.key())).asByteArray(),
                    Transcript.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TranscriptSummary summary(ProjectTranscript t) {
        return new TranscriptSummary(t.id(), t.assetId(), t.title(), t.status(), t.error(), t.revision(),
                t.createdAt(), t.updatedAt());
    }

    private static TranscriptDocument document(ProjectTranscript t, int revision, Transcript words) {
        return new TranscriptDocument(t.id(), t.project(), t.assetId(), t.title(), t.status(), t.error(), revision,
                t.revision(), t.speakers(), words.language(), words.duration(), words.text(), words.words(),
                words.paragraphs(), t.updatedAt());
    }
}
