package routes.images;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;

/**
 * An ImageIO writer of AVIF: the image goes to {@link ImageTools#encodeAvif heif-enc} as a quickly deflated PNG (alpha
 * kept), and the AVIF it makes is copied to the output. The quality is the write param's compression quality
 * (0-1, as for JPEG), 0.8 when none is set. No metadata is written.
 */
final class AvifImageWriter extends ImageWriter {

    static final float DEFAULT_QUALITY = 0.8f;

    AvifImageWriter(ImageWriterSpi provider) {
        super(provider);
    }

    @Override
    public ImageWriteParam getDefaultWriteParam() {
        return new AvifWriteParam(getLocale());
    }

    @Override
    public IIOMetadata getDefaultStreamMetadata(ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata getDefaultImageMetadata(ImageTypeSpecifier imageType, ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata convertStreamMetadata(IIOMetadata inData, ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata convertImageMetadata(IIOMetadata inData, ImageTypeSpecifier imageType,
                                            ImageWriteParam param) {
        return null;
    }

    @Override
    public void write(IIOMetadata streamMetadata, IIOImage image, ImageWriteParam param) throws IOException {
        if (!(output instanceof ImageOutputStream out)) {
            throw new IllegalStateException("no output set");
        }
        float quality = param != null && param.getCompressionMode() == ImageWriteParam.MODE_EXPLICIT
                ? param.getCompressionQuality() : DEFAULT_QUALITY;
        Path folder = ImageTools.workFolder();
        try {
            Path png = folder.resolve("image.png");
            writePng(image.getRenderedImage(), png);
            Path avif = folder.resolve("image.avif");
            ImageTools.encodeAvif(png, Math.round(quality * 100), avif);
            try (InputStream in = Files.newInputStream(avif)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
            out.flush();
        } finally {
            ImageTools.delete(folder);
        }
    }

    /** Compression by AV1 only, at a quality from 0 to 1. */
    private static final class AvifWriteParam extends ImageWriteParam {
        AvifWriteParam(Locale locale) {
            super(locale);
            canWriteCompressed = true;
            compressionTypes = new String[] {"AV1"};
            compressionType = "AV1";
            compressionQuality = DEFAULT_QUALITY;
        }
    }

    /**
     * A PNG at the fastest deflate level, always RGB or RGBA: it lives for one heif-enc run. (A grey or palette PNG
     * would make heif-enc encode a monochrome AV1 image, on which this libaom aborts.)
     */
    private static void writePng(RenderedImage rendered, Path png) throws IOException {
        java.awt.image.BufferedImage image = Pixels.toBuffered(rendered);
        int type = image.getColorModel().hasAlpha() ? java.awt.image.BufferedImage.TYPE_INT_ARGB
                : java.awt.image.BufferedImage.TYPE_INT_RGB;
        if (image.getType() != type) {
            java.awt.image.BufferedImage converted = new java.awt.image.BufferedImage(image.getWidth(),
                    image.getHeight(), type);
            java.awt.Graphics2D g = converted.createGraphics();
            g.setComposite(java.awt.AlphaComposite.Src);
            g.drawImage(image, 0, 0, null);
            g.dispose();
            image = converted;
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(png.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(1f); // the JDK's writer deflates at level 9 * (1 - q): stored
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** The service provider (registered when heif-enc is installed). */
    static final class Spi extends ImageWriterSpi {
        Spi() {
            super("Caravan", "1", new String[] {"avif", "AVIF"}, new String[] {"avif"}, new String[] {"image/avif"},
                    AvifImageWriter.class.getName(), new Class<?>[] {ImageOutputStream.class}, null,
                    false, null, null, null, null, false, null, null, null, null);
        }

        @Override
        public boolean canEncodeImage(ImageTypeSpecifier type) {
            return true;
        }

        @Override
        public ImageWriter createWriterInstance(Object extension) {
            return new AvifImageWriter(this);
        }

        @Override
        public String getDescription(Locale locale) {
            return "AVIF through libheif's heif-enc";
        }
    }
}
