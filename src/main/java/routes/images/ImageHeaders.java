package routes.images;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * What Caravan reads from image headers itself, before handing the file to ImageIO: the dimensions a PNG, GIF or
 * JPEG declares (so an absurd size is refused even if a reader would choke on it first) and the EXIF orientation
 * of JPEG (APP1 {@code Exif}) and TIFF files. Reads a few small, bounded pieces of the file and never trusts an
 * offset without checking it against the bytes at hand.
 */
final class ImageHeaders {

    /** Orientation tag of TIFF IFD0 / EXIF. */
    private static final int TAG_ORIENTATION = 0x0112;
    /** Markers walked before giving up on a JPEG header. */
    private static final int MAX_JPEG_SEGMENTS = 256;
    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

    /** Declared width and height (-1 when not found) and EXIF orientation (1 when none). */
    record Declared(long width, long height, int orientation) {
        static final Declared NONE = new Declared(-1, -1, 1);
    }

    private ImageHeaders() {
    }

    static Declared read(SeekableByteChannel in, ImageFormat format, byte[] head, int headLength) throws IOException {
        return switch (format) {
            case PNG -> png(in, head, headLength);
            case GIF -> gif(head, headLength);
            case JPEG -> jpeg(in);
            case TIFF -> new Declared(-1, -1, tiffOrientation(readAt(in, 0, (int) Math.min(in.size(), 65536))));
            case AVIF, HEIC -> heif(in);
            default -> Declared.NONE;
        };
    }

    /**
     * AVIF and HEIC: the primary image's size as {@link HeifHeader} reads it (its rotation applied). Orientation 1:
     * HEIF turns and mirrors with its own {@code irot}/{@code imir} properties, which the decoder applies, and an
     * EXIF orientation in the file must be ignored (ISO/IEC 23008-12).
     */
    private static Declared heif(SeekableByteChannel in) throws IOException {
        HeifHeader.Facts facts = HeifHeader.read(in);
        return new Declared(facts.width(), facts.height(), 1);
    }

