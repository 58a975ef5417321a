package routes.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import routes.store.Versioned;

/** A paper-edit project: its owner, name and description. Who else may read or edit it is in {@link Membership}s. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Project(String id, String owner, String name, String description, Instant createdAt, Instant updatedAt,
        long version) implements Versioned<Project> {

    Project renamed(String newName, String newDescription) {
        return new Project(id, owner, newName, newDescription, createdAt, updatedAt, version);
    }

    @Override
    public Project stamped(Instant now, long newVersion) {
        return new Project(id, owner, name, description, createdAt == null ? now : createdAt, now, newVersion);
    }
}
