package routes.library.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.util.BytesRef;

/**
 * How a {@link LibraryDoc} is laid out in the index. The text fields, under the doc's own field names, are analysed
 * by {@link LibraryAnalyzer} and stored with term vectors (offsets) for highlighting. Beside them: {@code id},
 * {@code owner} and {@code reader} as keywords; keys ({@link LibraryAnalyzer#key}) to filter and sort by
 * ({@code artist.key}, {@code album.key}, {@code genre.key}, {@code label.key}, {@code title.key},
 * {@code filename.key}); {@code year}, {@code duration} and {@code created} (epoch ms) as numbers; the facet
 * dimensions; and the doc itself, without its transcript, as stored JSON.
 */
final class LibraryDocuments {

    /** The text fields a search looks in, with how much a match in each weighs. */
    static final Map<String, Float> TEXT_BOOSTS = new LinkedHashMap<>();

    static {
        TEXT_BOOSTS.put("title", 5f);
        TEXT_BOOSTS.put("artist", 4f);
        TEXT_BOOSTS.put("album", 3f);
        TEXT_BOOSTS.put("albumArtist", 3f);
        TEXT_BOOSTS.put("composer", 2f);
        TEXT_BOOSTS.put("genre", 2f);
        TEXT_BOOSTS.put("labels", 2f);
        TEXT_BOOSTS.put("filename", 1.5f);
        TEXT_BOOSTS.put("isrc", 1f);
        TEXT_BOOSTS.put("transcript", 0.5f);
    }

    static final String TRANSCRIPT = "transcript";
    static final String ID = "id";
    static final String BATCH = "batch";
    static final String OWNER = "owner";
    static final String READER = "reader";
    static final String KIND = "kind";
    static final String YEAR = "year";
    static final String DURATION = "duration";
    static final String CREATED = "created";
    static final String JSON_FIELD = "doc";
    /** The facet dimensions, each named as the doc's field. */
    static final String[] DIMENSIONS = {"artist", "album", "genre", "mediaKind"};

    static final FacetsConfig FACETS = new FacetsConfig();

    private static final FieldType TEXT = new FieldType(TextField.TYPE_STORED);

    static {
        TEXT.setStoreTermVectors(true);
        TEXT.setStoreTermVectorPositions(true);
        TEXT.setStoreTermVectorOffsets(true);
        TEXT.freeze();
    }

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private LibraryDocuments() {
    }

    /** The Lucene document of {@code doc}, marked as written by {@code batch}. */
    static Document toDocument(LibraryDoc doc, String batch) {
        Document out = new Document();
        out.add(new StringField(ID, doc.assetId(), Field.Store.NO));
        out.add(new SortedDocValuesField(ID, new BytesRef(doc.assetId())));
        out.add(new StringField(BATCH, batch, Field.Store.NO));
        out.add(new StringField(OWNER, doc.owner(), Field.Store.NO));
        doc.readers().forEach(reader -> out.add(new StringField(READER, reader, Field.Store.NO)));
        out.add(new StringField(KIND, doc.mediaKind(), Field.Store.NO));

        text(out, "title", doc.title());
        text(out, "artist", doc.artist());
        text(out, "album", doc.album());
        text(out, "albumArtist", doc.albumArtist());
        text(out, "composer", doc.composer());
        text(out, "genre", doc.genre());
        doc.labels().forEach(label -> text(out, "labels", label));
        text(out, "filename", doc.filename());
        text(out, "isrc", doc.isrc());
        text(out, TRANSCRIPT, doc.transcript());

        key(out, "artist", doc.artist(), true, true);
        key(out, "album", doc.album(), true, true);
        key(out, "genre", doc.genre(), true, false);
        key(out, "title", doc.title(), false, true);
        key(out, "filename", doc.filename(), false, true);
        doc.labels().forEach(label -> key(out, "label", label, true, false));
        if (doc.year() != null) {
            out.add(new IntField(YEAR, doc.year()));
        }
        if (doc.duration() != null) {
            out.add(new DoubleField(DURATION, doc.duration()));
        }
        if (doc.createdAt() != null) {
            out.add(new LongField(CREATED, doc.createdAt().toEpochMilli()));
        }

        facet(out, "artist", doc.artist());
        facet(out, "album", doc.album());
        facet(out, "genre", doc.genre());
        facet(out, "mediaKind", doc.mediaKind());
        try {
            out.add(new StoredField(JSON_FIELD, JSON.writeValueAsString(doc.withoutTranscript())));
            return FACETS.build(out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("library doc " + doc.assetId() + " could not be indexed", e);
        }
    }

    /** The doc without its transcript as JSON, as the index stores it. */
    static JsonNode toJson(LibraryDoc doc) {
        return JSON.valueToTree(doc.withoutTranscript());
    }

    /** The doc of {@link #toJson}. */
    static LibraryDoc fromJson(JsonNode json) {
        try {
            return JSON.treeToValue(json, LibraryDoc.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a library doc in the index is unreadable", e);
        }
    }

    /** The doc (without transcript) stored in a hit's document. */
    static LibraryDoc fromStored(Document stored) {
        try {
            return JSON.readValue(stored.get(JSON_FIELD), LibraryDoc.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a library doc in the index is unreadable", e);
        }
    }

    private static void text(Document out, String field, String value) {
        if (value != null && !value.isBlank()) {
            out.add(new Field(field, LibraryAnalyzer.composed(value), TEXT));
        }
    }

    private static void key(Document out, String field, String value, boolean filter, boolean sort) {
        if (value == null || value.isBlank()) {
            return;
        }
        String key = LibraryAnalyzer.key(value);
        if (filter) {
            out.add(new StringField(field + ".key", key, Field.Store.NO));
        }
        if (sort) {
            out.add(new SortedDocValuesField(field + ".key", new BytesRef(key)));
        }
    }

    private static void facet(Document out, String dimension, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        out.add(new SortedSetDocValuesFacetField(dimension, shown(value)));
    }

    /** A facet value as shown: composed, trimmed, cut to 256 chars, control characters as spaces. */
    static String shown(String value) {
        // the facet path separator is a control character: none may appear in a value
        return LibraryAnalyzer.cut(LibraryAnalyzer.composed(value).strip()).codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
