package routes.library;

import java.time.Instant;
import routes.access.Memberships;
import routes.access.Role;
import routes.store.Versioned;

/** A user's role in a playlist: its owner, or a member who reads (and plays) or edits it. */
public record PlaylistMember(String id, String playlist, String user, Role role, Instant createdAt,
        Instant updatedAt, long version) implements Versioned<PlaylistMember>, Memberships.Member<PlaylistMember> {

    static String idOf(String playlist, String user) {
        return "playlist-member:" + playlist + ":" + user;
    }

    static PlaylistMember of(String playlist, String user, Role role) {
        return new PlaylistMember(idOf(playlist, user), playlist, user, role, null, null, 0);
    }

    @Override
    public PlaylistMember withRole(Role newRole) {
        return new PlaylistMember(id, playlist, user, newRole, createdAt, updatedAt, version);
    }

    @Override
    public PlaylistMember stamped(Instant now, long newVersion) {
        return new PlaylistMember(id, playlist, user, role, createdAt == null ? now : createdAt, now, newVersion);
    }
}
