package routes.projects;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Caller;
import routes.access.Memberships;
import routes.access.Role;
import routes.problems.Refusal;
import routes.store.Page;
import routes.store.TableSchema;
import routes.store.VersionedTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Projects and who may use them. A project is made by its owner; the owner adds members who may read it or edit it.
 * Everything of a project (its transcripts now; labels, annotations and paper edits as they come) is kept in the same
 * table, found through the {@value #PROJECT_INDEX} index, and its files under {@code projects/{id}/} in the bucket,
 * so deleting the project deletes what only it holds. A project a caller is not a member of answers 404, as a missing
 * one does; an admin may use every project.
 */
public class ProjectService {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectService.class);

    static final String MEMBER_INDEX = "member-by-created";
    static final String PROJECT_INDEX = "project-by-created";
    static final String MEMBER_KEY = "member";
    static final String PROJECT_KEY = "project";
    static final String KIND = "kind";
    public static final int MAX_PAGE = 100;
    public static final int MAX_MEMBERS = 200;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final VersionedTable<Project> projects;
    private final VersionedTable<Membership> members;
    private final S3Client s3;
    private final String bucket;
    private final Memberships<Membership> access;

    public ProjectService(VersionedTable<Project> projects, VersionedTable<Membership> members, S3Client s3,
            String bucket) {
        this.projects = projects;
        this.members = members;
        this.s3 = s3;
        this.bucket = bucket;
        this.access = new Memberships<>("project", members, ID, MAX_MEMBERS) {
            @Override
            protected String idOf(String project, String user) {
                return Membership.idOf(project, user);
            }

            @Override
            protected Membership of(String project, String user, Role role) {
                return Membership.of(project, user, role);
            }

            @Override
            public List<Membership> all(String project) {
                return itemsOf(members, project, "membership");
            }

            @Override
            protected java.util.Optional<String> ownerOf(String project) {
                return projects.find(project).map(Project::owner);
            }
        };
    }

    /** The table: projects, memberships (by member) and what projects hold (by project). */
    public static TableSchema schema(String table) {
        return new TableSchema(table, false, List.of(new TableSchema.Index(MEMBER_INDEX, MEMBER_KEY, "createdAt"),
                new TableSchema.Index(PROJECT_INDEX, PROJECT_KEY, "createdAt")));
    }

    public static Map<String, String> attributes(Project project) {
        return Map.of(KIND, "project", "createdAt", project.createdAt().toString());
    }

    /** The attributes of an item a project holds, of {@code kind}: found by its project, newest first. */
    static Map<String, String> itemAttributes(String kind, String project, java.time.Instant createdAt) {
        return Map.of(KIND, kind, PROJECT_KEY, project, "createdAt", createdAt.toString());
    }

    public static Map<String, String> attributes(Membership membership) {
        return Map.of(KIND, "membership", MEMBER_KEY, membership.user(), PROJECT_KEY, membership.project(),
                "createdAt", membership.createdAt().toString());
    }

    /** The body of {@code POST /projects} and {@code PATCH /projects/{id}}. */
    public record ProjectRequest(String name, String description) {
    }

    /** A project as a caller sees it, with the caller's role in it. */
    public record ProjectView(String id, String name, String description, String owner, Role role,
            java.time.Instant createdAt, java.time.Instant updatedAt, long version) {
    }

    /** A page of projects; {@code nextCursor} is null on the last one. */
    public record ProjectPage(List<ProjectView> items, String nextCursor) {
    }

    /** The body of {@code PUT /projects/{id}/members/{user}}. */
    public record MemberRequest(String role) {
    }

    /** A member as listed. */
    public record MemberView(String user, Role role, java.time.Instant since) {
    }

    public ProjectView create(ProjectRequest request, Caller caller) {
        checked(request, true);
        Project project = projects.insert(new Project(UUID.randomUUID().toString(), caller.subject(),
                request.name().strip(), description(request), null, null, 0));
        access.owner(project.id(), caller.subject());
        LOG.info("project {} ({}) made by {}", project.id(), project.name(), caller.subject());
        return view(project, Role.OWNER);
    }

    /** The projects the caller is a member of, newest membership first. */
    public ProjectPage list(Integer limit, String cursor, Caller caller) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw Refusal.invalid("bad-limit", "limit must be between 1 and " + MAX_PAGE);
        }
        Page<Membership> page;
        try {
            page = members.page(MEMBER_INDEX, MEMBER_KEY, caller.subject(), null, null, size, cursor);
        } catch (IllegalArgumentException badCursor) {
            throw Refusal.invalid("bad-cursor", badCursor.getMessage());
        }
        List<ProjectView> views = new ArrayList<>();
        for (Membership m : page.items()) {
            projects.find(m.project()).ifPresent(p -> views.add(view(p, m.role())));
        }
        return new ProjectPage(views, page.nextCursor());
    }

    public ProjectView get(String id, Caller caller) {
        Role role = role(id, caller, Role.READ);
        return view(project(id), role);
    }

    /** A new name and/or description (members who edit). */
    public ProjectView update(String id, ProjectRequest request, Caller caller) {
        Role role = role(id, caller, Role.EDIT);
        checked(request, false);
        Project updated = projects.update(id, p -> p.renamed(
                request.name() == null ? p.name() : request.name().strip(),
                request.description() == null ? p.description() : description(request)));
        return view(updated, role);
    }

    /** The project and everything only it holds: its items and its files (the owner). */
    public void delete(String id, Caller caller) {
        role(id, caller, Role.OWNER);
        int deleted = deleteItems(id);
        int files = deleteFiles("projects/" + id + "/");
        projects.delete(id);
        LOG.info("project {} deleted by {}: {} items, {} files", id, caller.subject(), deleted, files);
    }

    public List<MemberView> members(String id, Caller caller) {
        role(id, caller, Role.READ);
        return memberships(id).stream().map(m -> new MemberView(m.user(), m.role(), m.createdAt())).toList();
    }

    /** Adds a member, or changes a member's role (the owner; the owner's own role stays). */
    public MemberView putMember(String id, String user, MemberRequest request, Caller caller) {
        Membership stored = access.put(id, user, request == null ? null : request.role(), caller);
        return new MemberView(stored.user(), stored.role(), stored.createdAt());
    }

    /** Removes a member (the owner; the owner stays). */
    public void removeMember(String id, String user, Caller caller) {
        access.remove(id, user, caller);
    }

    /**
     * The caller's role in project {@code id} when it allows {@code needed}: a project the caller is not a member of
     * is a 404 (as a missing one), a role that does not allow what is asked a 403.
     */
    public Role role(String id, Caller caller, Role needed) {
        return access.role(id, caller, needed);
    }

    private Project project(String id) {
        return projects.find(id).orElseThrow(() -> Refusal.notFound("project", id));
    }

    private List<Membership> memberships(String id) {
        return access.all(id);
    }

    /** Every item of project {@code projectId} of {@code kind} in {@code table}, newest first, all pages read. */
    static <T extends routes.store.Versioned<T>> List<T> itemsOf(VersionedTable<T> table, String projectId,
            String kind) {
        List<T> all = new ArrayList<>();
        String start = null;
        do {
            Page<T> page = table.page(PROJECT_INDEX, PROJECT_KEY, projectId, KIND, kind, MAX_PAGE, start);
            all.addAll(page.items());
            start = page.nextCursor();
        } while (start != null);
        return all;
    }

    /** Every item of project {@code id} (memberships, transcripts and the rest, whatever their kind), by its index. */
    private int deleteItems(String id) {
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = members.client().query(r -> r.tableName(members.table()).indexName(PROJECT_INDEX)
                    .keyConditionExpression("#p = :p").expressionAttributeNames(Map.of("#p", PROJECT_KEY))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(id))).projectionExpression("id")
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                members.delete(item.get("id").s());
                count++;
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private int deleteFiles(String prefix) {
        int count = 0;
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response listing = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)
                    .continuationToken(continuation));
            for (S3Object object : listing.contents()) {
                s3.deleteObject(r -> r.bucket(bucket).key(object.key()));
                count++;
            }
            token = listing.isTruncated() ? listing.nextContinuationToken() : null;
        } while (token != null);
        return count;
    }

    private static void checked(ProjectRequest request, boolean nameRequired) {
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {name, description?} is required");
        }
        if (request.name() == null ? nameRequired : request.name().isBlank() || request.name().strip().length() > 200) {
            throw Refusal.invalid("bad-name", "name must be 1-200 characters");
        }
        if (request.description() != null && request.description().length() > 4000) {
            throw Refusal.invalid("bad-description", "description must be at most 4000 characters");
        }
    }

    private static String description(ProjectRequest request) {
        return request.description() == null || request.description().isBlank() ? null : request.description().strip();
    }

    private static ProjectView view(Project p, Role role) {
        return new ProjectView(p.id(), p.name(), p.description(), p.owner(), role, p.createdAt(), p.updatedAt(),
                p.version());
    }
}
