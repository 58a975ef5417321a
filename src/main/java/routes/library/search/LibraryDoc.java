package routes.library.search;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the library index knows of one item of a user's media library: who may see it (the owner and the readers it
 * is shared with), its kind, its file, its tags (title, artist, album...), the user's labels and what was said in
 * it. Everything but {@code assetId}, {@code owner} and {@code mediaKind} may be null; {@code readers} and
 * {@code labels} are empty rather than null.
 */
public record LibraryDoc(String assetId, String owner, Set<String> readers, String mediaKind, String filename,
        String contentType, String title, String artist, String album, String albumArtist, String genre,
        String composer, Integer year, Integer track, Integer disc, String isrc, Double duration, List<String> labels,
        String transcript, Instant createdAt, Instant updatedAt) {

    /** The kinds of media a library holds. */
    public static final Set<String> MEDIA_KINDS = Set.of("audio", "video", "image");

    public LibraryDoc {
        if (assetId == null || assetId.isBlank() || owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("a library doc needs an assetId and an owner");
        }
        if (!MEDIA_KINDS.contains(mediaKind)) {
            throw new IllegalArgumentException("mediaKind is one of " + MEDIA_KINDS + ", not " + mediaKind);
        }
        readers = readers == null ? Set.of() : Set.copyOf(readers);
        labels = labels == null ? List.of() : labels.stream().filter(Objects::nonNull).toList();
    }

    public static Builder builder(String assetId, String owner, String mediaKind) {
        return new Builder(assetId, owner, mediaKind);
    }

    /** This doc without its transcript, as search hits carry it. */
    public LibraryDoc withoutTranscript() {
        return transcript == null ? this : toBuilder().transcript(null).build();
    }

    public Builder toBuilder() {
        return new Builder(assetId, owner, mediaKind).readers(readers).filename(filename).contentType(contentType)
                .title(title).artist(artist).album(album).albumArtist(albumArtist).genre(genre).composer(composer)
                .year(year).track(track).disc(disc).isrc(isrc).duration(duration).labels(labels)
                .transcript(transcript).createdAt(createdAt).updatedAt(updatedAt);
    }

    /** Builds a {@link LibraryDoc} field by field; what is not set is null (or empty). */
    public static final class Builder {
        private final String assetId;
        private final String owner;
        private final String mediaKind;
        private Set<String> readers;
        private String filename;
        private String contentType;
        private String title;
        private String artist;
        private String album;
        private String albumArtist;
        private String genre;
        private String composer;
        private Integer year;
        private Integer track;
        private Integer disc;
        private String isrc;
        private Double duration;
        private List<String> labels;
        private String transcript;
        private Instant createdAt;
        private Instant updatedAt;

        private Builder(String assetId, String owner, String mediaKind) {
            this.assetId = assetId;
            this.owner = owner;
            this.mediaKind = mediaKind;
        }

        public Builder readers(Set<String> readers) {
            this.readers = readers;
            return this;
        }

        public Builder filename(String filename) {
            this.filename = filename;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder artist(String artist) {
            this.artist = artist;
            return this;
        }

        public Builder album(String album) {
            this.album = album;
            return this;
        }

        public Builder albumArtist(String albumArtist) {
            this.albumArtist = albumArtist;
            return this;
        }

        public Builder genre(String genre) {
            this.genre = genre;
            return this;
        }

        public Builder composer(String composer) {
            this.composer = composer;
            return this;
        }

        public Builder year(Integer year) {
            this.year = year;
            return this;
        }

        public Builder track(Integer track) {
            this.track = track;
            return this;
        }

        public Builder disc(Integer disc) {
            this.disc = disc;
            return this;
        }

        public Builder isrc(String isrc) {
            this.isrc = isrc;
            return this;
        }

        public Builder duration(Double duration) {
            this.duration = duration;
            return this;
        }

        public Builder labels(List<String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder transcript(String transcript) {
            this.transcript = transcript;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public LibraryDoc build() {
            return new LibraryDoc(assetId, owner, readers, mediaKind, filename, contentType, title, artist, album,
                    albumArtist, genre, composer, year, track, disc, isrc, duration, labels, transcript, createdAt,
                    updatedAt);
        }
    }
}
