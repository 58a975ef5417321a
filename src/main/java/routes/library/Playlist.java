package routes.library;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import routes.store.Versioned;

/** A named, ordered list of library items (asset ids), made by its owner and shared with members. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Playlist(String id, String owner, String name, String description, List<String> items,
        Instant createdAt, Instant updatedAt, long version) implements Versioned<Playlist> {

    public Playlist {
        items = items == null ? List.of() : List.copyOf(items);
    }

    Playlist with(String newName, String newDescription, List<String> newItems) {
        return new Playlist(id, owner, newName, newDescription, newItems, createdAt, updatedAt, version);
    }

    @Override
    public Playlist stamped(Instant now, long newVersion) {
        return new Playlist(id, owner, name, description, items, createdAt == null ? now : createdAt, now, newVersion);
    }
}
