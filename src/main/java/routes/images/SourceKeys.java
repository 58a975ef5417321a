package routes.images;

import java.nio.charset.StandardCharsets;

/** Checks object keys that come from request paths before they reach S3 or a file name. */
public final class SourceKeys {

    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024;

    /** The longest segment between slashes, in UTF-8 bytes (a file name on the storages S3 is emulated on). */
    public static final int MAX_SEGMENT_BYTES = 255;

    /** A scheme and a slash: {@code http://...}, {@code s3:/...}. */
    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("(?i)[a-z][a-z0-9+.-]*:/.*");
    /** An http(s) URL, as image URLs name remote images. */
    private static final java.util.regex.Pattern HTTP_URL = java.util.regex.Pattern.compile("(?i)https?://.+");

    private SourceKeys() {
    }

    /**
     * {@code key} when it is a safe object key: not empty, at most {@value #MAX_BYTES} bytes of UTF-8, no leading
     * {@code /}, no backslash, no empty, {@code .} or {@code ..} segment, not a URL ({@code http://...}: images are
     * not fetched from elsewhere), and only printable characters (no control or
     * NUL, no format or private-use characters, no unpaired surrogates, no U+FFFD left by a bad decoding).
     *
     * @throws ImageProblem 400 {@code bad-key} saying what is wrong
     */
    public static String validate(String key) {
        checkText(key);
        if (key.startsWith("/")) {
            throw badKey("The key must not start with '/'.");
        }
        if (key.indexOf('\\') >= 0) {
            throw badKey("The key must not contain a backslash.");
        }
        if (URL.matcher(key).matches()) {
            throw badKey("The key is a URL: images are read from this server's storage by their key"
                    + " (originals/{assetId}/{file}), and fetched from other servers only from the origins listed in"
                    + " caravan.images.remote-origins.");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw badKey("The key has an empty segment ('//' or a trailing '/'): no stored image has one.");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw badKey("A segment of the key is longer than " + MAX_SEGMENT_BYTES + " bytes: no stored image"
                        + " has one (file names are kept to 128 characters).");
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw badKey("The key must not have a '" + segment + "' segment.");
            }
        }
        return key;
    }

    /**
     * {@link #validate}, except that an http(s) URL is only checked for being printable and at most
     * {@value #MAX_BYTES} bytes: whether it may be fetched is for the remote origins to say ({@link RemoteOriginals}),
     * and without them it is refused where it is looked up.
     */
    public static String validateKeyOrUrl(String key) {
        if (key != null && HTTP_URL.matcher(key).matches()) {
            checkText(key);
            return key;
        }
        return validate(key);
    }

    /** Not empty, printable, at most {@value #MAX_BYTES} bytes of UTF-8. */
    private static void checkText(String key) {
        if (key == null || key.isEmpty()) {
            throw badKey("The key is empty.");
        }
        for (int i = 0; i < key.length(); ) {
            int c = key.codePointAt(i);
            if (!printable(c)) {
                throw badKey(String.format("The key has a character that is not printable (U+%04X) at %d.", c, i));
            }
            i += Character.charCount(c);
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw badKey("The key is " + bytes + " bytes long; the limit is " + MAX_BYTES + ".");
        }
    }

    private static boolean printable(int c) {
        if (c == 0xFFFD) {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    private static ImageProblem badKey(String detail) {
        return new ImageProblem(ImageProblem.Kind.BAD_KEY, detail);
    }
}
