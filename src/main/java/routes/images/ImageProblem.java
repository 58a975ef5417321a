package routes.images;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why an image request was refused: an HTTP status (always 4xx), a short machine-readable type slug, a title and a
 * sentence saying what was wrong. Callers turn it into an RFC 9457 {@code application/problem+json} body, for
 * which {@link #toProblemDetail(String)} gives the members.
 */
public class ImageProblem extends RuntimeException {

    /** Every kind of problem, with its status, type slug and title. */
    public enum Kind {
        EMPTY_IMAGE(422, "empty-image", "Empty image"),
        UNSUPPORTED_FORMAT(415, "unsupported-format", "Unsupported image format"),
        CORRUPT_IMAGE(422, "corrupt-image", "Corrupt image"),
        IMAGE_TOO_LARGE(413, "image-too-large", "Image too large"),
        DECOMPRESSION_BOMB(422, "decompression-bomb", "Image dimensions too large"),
        TOO_MANY_FRAMES(422, "too-many-frames", "Too many frames"),
        BAD_OPTIONS(400, "bad-options", "Bad image options"),
        OUTPUT_TOO_LARGE(400, "output-too-large", "Requested output too large"),
        BAD_SIGNATURE(403, "bad-signature", "Bad signature"),
        EXPIRED_URL(403, "expired-url", "Expired URL"),
        BAD_KEY(400, "bad-key", "Bad image key");

        private final int status;
        private final String type;
        private final String title;

        Kind(int status, String type, String title) {
            this.status = status;
            this.type = type;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String type() {
            return type;
        }

        public String title() {
            return title;
        }
    }

    private final Kind kind;

    public ImageProblem(Kind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    public ImageProblem(Kind kind, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, 4xx. */
    public int status() {
        return kind.status();
    }

    /** The machine-readable slug, e.g. {@code decompression-bomb}. */
    public String type() {
        return kind.type();
    }

    public String title() {
        return kind.title();
    }

    /** One sentence saying what was wrong with this request. */
    public String detail() {
        return getMessage();
    }

    /**
     * The members of an RFC 9457 problem object: {@code type} (the slug under {@code typeBase}, or the bare slug
     * when {@code typeBase} is null), {@code title}, {@code status} and {@code detail}.
     */
    public Map<String, Object> toProblemDetail(String typeBase) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", typeBase == null ? type() : typeBase + type());
        body.put("title", title());
        body.put("status", status());
        body.put("detail", detail());
        return body;
    }

    static ImageProblem badOptions(String detail) {
        return new ImageProblem(Kind.BAD_OPTIONS, detail);
    }

    static ImageProblem corrupt(String detail, Throwable cause) {
        return new ImageProblem(Kind.CORRUPT_IMAGE, detail, cause);
    }
}
