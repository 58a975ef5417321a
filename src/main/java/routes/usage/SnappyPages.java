package routes.usage;

import io.airlift.compress.snappy.SnappyCompressor;
import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Compresses Parquet pages with Snappy in pure Java (aircompressor's raw Snappy, the block format Parquet's SNAPPY
 * means). Parquet's own codec factory goes through Hadoop's codec classes and a Hadoop configuration; this one needs
 * neither Hadoop nor a native library. Writes only: it has no decompressor.
 */
final class SnappyPages implements CompressionCodecFactory {

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (codec != CompressionCodecName.SNAPPY) {
            throw new IllegalArgumentException("only SNAPPY is written, not " + codec);
        }
        return new BytesInputCompressor() {
            private final SnappyCompressor snappy = new SnappyCompressor();

            @Override
            public BytesInput compress(BytesInput page) throws IOException {
                byte[] raw = page.toByteArray();
                byte[] out = new byte[snappy.maxCompressedLength(raw.length)];
                int length = snappy.compress(raw, 0, raw.length, out, 0, out.length);
                return BytesInput.from(out, 0, length);
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.SNAPPY;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("the usage lake writes Parquet, it does not read it");
    }

    @Override
    public void release() {
    }
}
