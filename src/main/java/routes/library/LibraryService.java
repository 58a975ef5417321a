package routes.library;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.assets.Rendition;
import routes.problems.Refusal;
import routes.store.TableSchema;
import routes.store.VersionedTable;

/**
 * The library's items: a user's assets, with their tags (the file's, under the owner's edits), labels and the users
 * they are shared with. Who may see an item: its owner (and admins), the users it is shared with, and the members of
 * a playlist that holds it when asked through that playlist; anyone else gets 404, as for a missing one. Only the
 * owner changes an item. Every change is announced ({@code library.changed}) by the route that made it, and the
 * search index follows from that event.
 */
public class LibraryService {

    private static final Logger LOG = LoggerFactory.getLogger(LibraryService.class);

    static final String KIND = "kind";
    static final String MEMBER_KEY = "member";
    static final String PLAYLIST_KEY = "playlist";
    static final String MEMBER_INDEX = "member-by-created";
    static final String PLAYLIST_INDEX = "playlist-by-created";
    public static final int MAX_SHARES = 200;
    public static final int MAX_LABELS = 50;
    public static final int MAX_LABEL = 100;

    private final VersionedTable<LibraryEntry> entries;
    private final VersionedTable<Playlist> playlists;
    private final VersionedTable<PlaylistMember> members;
    private final AssetService assets;

    public LibraryService(VersionedTable<LibraryEntry> entries, VersionedTable<Playlist> playlists,
            VersionedTable<PlaylistMember> members, AssetService assets) {
        this.entries = entries;
        this.playlists = playlists;
        this.members = members;
        this.assets = assets;
    }

    /** The library table: entries, playlists and their members (by member and by playlist), pitch links. */
    public static TableSchema schema(String table) {
        return new TableSchema(table, false, List.of(new TableSchema.Index(MEMBER_INDEX, MEMBER_KEY, "createdAt"),
                new TableSchema.Index(PLAYLIST_INDEX, PLAYLIST_KEY, "createdAt")));
    }

    public static Map<String, String> attributes(LibraryEntry entry) {
        return Map.of(KIND, "item", "createdAt", entry.createdAt().toString());
    }

    /** An item as a caller sees it. {@code sharedWith} is shown to its owner only. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ItemView(String id, String owner, String mediaKind, String filename, String contentType,
            String status, Double duration, MusicTags tags, MusicTags fileTags, MusicTags edits, List<String> labels,
            List<String> sharedWith, String cover, String stream, Instant createdAt, Instant updatedAt) {
    }

    /** The body of {@code PATCH /library/items/{id}}: tag edits (JSON null: back to the file's) and labels. */
    public record ItemPatch(Map<String, Object> tags, List<String> labels) {
    }

    /** An item a caller may read, with what the library keeps of it. */
    public record Readable(Asset asset, LibraryEntry entry) {
    }

    public ItemView view(String assetId, String playlistId, Caller caller) {
        Readable item = readable(assetId, playlistId, caller);
        return view(item, caller);
    }

    /** Edits an item's tags and labels (its owner). */
    public ItemView edit(String assetId, ItemPatch patch, Caller caller) {
        Asset asset = owned(assetId, caller);
        if (patch == null || (patch.tags() == null && patch.labels() == null)) {
            throw Refusal.invalid("missing-body", "a JSON body {tags?: {title, artist, ...}, labels?: [...]} is required");
        }
        List<String> labels = patch.labels() == null ? null : labels(patch.labels());
        LibraryEntry current = entry(asset);
        MusicTags edits = patch.tags() == null ? current.edits() : current.edits().patched(patch.tags());
        LibraryEntry stored = entries.update(current.id(), e -> e.with(edits,
                labels == null ? e.labels() : labels, e.sharedWith()));
        LOG.info("library item {} edited by {}", assetId, caller.subject());
        return view(new Readable(asset, stored), caller);
    }

    /** The users an item is shared with (its owner). */
    public List<String> shares(String assetId, Caller caller) {
        return entries.find(LibraryEntry.idOf(owned(assetId, caller).id())).map(LibraryEntry::sharedWith)
                .orElse(List.of());
    }

    /** Shares an item with {@code user}, who may then find, read and play it (its owner). */
    public List<String> share(String assetId, String user, Caller caller) {
        Asset asset = owned(assetId, caller);
        checkUser(user);
        if (user.equals(asset.owner())) {
            throw Refusal.conflict("owner-share", "the owner sees the item already");
        }
        LibraryEntry current = entry(asset);
        if (!current.sharedWith().contains(user) && current.sharedWith().size() >= MAX_SHARES) {
            throw Refusal.conflict("too-many-shares", "an item is shared with at most " + MAX_SHARES + " users");
        }
        return entries.update(current.id(), e -> {
            TreeSet<String> users = new TreeSet<>(e.sharedWith());
            return users.add(user) ? e.with(e.edits(), e.labels(), new ArrayList<>(users)) : e;
        }).sharedWith();
    }

