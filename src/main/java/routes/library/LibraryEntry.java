package routes.library;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import routes.store.Versioned;

/**
 * What the library keeps of one asset beside the asset itself: its owner's tag {@code edits} over the file's tags,
 * its {@code labels} (free tags such as "upbeat") and the users it is {@code sharedWith} (who may read and play it).
 * Made the first time one of them changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LibraryEntry(String id, String assetId, String owner, MusicTags edits, List<String> labels,
        List<String> sharedWith, Instant createdAt, Instant updatedAt, long version)
        implements Versioned<LibraryEntry> {

    public LibraryEntry {
        edits = edits == null ? MusicTags.NONE : edits;
        labels = labels == null ? List.of() : List.copyOf(labels);
        sharedWith = sharedWith == null ? List.of() : List.copyOf(sharedWith);
    }

    static String idOf(String assetId) {
        return "item:" + assetId;
    }

    static LibraryEntry of(String assetId, String owner) {
        return new LibraryEntry(idOf(assetId), assetId, owner, null, null, null, null, null, 0);
    }

    LibraryEntry with(MusicTags newEdits, List<String> newLabels, List<String> newSharedWith) {
        return new LibraryEntry(id, assetId, owner, newEdits, newLabels, newSharedWith, createdAt, updatedAt, version);
    }

    @Override
    public LibraryEntry stamped(Instant now, long newVersion) {
        return new LibraryEntry(id, assetId, owner, edits, labels, sharedWith, createdAt == null ? now : createdAt, now,
                newVersion);
    }
}
