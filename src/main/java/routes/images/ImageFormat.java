package routes.images;

import java.util.Locale;
import javax.imageio.ImageIO;

/** The image formats Caravan knows by their magic bytes. Which of them can be read or written depends on ImageIO. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    GIF("image/gif", "gif"),
    BMP("image/bmp", "bmp"),
    WEBP("image/webp", "webp"),
    TIFF("image/tiff", "tiff"),
    AVIF("image/avif", "avif"),
    HEIC("image/heic", "heic");

    static {
        HeifPlugins.register();
    }

    private final String contentType;
    private final String extension;

    ImageFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    /** The lower-case name used in options, canonical specs and ImageIO look-ups: {@code jpeg}, {@code png}... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String contentType() {
        return contentType;
    }

    /** The file extension of renditions in this format ({@code jpg} for JPEG). */
    public String extension() {
        return extension;
    }

    /** Whether an ImageIO reader for this format is installed. */
    public boolean canRead() {
        return ImageIO.getImageReadersByFormatName(id()).hasNext();
    }

    /**
     * Whether an ImageIO writer for this format is installed (WebP needs a plugin; the JDK has none; AVIF needs
     * heif-enc; HEIC is read only).
     */
    public boolean canWrite() {
        return ImageIO.getImageWritersByFormatName(id()).hasNext();
    }

    /**
     * The format named {@code jpeg}, {@code jpg}, {@code png}, {@code gif}, {@code bmp}, {@code webp},
     * {@code tif(f)}, {@code avif}, {@code heic}/{@code heif}; null when unknown.
     */
    public static ImageFormat byName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> JPEG;
            case "png" -> PNG;
            case "gif" -> GIF;
            case "bmp" -> BMP;
            case "webp" -> WEBP;
            case "tiff", "tif" -> TIFF;
            case "avif" -> AVIF;
            case "heic", "heif" -> HEIC;
            default -> null;
        };
    }

    /** The format whose signature starts {@code head}; null when none matches. */
    static ImageFormat sniff(byte[] head, int length) {
        if (length >= 3 && u(head[0]) == 0xFF && u(head[1]) == 0xD8 && u(head[2]) == 0xFF) {
            return JPEG;
        }
        if (length >= 8 && u(head[0]) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A) {
            return PNG;
        }
        if (length >= 6 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8'
                && (head[4] == '7' || head[4] == '9') && head[5] == 'a') {
            return GIF;
        }
        if (length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return WEBP;
        }
        if (length >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42))) {
            return TIFF;
        }
        ImageFormat heif = HeifHeader.sniff(head, length);
        if (heif != null) {
            return heif;
        }
        if (length >= 14 && head[0] == 'B' && head[1] == 'M') {
            return BMP;
        }
        return null;
    }

    private static int u(byte b) {
        return b & 0xFF;
    }
}
