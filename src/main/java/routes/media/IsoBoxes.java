package routes.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The top-level boxes (atoms) of an ISO base media file (MP4, MOV, M4A, 3GP), read without ffmpeg. */
public final class IsoBoxes {

    /**
     * One top-level box.
     *
     * @param type the four-character type, e.g. {@code moov}
     * @param offset where the box starts in the file
     * @param size the size the box header declares (to the end of the file for size 0)
     */
    public record Box(String type, long offset, long size) {
        public long end() {
            return offset + size;
        }
    }

    private IsoBoxes() {
    }

    /**
     * The top-level boxes in file order. Stops at the first header that does not parse (a file that is not ISO
     * media gives an empty or short list); a last box may end past the end of the file when it is truncated.
     */
    public static List<Box> topLevel(Path file) {
        List<Box> boxes = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(16);
            while (offset + 8 <= length) {
                header.clear();
                channel.read(header, offset);
                header.flip();
                if (header.remaining() < 8) {
                    break;
                }
                long size = Integer.toUnsignedLong(header.getInt());
                byte[] typeBytes = new byte[4];
                header.get(typeBytes);
                String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
                if (!type.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                    break;
                }
                if (size == 1) {
                    if (header.remaining() < 8) {
                        break;
                    }
                    size = header.getLong();
                    if (size < 16) {
                        break;
                    }
                } else if (size == 0) {
                    size = length - offset;
                } else if (size < 8) {
                    break;
                }
                boxes.add(new Box(type, offset, size));
                offset += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getFileName(), e);
        }
        return boxes;
    }

    /** True when a top-level box declares more bytes than the file holds: the file was cut short. */
    public static boolean truncated(Path file) {
        List<Box> boxes = topLevel(file);
        if (boxes.isEmpty()) {
            return false;
        }
        long length = file.toFile().length();
        return boxes.get(boxes.size() - 1).end() > length;
    }

    /** True when the {@code moov} box comes before the first {@code mdat} box (progressive playback). */
    public static boolean faststart(Path file) {
        int moov = -1;
        int mdat = -1;
        List<Box> boxes = topLevel(file);
        for (int i = 0; i < boxes.size(); i++) {
            String type = boxes.get(i).type();
            if (type.equals("moov") && moov < 0) {
                moov = i;
            } else if (type.equals("mdat") && mdat < 0) {
                mdat = i;
            }
        }
        return moov >= 0 && (mdat < 0 || moov < mdat);
    }
}
