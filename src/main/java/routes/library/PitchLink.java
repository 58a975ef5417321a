package routes.library;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import routes.store.Versioned;

/**
 * A playlist or an item shared with one outside recipient through an unguessable link ({@code id}, the token in its
 * URL): until it expires or is revoked, at most {@code maxUses} opens, behind a password when it has one; streaming
 * and downloads (of the original or a transcoded MP3/AAC) each allowed or not. What the recipient did is counted
 * here: opens, plays and downloads, in all and per item.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PitchLink(String id, String owner, String playlistId, String assetId, String recipientName,
        String recipientEmail, String message, Instant expiresAt, Integer maxUses, String passwordHash,
        boolean stream, String download, Instant revokedAt, long opens, long plays, long downloads,
        Map<String, Long> itemPlays, Map<String, Long> itemDownloads, Instant lastOpenedAt, Instant createdAt,
        Instant updatedAt, long version) implements Versioned<PitchLink> {

    public PitchLink {
        itemPlays = itemPlays == null ? Map.of() : Map.copyOf(itemPlays);
        itemDownloads = itemDownloads == null ? Map.of() : Map.copyOf(itemDownloads);
    }

    PitchLink revoked(Instant at) {
        return new PitchLink(id, owner, playlistId, assetId, recipientName, recipientEmail, message, expiresAt,
                maxUses, passwordHash, stream, download, at, opens, plays, downloads, itemPlays, itemDownloads,
                lastOpenedAt, createdAt, updatedAt, version);
    }

    PitchLink counted(long moreOpens, long morePlays, long moreDownloads, Map<String, Long> plays2,
            Map<String, Long> downloads2, Instant openedAt) {
        return new PitchLink(id, owner, playlistId, assetId, recipientName, recipientEmail, message, expiresAt,
                maxUses, passwordHash, stream, download, revokedAt, opens + moreOpens, plays + morePlays,
                downloads + moreDownloads, plays2, downloads2, openedAt, createdAt, updatedAt, version);
    }

    @Override
    public PitchLink stamped(Instant now, long newVersion) {
        return new PitchLink(id, owner, playlistId, assetId, recipientName, recipientEmail, message, expiresAt,
                maxUses, passwordHash, stream, download, revokedAt, opens, plays, downloads, itemPlays, itemDownloads,
                lastOpenedAt, createdAt == null ? now : createdAt, now, newVersion);
    }
}
