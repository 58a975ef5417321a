package routes.library;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.access.Caller;
import routes.access.Memberships;
import routes.access.Role;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.problems.Refusal;
import routes.store.Page;
import routes.store.VersionedTable;

/**
 * Playlists: made by their owner, who adds members who read (and play) or edit them. Editors add, remove and order
 * items they may read themselves (their own, or shared with them); members play every item of the playlist through
 * it. A playlist a caller is not a member of answers 404, as a missing one does; an admin may use every playlist.
 */
public class Playlists {

    private static final Logger LOG = LoggerFactory.getLogger(Playlists.class);

    static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    public static final int MAX_ITEMS = 1000;
    public static final int MAX_MEMBERS = 200;
    public static final int MAX_PAGE = 100;

    private final VersionedTable<Playlist> playlists;
    private final VersionedTable<PlaylistMember> members;
    private final LibraryService library;
    private final AssetService assets;
    private final Memberships<PlaylistMember> access;

    public Playlists(VersionedTable<Playlist> playlists, VersionedTable<PlaylistMember> members,
            LibraryService library, AssetService assets) {
        this.playlists = playlists;
        this.members = members;
        this.library = library;
        this.assets = assets;
        this.access = new Memberships<>("playlist", members, ID, MAX_MEMBERS) {
            @Override
            protected String idOf(String playlist, String user) {
                return PlaylistMember.idOf(playlist, user);
            }

            @Override
            protected PlaylistMember of(String playlist, String user, Role role) {
                return PlaylistMember.of(playlist, user, role);
            }

            @Override
            public List<PlaylistMember> all(String playlist) {
                return memberships(playlist);
            }

            @Override
            protected java.util.Optional<String> ownerOf(String playlist) {
                return playlists.find(playlist).map(Playlist::owner);
            }
        };
    }

    public static Map<String, String> attributes(Playlist playlist) {
        return Map.of(LibraryService.KIND, "playlist", "createdAt", playlist.createdAt().toString());
    }

    public static Map<String, String> attributes(PlaylistMember member) {
        return Map.of(LibraryService.KIND, "playlist-member", LibraryService.MEMBER_KEY, member.user(),
                LibraryService.PLAYLIST_KEY, member.playlist(), "createdAt", member.createdAt().toString());
    }

    /** The body of {@code POST /playlists} and {@code PATCH /playlists/{id}}. */
    public record PlaylistRequest(String name, String description) {
    }

    /** The body of {@code POST /playlists/{id}/items}: an item, at a position (0 first; unset: the end). */
    public record AddItem(String assetId, Integer position) {
    }

    /** The body of {@code PUT /playlists/{id}/items}: the playlist's items in their new order. */
    public record Order(List<String> items) {
    }

    /** The body of {@code PUT /playlists/{id}/members/{user}}. */
    public record PlaylistMemberRequest(String role) {
    }

    public record PlaylistMemberView(String user, Role role, Instant since) {
    }

    /** An item of a playlist as listed in it: what a player shows. */
    public record Entry(String assetId, String title, String artist, String album, Double duration, String mediaKind,
            String stream) {
    }

    public record PlaylistView(String id, String name, String description, String owner, Role role,
            int size, List<Entry> items, Instant createdAt, Instant updatedAt, long version) {
    }

    public record PlaylistPage(List<PlaylistView> items, String nextCursor) {
    }

    public PlaylistView create(PlaylistRequest request, Caller caller) {
        checked(request, true);
        Playlist playlist = playlists.insert(new Playlist(UUID.randomUUID().toString(), caller.subject(),
                request.name().strip(), description(request.description()), List.of(), null, null, 0));
        access.owner(playlist.id(), caller.subject());
        LOG.info("playlist {} ({}) made by {}", playlist.id(), playlist.name(), caller.subject());
        return view(playlist, Role.OWNER, false);
    }

