package routes.access;

import java.util.Locale;
import routes.problems.Refusal;

/** What a member of a shared resource (a project, a playlist) may do; each role may do what the ones before it may. */
public enum Role {
    READ, EDIT, OWNER;

    /** Whether this role may do what {@code needed} may. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role a request gives another member: {@code read} or {@code edit}, any case; anything else is a 400. */
    public static Role granted(String requested) {
        String role = requested == null ? "" : requested.toLowerCase(Locale.ROOT);
        return switch (role) {
            case "read" -> READ;
            case "edit" -> EDIT;
            default -> throw Refusal.invalid("bad-role", "role must be read or edit");
        };
    }

    String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
