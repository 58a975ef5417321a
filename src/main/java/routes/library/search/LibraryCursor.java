package routes.library.search;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.util.BytesRef;
import routes.problems.Refusal;

/**
 * The opaque cursor of a library page, base64url: a version, the sort, the query's {@link LibraryQuery#fingerprint()
 * fingerprint} and the sort values of the page's last item (its sort field, then its assetId), where the next page
 * starts. A cursor made for another query or sort is refused.
 */
final class LibraryCursor {

    private static final int VERSION = 1;
    private static final int MAX_CHARS = 2048;

    private LibraryCursor() {
    }

    /** The cursor after {@code last}, a hit of a search sorted as {@code query} is. */
    static String next(LibraryQuery query, FieldDoc last) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(query.sort().by().ordinal());
            out.writeBoolean(query.sort().descending());
            out.writeLong(query.fingerprint());
            Object value = last.fields[0];
            switch (query.sort().by()) {
                case RELEVANCE -> out.writeFloat((Float) value);
                case CREATED -> out.writeLong((Long) value);
                case YEAR -> out.writeInt((Integer) value);
                case DURATION -> out.writeDouble((Double) value);
                default -> writeBytes(out, (BytesRef) value);
            }
            writeBytes(out, (BytesRef) last.fields[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /** Where the query's page starts: null without a cursor; refused when the cursor is not one of its own. */
    static FieldDoc after(LibraryQuery query) {
        String cursor = query.cursor();
        if (cursor == null) {
            return null;
        }
        LibrarySort sort = query.sort();
        try {
            if (cursor.length() > MAX_CHARS) {
                throw new IOException("too long");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(cursor)));
            if (in.readUnsignedByte() != VERSION) {
                throw new IOException("unknown version");
            }
            int by = in.readUnsignedByte();
            boolean descending = in.readBoolean();
            if (by != sort.by().ordinal() || descending != sort.descending()) {
                String made = by < LibrarySort.By.values().length
                        ? new LibrarySort(LibrarySort.By.values()[by], descending).toString() : "another order";
                throw Refusal.invalid("bad-cursor", "the cursor is for sort " + made + ", not " + sort);
            }
            if (in.readLong() != query.fingerprint()) {
                throw Refusal.invalid("bad-cursor", "the cursor belongs to another query: start again without it");
            }
            Object value = switch (sort.by()) {
                case RELEVANCE -> in.readFloat();
                case CREATED -> in.readLong();
                case YEAR -> in.readInt();
                case DURATION -> in.readDouble();
                default -> readBytes(in);
            };
            BytesRef assetId = readBytes(in);
            if (assetId == null || in.read() != -1) {
                throw new IOException("no assetId, or bytes after it");
            }
            return new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {value, assetId});
        } catch (IOException | IllegalArgumentException e) {
            throw Refusal.invalid("bad-cursor", "the cursor is malformed: pass the nextCursor of a page as it is");
        }
    }

    private static void writeBytes(DataOutputStream out, BytesRef value) throws IOException {
        if (value == null) {
            out.writeShort(-1);
        } else {
            out.writeShort(value.length);
            out.write(value.bytes, value.offset, value.length);
        }
    }

    private static BytesRef readBytes(DataInputStream in) throws IOException {
        int length = in.readShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new BytesRef(bytes);
    }
}
