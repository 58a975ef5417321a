package routes.images;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * An ImageIO reader of AVIF and HEIC: the size and alpha from {@link HeifHeader} (nothing decoded), the pixels from
 * {@link ImageTools#decodeHeif heif-convert} as a PNG that the JDK's PNG reader then reads with the caller's
 * {@link ImageReadParam} (subsampling, region). One image per file: the primary one.
 */
final class HeifImageReader extends ImageReader {

    private HeifHeader.Facts facts;

    HeifImageReader(ImageReaderSpi provider) {
        super(provider);
    }

    @Override
    public void setInput(Object input, boolean seekForwardOnly, boolean ignoreMetadata) {
        super.setInput(input, seekForwardOnly, ignoreMetadata);
        facts = null;
    }

    @Override
    public int getNumImages(boolean allowSearch) {
        return 1;
    }

    @Override
    public int getWidth(int imageIndex) throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, facts(imageIndex).width());
    }

    @Override
    public int getHeight(int imageIndex) throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, facts(imageIndex).height());
    }

    @Override
    public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) throws IOException {
        return List.of(ImageTypeSpecifier.createFromBufferedImageType(facts(imageIndex).alpha()
                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB)).iterator();
    }

    @Override
    public IIOMetadata getStreamMetadata() {
        return null;
    }

    @Override
    public IIOMetadata getImageMetadata(int imageIndex) {
        return null;
    }

    @Override
    public BufferedImage read(int imageIndex, ImageReadParam param) throws IOException {
        facts(imageIndex);
        Path folder = ImageTools.workFolder();
        try {
            Path source = folder.resolve("source");
            try (OutputStream out = Files.newOutputStream(source)) {
                copy(stream(), out);
            }
            Path png = folder.resolve("decoded.png");
            ImageTools.decodeHeif(source, png);
            ImageReader pngReader = ImageIO.getImageReadersByFormatName("png").next();
            try (ImageInputStream in = new FileImageInputStream(png.toFile())) {
                pngReader.setInput(in, true, true);
                long decoded = (long) pngReader.getWidth(0) * pngReader.getHeight(0);
                if (decoded > facts.width() * facts.height()) { // the limits were checked against the declared size
                    throw new IIOException("the image decodes to " + pngReader.getWidth(0) + "x"
                            + pngReader.getHeight(0) + ", larger than the " + facts.width() + "x" + facts.height()
                            + " it declares");
                }
                return pngReader.read(0, param);
            } finally {
                pngReader.dispose();
            }
        } finally {
            ImageTools.delete(folder);
        }
    }

    private HeifHeader.Facts facts(int imageIndex) throws IOException {
        if (imageIndex != 0) {
            throw new IndexOutOfBoundsException("an HEIF file is read as its primary image only: " + imageIndex);
        }
        if (facts == null) {
            ImageInputStream in = stream();
            HeifHeader.Facts read = HeifHeader.read(new StreamChannel(in));
            if (read.width() <= 0 || read.height() <= 0) {
                throw new IIOException("the primary image has no size (ispe)");
            }
            facts = read;
        }
        return facts;
    }

    private ImageInputStream stream() throws IOException {
        if (!(input instanceof ImageInputStream in)) {
            throw new IllegalStateException("no input set");
        }
        return in;
    }

    private static void copy(ImageInputStream in, OutputStream out) throws IOException {
        in.seek(0);
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
    }

    /** A read-only channel over an ImageInputStream of known length. */
    private static final class StreamChannel implements SeekableByteChannel {
        private final ImageInputStream in;
        private final long size;

        StreamChannel(ImageInputStream in) throws IOException {
            this.in = in;
            long length = in.length();
            this.size = length >= 0 ? length : Long.MAX_VALUE;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            byte[] bytes = new byte[dst.remaining()];
            int n = in.read(bytes);
            if (n > 0) {
                dst.put(bytes, 0, n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public long position() throws IOException {
            return in.getStreamPosition();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            in.seek(newPosition);
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // the stream belongs to the caller
        }
    }

    /** The service provider: AVIF and HEIC by their {@code ftyp} brands (registered when heif-convert is installed). */
    static final class Spi extends ImageReaderSpi {
        Spi() {
            super("Caravan", "1", new String[] {"avif", "heic", "heif", "AVIF", "HEIC", "HEIF"},
                    new String[] {"avif", "heic", "heif"},
                    new String[] {"image/avif", "image/heic", "image/heif"},
                    HeifImageReader.class.getName(), new Class<?>[] {ImageInputStream.class}, null,
                    false, null, null, null, null, false, null, null, null, null);
        }

        @Override
        public boolean canDecodeInput(Object source) throws IOException {
            if (!(source instanceof ImageInputStream in)) {
                return false;
            }
            byte[] head = new byte[32];
            in.mark();
            try {
                int n = 0;
                while (n < head.length) {
                    int r = in.read(head, n, head.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                return HeifHeader.sniff(head, n) != null;
            } finally {
                in.reset();
            }
        }

        @Override
        public ImageReader createReaderInstance(Object extension) {
            return new HeifImageReader(this);
        }

        @Override
        public String getDescription(Locale locale) {
            return "AVIF and HEIC through libheif's heif-convert";
        }
    }
}