    /**
     * PNG: the IHDR chunk must come first; width and height are unsigned 32-bit big-endian. The orientation is that
     * of an {@code eXIf} chunk (Exif in TIFF form, PNG's extension of 2017) before the image data: the chunks are
     * walked by their lengths, at most {@value #PNG_CHUNKS} of them, only an {@code eXIf} of at most 64 KB read.
     */
    private static Declared png(SeekableByteChannel in, byte[] head, int length) throws IOException {
        if (length < 24 || head[12] != 'I' || head[13] != 'H' || head[14] != 'D' || head[15] != 'R') {
            return Declared.NONE;
        }
        ByteBuffer b = ByteBuffer.wrap(head, 16, 8).order(ByteOrder.BIG_ENDIAN);
        long width = Integer.toUnsignedLong(b.getInt());
        long height = Integer.toUnsignedLong(b.getInt());
        int orientation = 1;
        long at = 8;
        long size = in.size();
        for (int chunk = 0; chunk < PNG_CHUNKS && at + 8 <= size; chunk++) {
            ByteBuffer header = ByteBuffer.wrap(readAt(in, at, 8)).order(ByteOrder.BIG_ENDIAN);
            long chunkLength = Integer.toUnsignedLong(header.getInt());
            String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT") || type.equals("IEND")) {
                break;
            }
            if (type.equals("eXIf") && chunkLength <= 65536 && at + 8 + chunkLength <= size) {
                orientation = tiffOrientation(readAt(in, at + 8, (int) chunkLength));
                break;
            }
            at += 12 + chunkLength;
        }
        return new Declared(width, height, orientation);
    }

    static final int PNG_CHUNKS = 64;

    /** GIF: the logical screen, 16-bit little-endian, right after the signature. */
    private static Declared gif(byte[] head, int length) {
        if (length < 10) {
            return Declared.NONE;
        }
        long width = (head[6] & 0xFF) | (head[7] & 0xFF) << 8;
        long height = (head[8] & 0xFF) | (head[9] & 0xFF) << 8;
        return new Declared(width, height, 1);
    }

    /** JPEG: walks the marker segments up to the first scan, taking the frame size (SOFn) and the Exif orientation. */
    private static Declared jpeg(SeekableByteChannel in) throws IOException {
        long size = in.size();
        long pos = 2;
        long width = -1;
        long height = -1;
        int orientation = 1;
        boolean exifSeen = false;
        for (int i = 0; i < MAX_JPEG_SEGMENTS && pos + 4 <= size; i++) {
            byte[] marker = readAt(in, pos, 4);
            if ((marker[0] & 0xFF) != 0xFF) {
                break; // not at a marker: leave the verdict to the decoder
            }
            int code = marker[1] & 0xFF;
            if (code == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (code == 0xD8 || code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
                pos += 2; // stand-alone markers
                continue;
            }
            if (code == 0xD9 || code == 0xDA) {
                break; // end of image, start of scan: the header is over
            }
            int length = (marker[2] & 0xFF) << 8 | (marker[3] & 0xFF);
            if (length < 2) {
                break;
            }
            long payload = pos + 4;
            int payloadLength = length - 2;
            if (isStartOfFrame(code) && width < 0 && payloadLength >= 5 && payload + 5 <= size) {
                byte[] sof = readAt(in, payload, 5);
                height = (sof[1] & 0xFF) << 8 | (sof[2] & 0xFF);
                width = (sof[3] & 0xFF) << 8 | (sof[4] & 0xFF);
            } else if (code == 0xE1 && !exifSeen && payloadLength > EXIF_ID.length && payload + payloadLength <= size) {
                byte[] app1 = readAt(in, payload, payloadLength);
                if (startsWith(app1, EXIF_ID)) {
                    exifSeen = true;
                    byte[] tiff = new byte[app1.length - EXIF_ID.length];
                    System.arraycopy(app1, EXIF_ID.length, tiff, 0, tiff.length);
                    orientation = tiffOrientation(tiff);
                }
            }
            pos = payload + payloadLength;
        }
        return new Declared(width, height, orientation);
    }

    private static boolean isStartOfFrame(int code) {
        return code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
    }

    /**
     * The Orientation (0x0112) of IFD0 of a TIFF structure ({@code II*\0} or {@code MM\0*}, then the offset of
     * IFD0); 1 when absent, out of range (not 1..8) or anything does not fit in {@code tiff}.
     */
    static int tiffOrientation(byte[] tiff) {
        if (tiff.length < 8) {
            return 1;
        }
        ByteOrder order;
        if (tiff[0] == 'I' && tiff[1] == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (tiff[0] == 'M' && tiff[1] == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            return 1;
        }
        ByteBuffer b = ByteBuffer.wrap(tiff).order(order);
        if ((b.getShort(2) & 0xFFFF) != 42) {
            return 1;
        }
        long ifd = Integer.toUnsignedLong(b.getInt(4));
        if (ifd < 8 || ifd + 2 > tiff.length) {
            return 1;
        }
        int count = b.getShort((int) ifd) & 0xFFFF;
        for (int i = 0; i < count; i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > tiff.length) {
                return 1;
            }
            int at = (int) entry;
            int tag = b.getShort(at) & 0xFFFF;
            if (tag != TAG_ORIENTATION) {
                continue;
            }
            int type = b.getShort(at + 2) & 0xFFFF;
            int value;
            if (type == 3) { // SHORT, stored left-justified in the value field
                value = b.getShort(at + 8) & 0xFFFF;
            } else if (type == 4) { // LONG, seen in the wild
                value = b.getInt(at + 8);
            } else {
                return 1;
            }
            return value >= 1 && value <= 8 ? value : 1;
        }
        return 1;
    }

    static byte[] readAt(SeekableByteChannel in, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        in.position(position);
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new EOFException("file ends inside its header");
            }
        }
        return buffer.array();
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
