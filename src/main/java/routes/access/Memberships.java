package routes.access;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import routes.problems.Refusal;
import routes.store.Versioned;
import routes.store.VersionedTable;

/**
 * Who may use a resource shared with members (a project, a playlist): one membership document per member in a table,
 * the owner's among them. A caller who is no member gets 404, as for a missing resource; a member whose role does not
 * allow what is asked gets 403 ({@code <what>-role}); an admin may do everything. Only the owner adds, changes and
 * removes members, and the owner's own membership stays.
 */
public abstract class Memberships<M extends Versioned<M> & Memberships.Member<M>> {

    /** A user's membership of one resource. */
    public interface Member<M> {
        String id();

        String user();

        Role role();

        M withRole(Role role);
    }

    /** How a member is named: the subject of their sign-in. */
    public static final Pattern USER = Pattern.compile("[\\p{L}\\p{N}._@:|+-]{1,200}");

    private final String what;
    private final VersionedTable<M> table;
    private final Pattern ids;
    private final int max;

    /**
     * @param what the resource's name in answers ({@code project})
     * @param ids the form of the resource's ids: anything else is a missing resource
     * @param max the most members a resource has
     */
    protected Memberships(String what, VersionedTable<M> table, Pattern ids, int max) {
        this.what = what;
        this.table = table;
        this.ids = ids;
        this.max = max;
    }

    /** The id of {@code user}'s membership of {@code resource}. */
    protected abstract String idOf(String resource, String user);

    /** A new membership. */
    protected abstract M of(String resource, String user, Role role);

    /** Every membership of {@code resource}. */
    public abstract List<M> all(String resource);

    /** The owner of {@code resource}, or nothing when it does not exist. */
    protected abstract Optional<String> ownerOf(String resource);

    /**
     * The caller's role in {@code resource} when it allows {@code needed}; no member (or no such resource): 404; a
     * role too small: 403.
     */
    public Role role(String resource, Caller caller, Role needed) {
        if (resource == null || !ids.matcher(resource).matches()) {
            throw Refusal.notFound(what, String.valueOf(resource));
        }
        Role role;
        if (caller.admin()) {
            ownerOf(resource).orElseThrow(() -> Refusal.notFound(what, resource));
            role = Role.OWNER;
        } else {
            role = table.find(idOf(resource, caller.subject())).map(Member::role)
                    .orElseThrow(() -> Refusal.notFound(what, resource));
        }
        if (!role.allows(needed)) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, what + "-role", null, "this needs the " + needed.lower()
                    + " role in " + what + " " + resource + "; yours is " + role.lower());
        }
        return role;
    }

    /** Makes {@code user} the owner's first member of a new resource. */
    public M owner(String resource, String user) {
        return table.insert(of(resource, user, Role.OWNER));
    }

    /** Adds a member who reads or edits, or changes a member's role (the owner; the owner's own role stays). */
    public M put(String resource, String user, String requested, Caller caller) {
        role(resource, caller, Role.OWNER);
        if (user == null || !USER.matcher(user).matches()) {
            throw Refusal.invalid("bad-user", "a member is named by the subject of their sign-in (1-200 characters)");
        }
        Role role = Role.granted(requested);
        if (ownerOf(resource).map(user::equals).orElse(false)) {
            throw Refusal.conflict("owner-role", "the owner's role is owner; it is not changed");
        }
        M current = table.find(idOf(resource, user)).orElse(null);
        if (current != null) {
            return table.update(current.id(), m -> m.role() == role ? m : m.withRole(role));
        }
        if (all(resource).size() >= max) {
            throw Refusal.conflict("too-many-members", "a " + what + " has at most " + max + " members");
        }
        return table.insert(of(resource, user, role));
    }

    /** Removes a member (the owner; the owner stays). */
    public void remove(String resource, String user, Caller caller) {
        role(resource, caller, Role.OWNER);
        if (user != null && ownerOf(resource).map(user::equals).orElse(false)) {
            throw Refusal.conflict("owner-role", "the owner is not removed; delete the " + what + " instead");
        }
        M current = user == null ? null : table.find(idOf(resource, user)).orElse(null);
        if (current == null) {
            throw Refusal.notFound("member", String.valueOf(user));
        }
        table.delete(current.id());
    }
}
