package routes.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import routes.problems.Refusal;

/**
 * One use of the media library, as it travels through SQS to the usage lake ({@link UsageLake}): a {@code type}
 * ({@link #TYPES}), when it happened and who did it ({@code user}, the subject; null for a pitch link's outside
 * recipient), and the details its type has. {@code eventId} is unique per use: delivery is at-least-once, so readers
 * deduplicate on it. {@code seconds} is the time listened (stream), {@code bytes} the bytes sent, {@code query} and
 * {@code results} a search, {@code format} what was downloaded ({@code original}, {@code mp3}...), {@code recipient}
 * the email or name of a pitch link's recipient, {@code client} the user agent, cut to {@value #CLIENT_LENGTH}
 * characters.
 * <p>
 * Made with {@link #builder(String, Instant)}, which gives it a random id. An unknown type, a blank id or no time is
 * refused, also when read from JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageEvent(String eventId, String type, Instant at, String user, String assetId, String playlistId,
        String linkId, String recipient, Double seconds, Long bytes, String query, Integer results, String format,
        String client) {

    /** The types of use. */
    public static final List<String> TYPES = List.of("play", "stream", "download", "search", "link_open", "share");

    /** The longest {@code client} kept, in UTF-16 characters. */
    public static final int CLIENT_LENGTH = 200;

    public UsageEvent {
        if (eventId == null || eventId.isBlank()) {
            throw Refusal.invalid("bad-usage-event", "a usage event needs an eventId");
        }
        if (type == null || !TYPES.contains(type)) {
            throw Refusal.invalid("bad-usage-event", "a usage event's type must be one of " + String.join(", ", TYPES)
                    + ", not " + Refusal.quoted(type));
        }
        if (at == null) {
            throw Refusal.invalid("bad-usage-event", "usage event " + Refusal.quoted(eventId) + " has no time");
        }
        client = cut(client);
    }

    /** A new event of {@code type} at {@code at}, with a random id and no details yet. */
    public static Builder builder(String type, Instant at) {
        return new Builder(type, at);
    }

    /** {@code client} cut to {@value #CLIENT_LENGTH} characters, not between the two halves of a surrogate pair. */
    private static String cut(String client) {
        if (client == null || client.length() <= CLIENT_LENGTH) {
            return client;
        }
        int end = Character.isHighSurrogate(client.charAt(CLIENT_LENGTH - 1)) ? CLIENT_LENGTH - 1 : CLIENT_LENGTH;
        return client.substring(0, end);
    }

    /** The details of a usage event, set one by one. */
    public static final class Builder {
        private final String type;
        private final Instant at;
        private String eventId = UUID.randomUUID().toString();
        private String user;
        private String assetId;
        private String playlistId;
        private String linkId;
        private String recipient;
        private Double seconds;
        private Long bytes;
        private String query;
        private Integer results;
        private String format;
        private String client;

        private Builder(String type, Instant at) {
            this.type = type;
            this.at = at;
        }

        /** An id of the caller's instead of the random one (one it can derive again when it retries). */
        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder assetId(String assetId) {
            this.assetId = assetId;
            return this;
        }

        public Builder playlistId(String playlistId) {
            this.playlistId = playlistId;
            return this;
        }

        public Builder linkId(String linkId) {
            this.linkId = linkId;
            return this;
        }

        public Builder recipient(String recipient) {
            this.recipient = recipient;
            return this;
        }

        public Builder seconds(Double seconds) {
            this.seconds = seconds;
            return this;
        }

        public Builder bytes(Long bytes) {
            this.bytes = bytes;
            return this;
        }

        public Builder query(String query) {
            this.query = query;
            return this;
        }

        public Builder results(Integer results) {
            this.results = results;
            return this;
        }

        public Builder format(String format) {
            this.format = format;
            return this;
        }

        public Builder client(String client) {
            this.client = client;
            return this;
        }

        public UsageEvent build() {
            return new UsageEvent(eventId, type, at, user, assetId, playlistId, linkId, recipient, seconds, bytes,
                    query, results, format, client);
        }
    }
}
