package routes.projects;

import java.time.Instant;
import routes.access.Memberships;
import routes.access.Role;
import routes.store.Versioned;

/** A user's role in a project: {@link Role#OWNER} (one, who made it), {@link Role#EDIT} or {@link Role#READ}. */
public record Membership(String id, String project, String user, Role role, Instant createdAt, Instant updatedAt,
        long version) implements Versioned<Membership>, Memberships.Member<Membership> {

    static String idOf(String project, String user) {
        return "member:" + project + ":" + user;
    }

    static Membership of(String project, String user, Role role) {
        return new Membership(idOf(project, user), project, user, role, null, null, 0);
    }

    @Override
    public Membership withRole(Role newRole) {
        return new Membership(id, project, user, newRole, createdAt, updatedAt, version);
    }

    @Override
    public Membership stamped(Instant now, long newVersion) {
        return new Membership(id, project, user, role, createdAt == null ? now : createdAt, now, newVersion);
    }
}
