package routes.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import routes.access.Caller;
import routes.problems.Refusal;
import routes.store.Page;
import routes.store.TableSchema;
import routes.store.VersionedTable;

/**
 * API keys for scripts and CI: made by a signed-in user (with a token, not with another key), shown once as
 * {@code cvk_<id>_<secret>}, kept only as the SHA-256 of the secret (a random 256-bit secret needs no slow hash),
 * scoped ({@code read}: reading only; {@code write}: also uploading, changing and deleting; {@code admin}: also the
 * operator endpoints, for an admin's key only), expiring, listed and revocable by their owner. A key is looked up
 * at most every few seconds per process, so a revoked key stops working at once here and within that time on other
 * processes.
 */
public class ApiKeys {

    /** The header a key may come in instead of {@code Authorization: Bearer}. */
    public static final String HEADER = "X-Api-Key";
    public static final String PREFIX = "cvk_";
    public static final Set<String> SCOPES = Set.of("read", "write", "admin");
    public static final int MAX_DAYS = 365;
    public static final int MAX_KEYS = 100;

    static final String OWNER_INDEX = "owner-by-created";
    static final String OWNER_KEY = "owner";
    private static final Pattern KEY = Pattern.compile("cvk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    /** A key's id: the 16 hex digits after cvk_. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._:/@-]{1,100}");
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    private final VersionedTable<ApiKey> keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Optional<ApiKey>> recent;

    public ApiKeys(VersionedTable<ApiKey> keys, Clock clock, Duration lookupTtl) {
        this.keys = keys;
        this.clock = clock;
        this.recent = Caffeine.newBuilder().expireAfterWrite(lookupTtl).maximumSize(10_000).build();
    }

    /** The keys table: one owner's keys listed newest first. */
    public static TableSchema schema(String table) {
        return new TableSchema(table, false, List.of(new TableSchema.Index(OWNER_INDEX, OWNER_KEY, "createdAt")));
    }

    static Map<String, String> attributes(ApiKey key) {
        return Map.of(OWNER_KEY, key.owner(), "createdAt", key.createdAt().toString());
    }

    /** The body of {@code POST /api-keys}. */
    public record KeyRequest(String name, List<String> scopes, Integer expiresInDays) {
    }

    /** A key as its owner sees it: never its secret. */
    public record KeyView(String id, String name, Set<String> scopes, Instant createdAt, Instant expiresAt,
            Instant revokedAt, boolean valid) {
    }

    /** A key just made: the key itself, shown this once. */
    public record MadeKey(String key, KeyView apiKey) {
    }

    /** {@code POST /api-keys}: a new key of the caller's. */
    public MadeKey create(KeyRequest request, Caller caller) {
        if (caller.byApiKey()) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "token-required", null,
                    "API keys are made with a signed-in user's token, not with another API key");
        }
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {name, scopes[], expiresInDays?} is required");
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw Refusal.invalid("bad-name", "name must be 1-100 letters, digits, spaces or . _ : / @ -");
        }
        Set<String> scopes = new LinkedHashSet<>(request.scopes() == null ? List.of() : request.scopes());
        if (scopes.isEmpty() || !SCOPES.containsAll(scopes)) {
            throw Refusal.invalid("bad-scopes", "scopes must be one or more of read, write, admin");
        }
        if (scopes.contains("admin") && !caller.admin()) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "not-admin", null, "only an admin makes keys with admin scope");
        }
        int days = request.expiresInDays() == null ? 90 : request.expiresInDays();
        if (days < 1 || days > MAX_DAYS) {
            throw Refusal.invalid("bad-expiry", "expiresInDays must be between 1 and " + MAX_DAYS);
        }
        if (keys.page(OWNER_INDEX, OWNER_KEY, caller.subject(), null, null, MAX_KEYS, null).items().stream()
                .filter(k -> k.valid(clock.instant())).count() >= MAX_KEYS) {
            throw Refusal.conflict("too-many-keys", "a user has at most " + MAX_KEYS + " keys in use; revoke some");
        }
        String id = HexFormat.of().formatHex(bytes(8));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        ApiKey key = keys.insert(ApiKey.made(id, caller.subject(), request.name(), scopes, sha256(secret),
                clock.instant().plus(Duration.ofDays(days))));
        LOG.info("API key {} ({}) made for {} with scopes {}", id, key.name(), caller.subject(), scopes);
        return new MadeKey(PREFIX + id + "_" + secret, view(key));
    }

    /** {@code GET /api-keys}: the caller's keys, newest first. */
    public List<KeyView> list(Caller caller) {
        Page<ApiKey> page = keys.page(OWNER_INDEX, OWNER_KEY, caller.subject(), null, null, MAX_KEYS * 2, null);
        return page.items().stream().map(this::view).toList();
    }

    /** {@code DELETE /api-keys/{id}}: the caller's key revoked (another's is as unknown as a missing one). */
    public KeyView revoke(String id, Caller caller) {
        ApiKey key = (id == null || !ID.matcher(id).matches() ? Optional.<ApiKey>empty() : keys.find(id))
                .filter(k -> k.owner().equals(caller.subject()) || caller.admin())
                .orElseThrow(() -> Refusal.notFound("API key", String.valueOf(id)));
        ApiKey revoked = keys.update(key.id(), k -> k.revoked(clock.instant()));
        recent.invalidate(key.id());
        LOG.info("API key {} revoked by {}", key.id(), caller.subject());
        return view(revoked);
    }

    /**
     * The authentication a presented key stands for.
     *
     * @throws BadCredentialsException when it is not a key, unknown, revoked or expired
     */
    KeyAuthentication authenticate(String presented, String adminRole) {
        Matcher matcher = KEY.matcher(presented == null ? "" : presented.strip());
        if (!matcher.matches()) {
            throw new BadCredentialsException("not an API key");
        }
        ApiKey key = recent.get(matcher.group(1), id -> keys.find(id)).orElse(null);
        if (key == null || !MessageDigest.isEqual(key.secretSha256().getBytes(StandardCharsets.US_ASCII),
                sha256(matcher.group(2)).getBytes(StandardCharsets.US_ASCII))) {
            throw new BadCredentialsException("the API key is not known");
        }
        if (key.revokedAt() != null) {
            throw new BadCredentialsException("the API key was revoked");
        }
        if (!key.valid(clock.instant())) {
            throw new BadCredentialsException("the API key expired at " + key.expiresAt());
        }
        return new KeyAuthentication(key, adminRole);
    }

    private KeyView view(ApiKey key) {
        return new KeyView(key.id(), key.name(), key.scopes(), key.createdAt(), key.expiresAt(), key.revokedAt(),
                key.valid(clock.instant()));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A request signed in with an API key: its owner, with the key's scopes (and admin for an admin-scoped key). */
    static final class KeyAuthentication extends AbstractAuthenticationToken {

        private final ApiKey key;

        KeyAuthentication(ApiKey key, String adminRole) {
            super(key.scopes().stream().flatMap(scope -> scope.equals("admin")
                    ? java.util.stream.Stream.of("SCOPE_admin", "ROLE_" + adminRole)
                    : java.util.stream.Stream.of("SCOPE_" + scope)).map(SimpleGrantedAuthority::new)
                    .collect(Collectors.toList()));
            this.key = key;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return key.owner();
        }

        @Override
        public String getName() {
            return key.owner();
        }
    }
}
