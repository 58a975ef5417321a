package routes.library;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.problems.Refusal;
import routes.store.Page;
import routes.store.VersionedTable;

/**
 * Pitch links: a playlist or an item of the caller's shared with one outside recipient, who needs no account. The
 * link's token (256 random bits) is its id and its capability; it works until it expires or its owner revokes it,
 * for at most {@code maxUses} opens of its page, and, with a password, only once the password was given (a cookie
 * for that link then). Each link says whether its items stream and whether, and as what, they download. Opens,
 * plays (a stream from the first byte) and downloads are counted on the link, in all and per item, for its owner.
 */
public class PitchLinks {

    private static final Logger LOG = LoggerFactory.getLogger(PitchLinks.class);

    public static final String COOKIE = "caravan_pitch";
    public static final int MAX_PASSWORD_FAILURES = 10;
    public static final Duration PASSWORD_WINDOW = Duration.ofMinutes(15);
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);
    public static final Duration MAX_EXPIRY = Duration.ofDays(366);
    static final List<String> DOWNLOADS = List.of("none", "original", "mp3", "aac");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VersionedTable<PitchLink> links;
    private final Playlists playlists;
    private final LibraryService library;
    private final AssetService assets;
    private final Clock clock;
    private final BCryptPasswordEncoder passwords = new BCryptPasswordEncoder();
    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder().expireAfterWrite(PASSWORD_WINDOW)
            .maximumSize(100_000).build();

    public PitchLinks(VersionedTable<PitchLink> links, Playlists playlists, LibraryService library,
            AssetService assets, Clock clock) {
        this.links = links;
        this.playlists = playlists;
        this.library = library;
        this.assets = assets;
        this.clock = clock;
    }

    public static Map<String, String> attributes(PitchLink link) {
        Map<String, String> attributes = new HashMap<>(Map.of(LibraryService.KIND, "pitch-link",
                LibraryService.MEMBER_KEY, link.owner(), "createdAt", link.createdAt().toString()));
        if (link.playlistId() != null) {
            attributes.put(LibraryService.PLAYLIST_KEY, link.playlistId());
        }
        return attributes;
    }

    /** The recipient of a link. */
    public record Recipient(String name, String email) {
    }

    /** The body of {@code POST /pitch-links}. */
    public record LinkRequest(String playlistId, String assetId, Recipient recipient, String message,
            Instant expiresAt, Integer maxUses, String password, Boolean stream, String download) {
    }

    /** A link as its owner sees it, with what its recipient did. */
    public record LinkView(String id, String url, String playlistId, String assetId, Recipient recipient,
            String message, Instant expiresAt, Integer maxUses, boolean password, boolean stream, String download,
            String state, Instant revokedAt, long opens, long plays, long downloads, Map<String, Long> itemPlays,
            Map<String, Long> itemDownloads, Instant lastOpenedAt, Instant createdAt) {
    }

    public record LinkPage(List<LinkView> items, String nextCursor) {
    }

    /** What the recipient's page shows: the pitch, and its items with where they stream and download from. */
    public record PublicView(String title, String from, String recipient, String message, Instant expiresAt,
            boolean stream, String download, List<PublicItem> items) {
    }

    public record PublicItem(String id, String title, String artist, String album, Double duration, String stream,
            String download) {
    }

    public LinkView create(LinkRequest request, Caller caller) {
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {playlistId or assetId, recipient: {name, email}, "
                    + "expiresAt?, maxUses?, password?, stream?, download?} is required");
        }
        if ((request.playlistId() == null) == (request.assetId() == null)) {
            throw Refusal.invalid("bad-target", "a link is to one playlist (playlistId) or one item (assetId)");
        }
        if (request.playlistId() != null) {
            playlists.role(request.playlistId(), caller, routes.access.Role.EDIT);
        } else {
            Asset asset = library.readable(request.assetId(), null, caller).asset();
            if (!caller.mayUse(asset.owner())) {
                throw new Refusal(Refusal.Kind.FORBIDDEN, "read-only", null,
                        "only the owner of item " + asset.id() + " pitches it");
            }
        }
        Recipient recipient = request.recipient();
        if (recipient == null || recipient.name() == null || recipient.name().isBlank()
                || recipient.name().strip().length() > 200) {
            throw Refusal.invalid("bad-recipient", "recipient.name must be 1-200 characters");
        }
        if (recipient.email() != null && (recipient.email().length() > 320
                || !EMAIL.matcher(recipient.email().strip()).matches())) {
            throw Refusal.invalid("bad-recipient", "recipient.email is not an email address");
        }
        Instant now = clock.instant();
        Instant expires = request.expiresAt() == null ? now.plus(DEFAULT_EXPIRY) : request.expiresAt();
        if (!expires.isAfter(now) || expires.isAfter(now.plus(MAX_EXPIRY))) {
            throw Refusal.invalid("bad-expiry", "expiresAt must be in the future, within " + MAX_EXPIRY.toDays()
                    + " days");
        }
        if (request.maxUses() != null && (request.maxUses() < 1 || request.maxUses() > 1_000_000)) {
            throw Refusal.invalid("bad-max-uses", "maxUses must be between 1 and 1000000");
        }
        if (request.password() != null && (request.password().length() < 4 || request.password().length() > 200)) {
            throw Refusal.invalid("bad-password", "a link's password is 4-200 characters");
        }
        if (request.message() != null && request.message().length() > 2000) {
            throw Refusal.invalid("bad-message", "message must be at most 2000 characters");
        }
        String download = request.download() == null ? "none" : request.download().toLowerCase(Locale.ROOT);
        if (!DOWNLOADS.contains(download)) {
            throw Refusal.invalid("bad-download", "download must be one of " + DOWNLOADS);
        }
        boolean stream = request.stream() == null || request.stream();
        if (!stream && download.equals("none")) {
            throw Refusal.invalid("bad-download", "a link that neither streams nor downloads gives nothing");
        }
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        PitchLink link = links.insert(new PitchLink(Base64.getUrlEncoder().withoutPadding().encodeToString(token),
                caller.subject(), request.playlistId(), request.assetId(), recipient.name().strip(),
                recipient.email() == null ? null : recipient.email().strip(),
                request.message() == null || request.message().isBlank() ? null : request.message().strip(), expires,
                request.maxUses(), request.password() == null ? null : passwords.encode(request.password()), stream,
                download, null, 0, 0, 0, null, null, null, null, null, 0));
        LOG.info("pitch link {}... to {} made by {}", link.id().substring(0, 6), link.playlistId() != null
                ? "playlist " + link.playlistId() : "item " + link.assetId(), caller.subject());
        return view(link);
    }

    public LinkPage list(Integer limit, String cursor, Caller caller) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > Playlists.MAX_PAGE) {
            throw Refusal.invalid("bad-limit", "limit must be between 1 and " + Playlists.MAX_PAGE);
        }
        Page<PitchLink> page;
        try {
            page = links.page(LibraryService.MEMBER_INDEX, LibraryService.MEMBER_KEY, caller.subject(),
                    LibraryService.KIND, "pitch-link", size, cursor);
        } catch (IllegalArgumentException badCursor) {
            throw Refusal.invalid("bad-cursor", badCursor.getMessage());
        }
        return new LinkPage(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    public LinkView get(String id, Caller caller) {
        return view(owned(id, caller));
    }

    /** Revokes a link: it answers 410 from now on; its counts stay for its owner. */
    public LinkView revoke(String id, Caller caller) {
        owned(id, caller);
        PitchLink revoked = links.update(id, l -> l.revokedAt() != null ? l : l.revoked(clock.instant()));
        LOG.info("pitch link {}... revoked by {}", id.substring(0, 6), caller.subject());
        return view(revoked);
    }

    /**
     * The recipient opens the link: counted as a use, refused once it is used up. With a password, the page needs
     * {@code cookie} from {@link #unlock}.
     */
    public Opened open(String token, String cookie) {
        PitchLink link = usable(token, cookie);
        if (link.maxUses() != null && link.opens() >= link.maxUses()) {
            throw gone("used-up", "this link was opened the " + link.maxUses() + " times it allows");
        }
        PitchLink counted = links.update(token, l -> {
            if (l.maxUses() != null && l.opens() >= l.maxUses()) {
                throw gone("used-up", "this link was opened the " + l.maxUses() + " times it allows");
            }
            return l.counted(1, 0, 0, l.itemPlays(), l.itemDownloads(), clock.instant());
        });
        return new Opened(publicView(counted), new Grant(counted, null));
    }

    /** An opened link's page, and the link. */
    public record Opened(PublicView view, Grant grant) {
    }

    /** What the page shows, without counting an open (after a password, before the redirect). */
    public PublicView peek(String token, String cookie) {
        return publicView(usable(token, cookie));
    }

    /**
     * Checks a password given for a link; right: the cookie value that opens it. Wrong passwords are counted per
     * link and refused with 429 past {@value #MAX_PASSWORD_FAILURES} in {@link #PASSWORD_WINDOW}.
     */
    public String unlock(String token, String password) {
        PitchLink link = valid(token);
        if (link.passwordHash() == null) {
            return "";
        }
        AtomicInteger failed = failures.get(token, t -> new AtomicInteger());
        if (failed.get() >= MAX_PASSWORD_FAILURES) {
            throw new Refusal(Refusal.Kind.TOO_MANY_REQUESTS, "too-many-passwords", null, "too many wrong passwords "
                    + "for this link; try again later").withHeader("Retry-After",
                            Long.toString(PASSWORD_WINDOW.toSeconds()));
        }
        if (password == null || password.length() > 200 || !passwords.matches(password, link.passwordHash())) {
            failed.incrementAndGet();
            throw new Refusal(Refusal.Kind.UNAUTHORIZED, "wrong-password", null, "the password is not this link's");
        }
        return cookieValue(link);
    }

    /** The item {@code assetId} of a link, to stream (when the link allows it). */
    public Grant streamable(String token, String assetId, String cookie) {
        PitchLink link = usable(token, cookie);
        if (!link.stream()) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "no-streaming", null, "this link does not stream; download");
        }
        return new Grant(link, itemOf(link, assetId));
    }

    /** The item {@code assetId} of a link, to download in the link's form (original, mp3 or aac). */
    public Grant downloadable(String token, String assetId, String cookie) {
        PitchLink link = usable(token, cookie);
        if (link.download().equals("none")) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "no-downloads", null, "this link streams only");
        }
        return new Grant(link, itemOf(link, assetId));
    }

    /** An item a link gives, and the link (for its counts and usage records). */
    public record Grant(PitchLink link, Asset asset) {

        /** Who the link is for: its recipient's email, else name. */
        public String recipient() {
            return link.recipientEmail() != null ? link.recipientEmail() : link.recipientName();
        }
    }

    /** Counts a play of an item (a stream from its first byte). */
    public void countPlay(String token, String assetId) {
        links.update(token, l -> l.counted(0, 1, 0, plus(l.itemPlays(), assetId), l.itemDownloads(),
                l.lastOpenedAt()));
    }

    public void countDownload(String token, String assetId) {
        links.update(token, l -> l.counted(0, 0, 1, l.itemPlays(), plus(l.itemDownloads(), assetId),
                l.lastOpenedAt()));
    }

    /** The owner of a link, for usage records. */
    public String ownerOf(String token) {
        return links.find(token).map(PitchLink::owner).orElse(null);
    }

    private PitchLink usable(String token, String cookie) {
        PitchLink link = valid(token);
        if (link.passwordHash() != null && !unlocked(link, cookie)) {
            throw new Refusal(Refusal.Kind.UNAUTHORIZED, "password-required", null,
                    "this link needs its password: POST it to /p/" + token + " as the form field password");
        }
        return link;
    }

    private PitchLink valid(String token) {
        PitchLink link = token == null || !TOKEN.matcher(token).matches() ? null : links.find(token).orElse(null);
        if (link == null) {
            throw Refusal.notFound("link", "/p/...");
        }
        if (link.revokedAt() != null) {
            throw gone("link-revoked", "this link was revoked by its owner");
        }
        if (!clock.instant().isBefore(link.expiresAt())) {
            throw gone("link-expired", "this link expired at " + link.expiresAt());
        }
        return link;
    }

    private Asset itemOf(PitchLink link, String assetId) {
        boolean held = link.assetId() != null ? link.assetId().equals(assetId)
                : playlists.find(link.playlistId()).map(p -> p.items().contains(assetId)).orElse(false);
        Asset asset = held ? assets.lookUp(assetId).orElse(null) : null;
        if (asset == null || asset.originalKey() == null) {
            throw Refusal.notFound("item", String.valueOf(assetId));
        }
        return asset;
    }

    private PublicView publicView(PitchLink link) {
        String base = "/p/" + link.id() + "/items/";
        List<PublicItem> items = new ArrayList<>();
        String title;
        if (link.playlistId() != null) {
            Playlist playlist = playlists.find(link.playlistId()).orElse(null);
            title = playlist == null ? "(removed)" : playlist.name();
            if (playlist != null) {
                for (Playlists.Entry e : playlists.entries(playlist, null)) {
                    items.add(item(link, base, e));
                }
            }
        } else {
            Asset asset = assets.lookUp(link.assetId()).orElse(null);
            Playlists.Entry e = asset == null ? null : playlists.entry(asset, null);
            title = e == null ? "(removed)" : e.title();
            if (e != null) {
                items.add(item(link, base, e));
            }
        }
        return new PublicView(title, link.owner(), link.recipientName(), link.message(), link.expiresAt(),
                link.stream(), link.download(), items);
    }

    private static PublicItem item(PitchLink link, String base, Playlists.Entry e) {
        return new PublicItem(e.assetId(), e.title(), e.artist(), e.album(), e.duration(),
                link.stream() ? base + e.assetId() + "/stream" : null,
                link.download().equals("none") ? null : base + e.assetId() + "/download");
    }

    private PitchLink owned(String id, Caller caller) {
        PitchLink link = id == null || !TOKEN.matcher(id).matches() ? null : links.find(id).orElse(null);
        if (link == null || !caller.mayUse(link.owner())) {
            throw Refusal.notFound("pitch link", id == null ? "null" : "...");
        }
        return link;
    }

    private LinkView view(PitchLink l) {
        Instant now = clock.instant();
        String state = l.revokedAt() != null ? "revoked" : !now.isBefore(l.expiresAt()) ? "expired"
                : l.maxUses() != null && l.opens() >= l.maxUses() ? "used-up" : "active";
        return new LinkView(l.id(), "/p/" + l.id(), l.playlistId(), l.assetId(),
                new Recipient(l.recipientName(), l.recipientEmail()), l.message(), l.expiresAt(), l.maxUses(),
                l.passwordHash() != null, l.stream(), l.download(), state, l.revokedAt(), l.opens(), l.plays(),
                l.downloads(), l.itemPlays(), l.itemDownloads(), l.lastOpenedAt(), l.createdAt());
    }

    private boolean unlocked(PitchLink link, String cookieHeader) {
        if (cookieHeader == null) {
            return false;
        }
        String expected = cookieValue(link);
        for (String part : cookieHeader.split(";")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length == 2 && pair[0].equals(COOKIE) && MessageDigest.isEqual(
                    pair[1].getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** The cookie that opens a link with a password: keyed by its password's hash, so a new password closes it. */
    private static String cookieValue(PitchLink link) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(link.passwordHash().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(link.id().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing", e);
        }
    }

    private static Map<String, Long> plus(Map<String, Long> counts, String key) {
        Map<String, Long> more = new HashMap<>(counts);
        more.merge(key, 1L, Long::sum);
        return more;
    }

    private static Refusal gone(String type, String detail) {
        return new Refusal(Refusal.Kind.GONE, type, null, detail);
    }
}
