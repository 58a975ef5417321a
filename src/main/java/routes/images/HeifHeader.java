package routes.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an HEIF file (AVIF, HEIC: ISO/IEC 23008-12 over the ISO base media file format) says about its primary image
 * before anything is decoded: its brand, its size and whether it has an alpha plane. The boxes are walked by their
 * lengths: the top level for {@code ftyp} and {@code meta} (at most {@value #TOP_BOXES} boxes), then inside
 * {@code meta} the primary item ({@code pitm}) and its properties ({@code iprp}: {@code ipco} holds them,
 * {@code ipma} says which belong to which item): {@code ispe} is the coded size, {@code irot} a turn by quarter turns
 * anticlockwise (applied by decoders, so it swaps width and height), {@code auxC} an auxiliary image whose type
 * marks it as alpha. Only the {@code meta} box is read into memory, and only when it is at most
 * {@value #MAX_META} bytes. Nothing is trusted: every length is checked against what is left.
 */
final class HeifHeader {

    private static final int TOP_BOXES = 64;
    private static final int MAX_META = 4 * 1024 * 1024;
    private static final List<String> AVIF_BRANDS = List.of("avif", "avis");
    private static final List<String> HEIC_BRANDS = List.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1",
            "msf1", "mif2");

    /**
     * @param width  the primary image's width as decoded (after its rotation), -1 when not stated
     * @param height its height, likewise
     * @param alpha  whether an alpha auxiliary image is declared
     */
    record Facts(long width, long height, boolean alpha) {
    }

    private HeifHeader() {
    }

    /**
     * The HEIF format named by the {@code ftyp} box at the start of {@code head}: AVIF when its major or a compatible
     * brand is {@code avif}/{@code avis}, HEIC for the HEIF brands (major or compatible); null for anything else,
     * including MP4 and QuickTime files, which also start with {@code ftyp}.
     */
    static ImageFormat sniff(byte[] head, int length) {
        if (length < 16 || head[4] != 'f' || head[5] != 't' || head[6] != 'y' || head[7] != 'p') {
            return null;
        }
        long boxSize = Integer.toUnsignedLong(ByteBuffer.wrap(head, 0, 4).getInt());
        List<String> brands = new ArrayList<>();
        brands.add(ascii(head, 8));
        for (int at = 16; at + 4 <= Math.min(length, boxSize); at += 4) {
            brands.add(ascii(head, at));
        }
        if (brands.stream().anyMatch(AVIF_BRANDS::contains)) {
            return ImageFormat.AVIF;
        }
        if (brands.stream().anyMatch(HEIC_BRANDS::contains)) {
            return ImageFormat.HEIC;
        }
        return null;
    }

    /** The primary image's facts; an {@link IOException} for a file whose boxes do not add up. */
    static Facts read(SeekableByteChannel in) throws IOException {
        long size = in.size();
        long at = 0;
        for (int box = 0; box < TOP_BOXES && at + 8 <= size; box++) {
            ByteBuffer header = ByteBuffer.wrap(ImageHeaders.readAt(in, at, 8));
            long boxSize = Integer.toUnsignedLong(header.getInt());
            String type = ascii(header.array(), 4);
            int headerLength = 8;
            if (boxSize == 1) {
                if (at + 16 > size) {
                    throw new IOException("the " + type + " box is cut short");
                }
                boxSize = ByteBuffer.wrap(ImageHeaders.readAt(in, at + 8, 8)).getLong();
                headerLength = 16;
            } else if (boxSize == 0) {
                boxSize = size - at;
            }
            if (boxSize < headerLength || at + boxSize > size) {
                throw new IOException("the " + type + " box claims " + boxSize + " bytes, past the end of the file");
            }
            if (type.equals("meta")) {
                long contentLength = boxSize - headerLength;
                if (contentLength > MAX_META) {
                    throw new IOException("the meta box is " + contentLength + " bytes; at most " + MAX_META
                            + " are read");
                }
                return meta(ByteBuffer.wrap(ImageHeaders.readAt(in, at + headerLength, (int) contentLength)));
            }
            at += boxSize;
        }
        throw new IOException("no meta box describes the image");
    }

    /** A box: its four-letter type and its content (past its header), positioned at the start. */
    private record Box(String type, ByteBuffer content) {
    }

    /** The {@code meta} box's content: a full box (version, flags), then child boxes. */
    private static Facts meta(ByteBuffer meta) throws IOException {
        fullBox(meta);
        long primary = -1;
        List<Box> properties = null;
        List<long[]> associations = new ArrayList<>(); // {item, property index (1-based)}
        for (Box child : children(meta)) {
            if (child.type().equals("pitm")) {
                int version = fullBox(child.content());
                primary = version == 0 ? u16(child.content()) : u32(child.content());
            } else if (child.type().equals("iprp")) {
                for (Box part : children(child.content())) {
                    if (part.type().equals("ipco")) {
                        properties = children(part.content());
                    } else if (part.type().equals("ipma")) {
                        associations(part.content(), associations);
                    }
                }
            }
        }
        if (properties == null) {
            throw new IOException("the meta box has no item properties");
        }
        long width = -1;
        long height = -1;
        int quarterTurns = 0;
        boolean alpha = false;
        for (Box property : properties) {
            if (property.type().equals("auxC")) {
                ByteBuffer content = property.content().duplicate();
                fullBox(content);
                String urn = cString(content);
                alpha |= urn.equals("urn:mpeg:mpegB:cicp:systems:auxiliary:alpha")
                        || urn.equals("urn:mpeg:hevc:2015:auxid:1");
            }
        }
        for (long[] association : associations) {
            if (association[0] != primary || association[1] < 1 || association[1] > properties.size()) {
                continue;
            }
            Box property = properties.get((int) association[1] - 1);
            ByteBuffer content = property.content().duplicate();
            if (property.type().equals("ispe")) {
                fullBox(content);
                width = u32(content);
                height = u32(content);
            } else if (property.type().equals("irot")) {
                need(content, 1, "irot");
                quarterTurns = content.get() & 3;
            }
        }
        if (quarterTurns % 2 == 1) {
            return new Facts(height, width, alpha);
        }
        return new Facts(width, height, alpha);
    }

    /** {@code ipma}: per item, the indices of its properties (the essential bit dropped). */
    private static void associations(ByteBuffer ipma, List<long[]> into) throws IOException {
        need(ipma, 4, "ipma");
        int flags = ipma.getInt(ipma.position()) & 0xFFFFFF;
        int version = fullBox(ipma);
        long entries = u32(ipma);
        for (long e = 0; e < entries; e++) {
            long item = version < 1 ? u16(ipma) : u32(ipma);
            int count = (int) u8(ipma);
            for (int a = 0; a < count; a++) {
                long index = (flags & 1) != 0 ? u16(ipma) & 0x7FFF : u8(ipma) & 0x7F;
                into.add(new long[] {item, index});
            }
        }
    }

    /** The boxes in {@code parent}'s remaining bytes. */
    private static List<Box> children(ByteBuffer parent) throws IOException {
        List<Box> boxes = new ArrayList<>();
        while (parent.remaining() >= 8) {
            int start = parent.position();
            long size = u32(parent);
            byte[] type = new byte[4];
            parent.get(type);
            String name = new String(type, StandardCharsets.ISO_8859_1);
            int headerLength = 8;
            if (size == 1) {
                need(parent, 8, name);
                size = parent.getLong();
                headerLength = 16;
            } else if (size == 0) {
                size = parent.limit() - start;
            }
            if (size < headerLength || size > parent.limit() - start) {
                throw new IOException("the " + name + " box claims " + size + " bytes, more than its parent holds");
            }
            ByteBuffer content = parent.duplicate();
            content.position(start + headerLength).limit((int) (start + size));
            boxes.add(new Box(name, content.slice()));
            parent.position((int) (start + size));
        }
        return boxes;
    }

    private static int fullBox(ByteBuffer box) throws IOException {
        need(box, 4, "full box");
        int versionAndFlags = box.getInt();
        return versionAndFlags >>> 24;
    }

    private static long u8(ByteBuffer b) throws IOException {
        need(b, 1, "box");
        return b.get() & 0xFF;
    }

    private static long u16(ByteBuffer b) throws IOException {
        need(b, 2, "box");
        return b.getShort() & 0xFFFF;
    }

    private static long u32(ByteBuffer b) throws IOException {
        need(b, 4, "box");
        return Integer.toUnsignedLong(b.getInt());
    }

    private static String cString(ByteBuffer b) {
        StringBuilder text = new StringBuilder();
        while (b.hasRemaining()) {
            byte c = b.get();
            if (c == 0) {
                break;
            }
            text.append((char) (c & 0xFF));
        }
        return text.toString();
    }

    private static void need(ByteBuffer b, int bytes, String what) throws IOException {
        if (b.remaining() < bytes) {
            throw new IOException("the " + what + " box is cut short");
        }
    }

    private static String ascii(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.ISO_8859_1);
    }
}
