package routes.stt.moonshine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Mono 16 kHz audio read a range at a time, so that hours of it never have to be in memory at once: samples as
 * floats in [-1, 1].
 */
public interface Samples {

    /** How many samples there are. */
    int length();

    /** The samples {@code [from, to)}, as a new array. */
    float[] read(int from, int to);

    /** Samples already in memory. */
    static Samples of(float[] samples) {
        return new Samples() {
            @Override
            public int length() {
                return samples.length;
            }

            @Override
            public float[] read(int from, int to) {
                return java.util.Arrays.copyOfRange(samples, from, to);
            }
        };
    }

    /**
     * Raw 16-bit little-endian samples in a file, read where they are asked for (positional reads: safe for
     * concurrent use). Close it when done.
     */
    static File pcm(Path file) throws IOException {
        return new File(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** Samples in a raw PCM file. */
    final class File implements Samples, AutoCloseable {

        private final FileChannel channel;
        private final int length;

        private File(FileChannel channel) throws IOException {
            this.channel = channel;
            long samples = channel.size() / 2;
            if (samples > Integer.MAX_VALUE) {
                channel.close();
                throw new IOException("the audio is too long: " + channel.size() + " bytes");
            }
            this.length = (int) samples;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public float[] read(int from, int to) {
            if (from < 0 || to > length || from > to) {
                throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + length + " samples");
            }
            ByteBuffer bytes = ByteBuffer.allocate((to - from) * 2).order(ByteOrder.LITTLE_ENDIAN);
            long at = from * 2L;
            try {
                while (bytes.hasRemaining()) {
                    int n = channel.read(bytes, at + bytes.position());
                    if (n < 0) {
                        throw new IOException("the audio file ended early");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes.flip();
            float[] out = new float[to - from];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes.getShort() / 32768f;
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
