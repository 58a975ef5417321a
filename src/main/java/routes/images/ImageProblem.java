package routes.images;

import routes.api.ApiProblem;

/**
 * Why an image request was refused: an HTTP status (always 4xx), a short machine-readable type slug, a title and a
 * sentence saying what was wrong. It is an {@link ApiProblem}, so the API answers it as RFC 9457
 * {@code application/problem+json} like any other refusal.
 */
public class ImageProblem extends ApiProblem {

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
        this(kind, detail, null);
    }

    public ImageProblem(Kind kind, String detail, Throwable cause) {
        super(kind.status(), kind.type(), kind.title(), detail, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static ImageProblem badOptions(String detail) {
        return new ImageProblem(Kind.BAD_OPTIONS, detail);
    }

    static ImageProblem corrupt(String detail, Throwable cause) {
        return new ImageProblem(Kind.CORRUPT_IMAGE, detail, cause);
    }
}
