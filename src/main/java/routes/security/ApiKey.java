package routes.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Set;
import routes.store.Versioned;

/**
 * An API key as it is kept: whose it is, its name, its scopes ({@code read}, {@code write}, {@code admin}), when it
 * expires or was revoked, and the SHA-256 of its secret (never the secret: the key is shown once, when it is made).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKey(String id, String owner, String name, Set<String> scopes, String secretSha256, Instant expiresAt,
        Instant revokedAt, Instant createdAt, Instant updatedAt, long version) implements Versioned<ApiKey> {

    public ApiKey {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    static ApiKey made(String id, String owner, String name, Set<String> scopes, String secretSha256,
            Instant expiresAt) {
        return new ApiKey(id, owner, name, scopes, secretSha256, expiresAt, null, null, null, 0);
    }

    ApiKey revoked(Instant at) {
        return revokedAt != null ? this
                : new ApiKey(id, owner, name, scopes, secretSha256, expiresAt, at, createdAt, updatedAt, version);
    }

    /** Whether it still opens the API at {@code now}: not revoked, not expired. */
    boolean valid(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    @Override
    public ApiKey stamped(Instant now, long newVersion) {
        return new ApiKey(id, owner, name, scopes, secretSha256, expiresAt, revokedAt,
                createdAt == null ? now : createdAt, now, newVersion);
    }
}
