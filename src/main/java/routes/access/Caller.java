package routes.access;

import java.util.Set;

/**
 * Who is asking: the subject of a signed-in request (a token's {@code sub}, or the owner of an API key), whether it
 * is an admin, the scopes it was granted, and whether it came with an API key rather than a token. Every resource it
 * makes is its own; it reads and changes only its own, unless it is an admin.
 */
public record Caller(String subject, boolean admin, Set<String> scopes, boolean byApiKey) {

    /** The request attribute the sign-in filter leaves the caller in. */
    public static final String ATTRIBUTE = "routes.access.Caller";

    public Caller {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a caller has a subject");
        }
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    /** Whether this caller may see and change what {@code owner} owns: its own, or anything for an admin. */
    public boolean mayUse(String owner) {
        return admin || subject.equals(owner);
    }

    /** The owner to list by: this caller's subject, or null (everyone's) for an admin. */
    public String listingOwner() {
        return admin ? null : subject;
    }
}