    /** The playlists the caller is a member of (their own and those shared with them), newest membership first. */
    public PlaylistPage list(Integer limit, String cursor, Caller caller) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw Refusal.invalid("bad-limit", "limit must be between 1 and " + MAX_PAGE);
        }
        Page<PlaylistMember> page;
        try {
            page = members.page(LibraryService.MEMBER_INDEX, LibraryService.MEMBER_KEY, caller.subject(),
                    LibraryService.KIND, "playlist-member", size, cursor);
        } catch (IllegalArgumentException badCursor) {
            throw Refusal.invalid("bad-cursor", badCursor.getMessage());
        }
        List<PlaylistView> views = new ArrayList<>();
        for (PlaylistMember m : page.items()) {
            playlists.find(m.playlist()).ifPresent(p -> views.add(view(p, m.role(), false)));
        }
        return new PlaylistPage(views, page.nextCursor());
    }

    public PlaylistView get(String id, Caller caller) {
        Role role = role(id, caller, Role.READ);
        return view(playlist(id), role, true);
    }

    public PlaylistView update(String id, PlaylistRequest request, Caller caller) {
        Role role = role(id, caller, Role.EDIT);
        checked(request, false);
        Playlist updated = playlists.update(id, p -> p.with(request.name() == null ? p.name() : request.name().strip(),
                request.description() == null ? p.description() : description(request.description()), p.items()));
        return view(updated, role, true);
    }

    /** The playlist and its members (the owner). Pitch links to it stop working: its items are gone from them. */
    public void delete(String id, Caller caller) {
        role(id, caller, Role.OWNER);
        for (PlaylistMember m : memberships(id)) {
            members.delete(m.id());
        }
        playlists.delete(id);
        LOG.info("playlist {} deleted by {}", id, caller.subject());
    }

    /**
     * A copy owned by the caller, named {@code name} (or "Copy of ..."), with the items the caller may read without
     * the original playlist (what reached them only through it stays behind).
     */
    public PlaylistView duplicate(String id, PlaylistRequest request, Caller caller) {
        role(id, caller, Role.READ);
        Playlist original = playlist(id);
        String name = request != null && request.name() != null ? request.name().strip()
                : ("Copy of " + original.name());
        checked(new PlaylistRequest(name.length() > 200 ? name.substring(0, 200) : name, null), true);
        List<String> kept = original.items().stream().filter(item -> library.readsDirectly(item, caller)).toList();
        Playlist copy = playlists.insert(new Playlist(UUID.randomUUID().toString(), caller.subject(),
                name.length() > 200 ? name.substring(0, 200) : name, original.description(), kept, null, null, 0));
        access.owner(copy.id(), caller.subject());
        LOG.info("playlist {} duplicated as {} by {} ({} of {} items)", id, copy.id(), caller.subject(), kept.size(),
                original.items().size());
        return view(copy, Role.OWNER, true);
    }

    /** Adds an item the caller may read (editors). An item is in a playlist once. */
    public PlaylistView add(String id, AddItem request, Caller caller) {
        Role role = role(id, caller, Role.EDIT);
        if (request == null || request.assetId() == null) {
            throw Refusal.invalid("missing-body", "a JSON body {assetId, position?} is required");
        }
        if (!library.readsDirectly(request.assetId(), caller)) {
            throw Refusal.notFound("item", request.assetId());
        }
        Playlist updated = playlists.update(id, p -> {
            if (p.items().contains(request.assetId())) {
                throw Refusal.conflict("already-in-playlist", "item " + request.assetId() + " is in the playlist");
            }
            if (p.items().size() >= MAX_ITEMS) {
                throw Refusal.conflict("playlist-full", "a playlist holds at most " + MAX_ITEMS + " items");
            }
            int at = request.position() == null ? p.items().size() : request.position();
            if (at < 0 || at > p.items().size()) {
                throw Refusal.invalid("bad-position", "position must be between 0 and " + p.items().size());
            }
            List<String> items = new ArrayList<>(p.items());
            items.add(at, request.assetId());
            return p.with(p.name(), p.description(), items);
        });
        return view(updated, role, true);
    }

    public PlaylistView remove(String id, String assetId, Caller caller) {
        Role role = role(id, caller, Role.EDIT);
        if (!playlist(id).items().contains(assetId)) {
            throw Refusal.notFound("item", String.valueOf(assetId));
        }
        Playlist updated = playlists.update(id, p -> {
            List<String> items = new ArrayList<>(p.items());
            items.remove(assetId);
            return p.with(p.name(), p.description(), items);
        });
        return view(updated, role, true);
    }

    /** Puts the items in a new order: the same items, each once (editors). */
    public PlaylistView reorder(String id, Order order, Caller caller) {
        Role role = role(id, caller, Role.EDIT);
        if (order == null || order.items() == null) {
            throw Refusal.invalid("missing-body", "a JSON body {items: [assetId, ...]} is required");
        }
        Playlist updated = playlists.update(id, p -> {
            if (order.items().size() != p.items().size() || !new HashSet<>(order.items()).equals(
                    new HashSet<>(p.items())) || new LinkedHashSet<>(order.items()).size() != order.items().size()) {
                throw Refusal.conflict("not-a-reordering", "items must be the playlist's " + p.items().size()
                        + " items, each once, in their new order (the playlist changed, or the list differs)");
            }
            return p.with(p.name(), p.description(), order.items());
        });
        return view(updated, role, true);
    }

    public List<PlaylistMemberView> members(String id, Caller caller) {
        role(id, caller, Role.READ);
        return memberships(id).stream().map(m -> new PlaylistMemberView(m.user(), m.role(), m.createdAt())).toList();
    }

    public PlaylistMemberView putMember(String id, String user, PlaylistMemberRequest request, Caller caller) {
        PlaylistMember stored = access.put(id, user, request == null ? null : request.role(), caller);
        return new PlaylistMemberView(stored.user(), stored.role(), stored.createdAt());
    }

    public void removeMember(String id, String user, Caller caller) {
        access.remove(id, user, caller);
    }

    /** The caller's role in playlist {@code id}: not a member: 404; too small a role: 403. */
    public Role role(String id, Caller caller, Role needed) {
        return access.role(id, caller, needed);
    }

    /** A playlist by id, whoever asks (pitch links). */
    public java.util.Optional<Playlist> find(String id) {
        return id == null || !ID.matcher(id).matches() ? java.util.Optional.empty() : playlists.find(id);
    }

    /** The items of a playlist as a player lists them, each with where it streams from ({@code streamBase}/{id}). */
    public List<Entry> entries(Playlist playlist, String streamBase) {
        List<Entry> entries = new ArrayList<>();
        for (String assetId : playlist.items()) {
            assets.lookUp(assetId).ifPresent(asset -> entries.add(entry(asset, streamBase)));
        }
        return entries;
    }

    Entry entry(Asset asset, String streamBase) {
        MusicTags tags = LibraryService.tagsOf(asset, library.entryOf(asset.id()).orElse(null));
        return new Entry(asset.id(), tags.title() != null ? tags.title() : asset.filename(), tags.artist(),
                tags.album(), asset.metadata().duration(), asset.mediaKind(),
                streamBase == null ? null : streamBase.replace("{id}", asset.id()));
    }

    private Playlist playlist(String id) {
        return playlists.find(id).orElseThrow(() -> Refusal.notFound("playlist", id));
    }

    private List<PlaylistMember> memberships(String id) {
        List<PlaylistMember> all = new ArrayList<>();
        String start = null;
        do {
            Page<PlaylistMember> page = members.page(LibraryService.PLAYLIST_INDEX, LibraryService.PLAYLIST_KEY, id,
                    LibraryService.KIND, "playlist-member", MAX_PAGE, start);
            all.addAll(page.items());
            start = page.nextCursor();
        } while (start != null);
        return all;
    }

    /** A playlist as listed ({@code withItems} false: its stored count) or shown (its items that still exist). */
    private PlaylistView view(Playlist p, Role role, boolean withItems) {
        List<Entry> items = withItems ? entries(p, "/api/v1/library/items/{id}/stream?playlist=" + p.id()) : null;
        return new PlaylistView(p.id(), p.name(), p.description(), p.owner(), role,
                items == null ? p.items().size() : items.size(), items, p.createdAt(), p.updatedAt(), p.version());
    }

    private static void checked(PlaylistRequest request, boolean nameRequired) {
        if (request == null) {
            throw Refusal.invalid("missing-body", "a JSON body {name, description?} is required");
        }
        if (request.name() == null ? nameRequired : request.name().isBlank() || request.name().strip().length() > 200) {
            throw Refusal.invalid("bad-name", "name must be 1-200 characters");
        }
        if (request.description() != null && request.description().length() > 4000) {
            throw Refusal.invalid("bad-description", "description must be at most 4000 characters");
        }
    }

    private static String description(String description) {
        return description == null || description.isBlank() ? null : description.strip();
    }
}
