package routes.library;

import java.time.Clock;
import java.util.List;
import routes.access.Caller;
import routes.assets.Asset;
import routes.library.search.LibraryPage;
import routes.usage.UsageEvent;

/**
 * The usage events of what the library serves, as the routes record them (one message each on the usage queue, on
 * their way to the data lake). A stream's {@code seconds} are the media time the bytes sent cover (their share of the
 * file times its duration); a stream from the first byte is also a play.
 */
public class UsageRecords {

    private final Clock clock;

    public UsageRecords(Clock clock) {
        this.clock = clock;
    }

    /** A stream of an item, and a play when it starts at the first byte. */
    public List<UsageEvent> streamed(Asset asset, RangedObjects.Delivery sent, String user, String playlistId,
            String linkId, String recipient, String client) {
        Double seconds = asset.metadata().duration() == null || sent.total() == 0 ? null
                : Math.round(asset.metadata().duration() * sent.length() / sent.total() * 1000) / 1000.0;
        UsageEvent stream = UsageEvent.builder("stream", clock.instant()).user(user).assetId(asset.id())
                .playlistId(playlistId).linkId(linkId).recipient(recipient).bytes(sent.length()).seconds(seconds)
                .client(client).build();
        if (!sent.fromStart()) {
            return List.of(stream);
        }
        return List.of(UsageEvent.builder("play", stream.at()).user(user).assetId(asset.id()).playlistId(playlistId)
                .linkId(linkId).recipient(recipient).client(client).build(), stream);
    }

    public UsageEvent downloaded(Asset asset, RangedObjects.Delivery sent, String format, String user,
            String linkId, String recipient, String client) {
        return UsageEvent.builder("download", clock.instant()).user(user).assetId(asset.id()).linkId(linkId)
                .recipient(recipient).bytes(sent.length()).format(format).client(client).build();
    }

    public UsageEvent searched(String query, LibraryPage page, Caller caller, String client) {
        return UsageEvent.builder("search", clock.instant()).user(caller.subject()).query(query)
                .results((int) Math.min(Integer.MAX_VALUE, page.total())).client(client).build();
    }

    public UsageEvent opened(String linkId, String playlistId, String assetId, String recipient, String client) {
        return UsageEvent.builder("link_open", clock.instant()).linkId(linkId).playlistId(playlistId)
                .assetId(assetId).recipient(recipient).client(client).build();
    }

    public UsageEvent shared(String user, String assetId, String playlistId, String linkId, String recipient) {
        return UsageEvent.builder("share", clock.instant()).user(user).assetId(assetId).playlistId(playlistId)
                .linkId(linkId).recipient(recipient).build();
    }
}