    public void unshare(String assetId, String user, Caller caller) {
        Asset asset = owned(assetId, caller);
        LibraryEntry current = entries.find(LibraryEntry.idOf(asset.id())).orElse(null);
        if (current == null || user == null || !current.sharedWith().contains(user)) {
            throw Refusal.notFound("share", String.valueOf(user));
        }
        entries.update(current.id(), e -> {
            List<String> users = new ArrayList<>(e.sharedWith());
            users.remove(user);
            return e.with(e.edits(), e.labels(), users);
        });
    }

    /** What the library keeps of an asset, or nothing yet. */
    public Optional<LibraryEntry> entryOf(String assetId) {
        return entries.find(LibraryEntry.idOf(assetId));
    }

    /**
     * The asset and entry of an item the caller may read: owned, shared with them, or (with {@code playlistId}) held by
     * a playlist they are a member of. Anything else answers 404.
     */
    public Readable readable(String assetId, String playlistId, Caller caller) {
        Asset asset = assets.lookUp(assetId).orElseThrow(() -> Refusal.notFound("item", String.valueOf(assetId)));
        LibraryEntry entry = entries.find(LibraryEntry.idOf(asset.id())).orElse(null);
        if (caller.mayUse(asset.owner()) || (entry != null && entry.sharedWith().contains(caller.subject()))
                || (playlistId != null && inPlaylistOf(playlistId, asset.id(), caller.subject()))) {
            return new Readable(asset, entry);
        }
        throw Refusal.notFound("item", assetId);
    }

    /** Whether the caller may read the item without going through a playlist (to put it in one). */
    public boolean readsDirectly(String assetId, Caller caller) {
        Optional<Asset> asset = assets.lookUp(assetId);
        if (asset.isEmpty()) {
            return false;
        }
        return caller.mayUse(asset.get().owner()) || entries.find(LibraryEntry.idOf(assetId))
                .map(e -> e.sharedWith().contains(caller.subject())).orElse(false);
    }

    /** The tags shown of an asset: its file's, under its entry's edits. */
    public static MusicTags tagsOf(Asset asset, LibraryEntry entry) {
        MusicTags file = MusicTags.fromFile(asset.metadata().tags());
        return entry == null ? file : file.with(entry.edits());
    }

    /** An item's cover art rendition; 404 when its file carries none. */
    public Rendition cover(Asset asset) {
        return rendition(asset, "cover").orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "no-cover", null,
                "item " + asset.id() + " has no cover art"));
    }

    static Optional<Rendition> rendition(Asset asset, String name) {
        return asset.renditions().stream().filter(r -> name.equals(r.name())).findFirst();
    }

    private boolean inPlaylistOf(String playlistId, String assetId, String user) {
        if (!Playlists.ID.matcher(playlistId).matches()) {
            return false;
        }
        return members.find(PlaylistMember.idOf(playlistId, user)).isPresent()
                && playlists.find(playlistId).map(p -> p.items().contains(assetId)).orElse(false);
    }

    private Asset owned(String assetId, Caller caller) {
        Readable item = readable(assetId, null, caller);
        if (!caller.mayUse(item.asset().owner())) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "read-only", null,
                    "item " + assetId + " is shared with you to read and play; only its owner changes it");
        }
        return item.asset();
    }

    private LibraryEntry entry(Asset asset) {
        String id = LibraryEntry.idOf(asset.id());
        return entries.find(id).orElseGet(() -> {
            try {
                return entries.insert(LibraryEntry.of(asset.id(), asset.owner()));
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException raced) {
                return entries.find(id).orElseThrow();
            }
        });
    }

    static void checkUser(String user) {
        if (user == null || !routes.access.Memberships.USER.matcher(user).matches()) {
            throw Refusal.invalid("bad-user", "a user is named by the subject of their sign-in (1-200 characters)");
        }
    }

    private static List<String> labels(List<String> given) {
        if (given.size() > MAX_LABELS) {
            throw Refusal.invalid("bad-labels", "an item has at most " + MAX_LABELS + " labels");
        }
        TreeSet<String> labels = new TreeSet<>();
        for (String label : given) {
            String stripped = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
            if (stripped.isEmpty() || stripped.length() > MAX_LABEL
                    || stripped.codePoints().anyMatch(Character::isISOControl)) {
                throw Refusal.invalid("bad-labels", "a label is 1-" + MAX_LABEL + " printable characters, not "
                        + Refusal.quoted(label));
            }
            labels.add(stripped);
        }
        return new ArrayList<>(labels);
    }

    private ItemView view(Readable item, Caller caller) {
        Asset a = item.asset();
        LibraryEntry e = item.entry();
        MusicTags file = MusicTags.fromFile(a.metadata().tags());
        boolean owner = caller.mayUse(a.owner());
        String base = "/api/v1/library/items/" + a.id();
        return new ItemView(a.id(), a.owner(), a.mediaKind(), a.filename(), a.contentType(), a.status().name(),
                a.metadata().duration(), e == null ? file : file.with(e.edits()), file,
                e == null || e.edits().isEmpty() ? null : e.edits(), e == null ? List.of() : e.labels(),
                owner ? (e == null ? List.of() : e.sharedWith()) : null,
                rendition(a, "cover").isPresent() ? base + "/cover" : null,
                a.originalKey() != null ? base + "/stream" : null, a.createdAt(), a.updatedAt());
    }
}
