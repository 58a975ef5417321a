package routes.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import routes.store.Versioned;

/** A label of a project, for annotations: a name, a colour ({@code #rrggbb}) and what it is for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Label(String id, String project, String name, String colour, String description, Instant createdAt,
        Instant updatedAt, long version) implements Versioned<Label> {

    Label changed(String newName, String newColour, String newDescription) {
        return new Label(id, project, newName, newColour, newDescription, createdAt, updatedAt, version);
    }

    @Override
    public Label stamped(Instant now, long newVersion) {
        return new Label(id, project, name, colour, description, createdAt == null ? now : createdAt, now, newVersion);
    }
}
