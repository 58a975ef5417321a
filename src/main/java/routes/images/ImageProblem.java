package routes.images;

import routes.problems.Refusal;

/**
 * Why an image request was refused: the kind of refusal, a short machine-readable type slug, a title and a sentence
 * saying what was wrong. It is a {@link Refusal}, so the API answers it as RFC 9457 {@code application/problem+json}
 * like any other refusal.
 */
public class ImageProblem extends Refusal {

    /** Every kind of problem, with its status, type slug and title. */
    public enum Kind {
        EMPTY_IMAGE(Refusal.Kind.UNPROCESSABLE, "empty-image", "Empty image"),
        UNSUPPORTED_FORMAT(Refusal.Kind.UNSUPPORTED_TYPE, "unsupported-format", "Unsupported image format"),
        CORRUPT_IMAGE(Refusal.Kind.UNPROCESSABLE, "corrupt-image", "Corrupt image"),
        IMAGE_TOO_LARGE(Refusal.Kind.TOO_LARGE, "image-too-large", "Image too large"),
        DECOMPRESSION_BOMB(Refusal.Kind.UNPROCESSABLE, "decompression-bomb", "Image dimensions too large"),
        TOO_MANY_FRAMES(Refusal.Kind.UNPROCESSABLE, "too-many-frames", "Too many frames"),
        BAD_OPTIONS(Refusal.Kind.INVALID, "bad-options", "Bad image options"),
        OUTPUT_TOO_LARGE(Refusal.Kind.INVALID, "output-too-large", "Requested output too large"),
        BAD_SIGNATURE(Refusal.Kind.FORBIDDEN, "bad-signature", "Bad signature"),
        EXPIRED_URL(Refusal.Kind.FORBIDDEN, "expired-url", "Expired URL"),
        BAD_KEY(Refusal.Kind.INVALID, "bad-key", "Bad image key"),
        STORAGE_DENIED(Refusal.Kind.UPSTREAM_DENIED, "storage-access-denied", "Storage access denied");

        private final Refusal.Kind refusal;
        private final String type;
        private final String title;

        Kind(Refusal.Kind refusal, String type, String title) {
            this.refusal = refusal;
            this.type = type;
            this.title = title;
        }

        /** The kind of refusal this is. */
        public Refusal.Kind refusal() {
            return refusal;
        }

        public String type() {
            return type;
        }

        public String title() {
            return title;
        }
    }

    private final Kind imageKind;

    public ImageProblem(Kind kind, String detail) {
        this(kind, detail, null);
    }

    public ImageProblem(Kind kind, String detail, Throwable cause) {
        super(kind.refusal(), kind.type(), kind.title(), detail, cause);
        this.imageKind = kind;
    }

    /** Which image problem this is. */
    public Kind imageKind() {
        return imageKind;
    }

    static ImageProblem badOptions(String detail) {
        return new ImageProblem(Kind.BAD_OPTIONS, detail);
    }

    static ImageProblem corrupt(String detail, Throwable cause) {
        return new ImageProblem(Kind.CORRUPT_IMAGE, detail, cause);
    }
}
