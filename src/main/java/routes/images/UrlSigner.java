package routes.images;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks image URLs with HMAC-SHA256, in URL-safe base64 without padding (43 characters).
 *
 * <p>What is signed is the path after the signature segment, e.g. {@code fit-in/300x200/photos/cat.jpg} for Thumbor
 * URLs ({@link ThumborUrl#signedPath()}) or {@code w:320/photos/cat.jpg} for Caravan's own; with an expiry the
 * message is {@code PATH?expires=EPOCH_SECONDS}, so the expiry cannot be changed without breaking the signature.
 * Thumbor itself uses HMAC-SHA1 of the same path (URL-safe base64 with padding, 28 characters) with its
 * {@code SECURITY_KEY} of any length: given such keys, {@link #verifyThumbor} also takes those signatures, so
 * libthumbor and its ports sign URLs that work unchanged.
 *
 * <p>Several keys may be in force at once for rotation: URLs are signed with the first and accepted when they match
 * any. Comparison is constant-time ({@link MessageDigest#isEqual}) and every key is tried. A bad signature is a
 * 403 {@code bad-signature}, a good one past its expiry a 403 {@code expired-url}; {@code unsafe} in place of a
 * signature is accepted only when this signer allows it (off by default).
 */
public final class UrlSigner {

    /** Shortest key accepted, in UTF-8 bytes. */
    public static final int MIN_KEY_BYTES = 16;

    private static final String ALGORITHM = "HmacSHA256";

    private static final String THUMBOR_ALGORITHM = "HmacSHA1";
    private static final int THUMBOR_MAC_BYTES = 20;

    private final List<SecretKeySpec> keys;
    private final List<SecretKeySpec> thumborKeys;
    /** imgproxy's key and salt pairs; none: Caravan's keys with an empty salt. */
    private final List<Map.Entry<SecretKeySpec, byte[]>> imgproxyKeys;
    private final boolean allowUnsafe;
    private final Clock clock;

    /**
     * @param keys        secrets, newest first; may be empty only when unsafe URLs are allowed (nothing is signed)
     * @param allowUnsafe whether {@code unsafe} is accepted in place of a signature
     * @param clock       what expiries are checked against
     */
    public UrlSigner(List<String> keys, boolean allowUnsafe, Clock clock) {
        this(keys, List.of(), allowUnsafe, clock);
    }

    /**
     * The same, also taking Thumbor's own signatures on Thumbor URLs with {@code thumborKeys} (Thumbor's
     * {@code SECURITY_KEY}s, any length, newest first).
     */
    public UrlSigner(List<String> keys, List<String> thumborKeys, boolean allowUnsafe, Clock clock) {
        this(keys, thumborKeys, List.of(), allowUnsafe, clock);
    }

    /**
     * The same, also taking imgproxy's signatures on imgproxy URLs with {@code imgproxyKeys}: pairs of imgproxy's
     * key and salt, each in hex, newest first (none: Caravan's keys, with an empty salt).
     */
    public UrlSigner(List<String> keys, List<String> thumborKeys, List<Map.Entry<String, String>> imgproxyKeys,
            boolean allowUnsafe, Clock clock) {
        this.imgproxyKeys = imgproxyKeys.stream().map(pair -> Map.entry(
                new SecretKeySpec(HexFormat.of().parseHex(pair.getKey()), ALGORITHM),
                HexFormat.of().parseHex(pair.getValue()))).toList();
        for (String key : thumborKeys) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("a Thumbor security key must not be empty");
            }
        }
        this.thumborKeys = thumborKeys.stream()
                .map(k -> new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), THUMBOR_ALGORITHM)).toList();
        for (String key : keys) {
            if (key == null || key.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("URL signing keys must be at least " + MIN_KEY_BYTES + " bytes");
            }
        }
        if (keys.isEmpty() && !allowUnsafe) {
            throw new IllegalArgumentException("a URL signer needs a key unless unsafe URLs are allowed");
        }
        this.keys = keys.stream().map(k -> new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), ALGORITHM)).toList();
        this.allowUnsafe = allowUnsafe;
        this.clock = clock;
    }

    /** Unsafe URLs refused, system clock. */
    public UrlSigner(List<String> keys) {
        this(keys, false, Clock.systemUTC());
    }

    public boolean allowsUnsafe() {
        return allowUnsafe;
    }

    /** The signature of {@code path} with the first key. */
    public String sign(String path) {
        return encode(hmac(signingKey(), message(path, null)));
    }

    /** The signature of {@code path} valid until {@code expiresEpochSeconds} (inclusive), with the first key. */
    public String sign(String path, long expiresEpochSeconds) {
        return encode(hmac(signingKey(), message(path, expiresEpochSeconds)));
    }

    private SecretKeySpec signingKey() {
        if (keys.isEmpty()) {
            throw new IllegalStateException("this URL signer has no key to sign with");
        }
        return keys.get(0);
    }

    /** {@link #verify(String, String, Long)} without an expiry. */
    public void verify(String signature, String path) {
        verify(signature, path, null);
    }

    /**
     * Returns when {@code signature} signs {@code path} (and {@code expiresEpochSeconds} when given) with one of the
     * keys and the expiry has not passed, or is {@code unsafe} and that is allowed.
     *
     * @throws ImageProblem 403 {@code bad-signature} or {@code expired-url}
     */
    public void verify(String signature, String path, Long expiresEpochSeconds) {
        if (signature == null || signature.isEmpty()) {
            throw badSignature("The URL is not signed.");
        }
        if (ThumborUrl.UNSAFE.equals(signature)) {
            if (!allowUnsafe) {
                throw badSignature("Unsigned ('unsafe') URLs are not accepted.");
            }
        } else if (!matchesAnyKey(signature, message(path, expiresEpochSeconds))) {
            throw badSignature("The signature does not match the URL.");
        }
        if (expiresEpochSeconds != null && clock.instant().getEpochSecond() > expiresEpochSeconds) {
            throw new ImageProblem(ImageProblem.Kind.EXPIRED_URL,
                    "The URL expired at " + expiresEpochSeconds + " (epoch seconds).");
        }
    }

    /**
     * {@link #verify(String, String)} for a Thumbor URL: a signature of Thumbor's form (HMAC-SHA1 of {@code path},
     * 28 characters with its padding) is checked against the Thumbor keys, any other as Caravan's.
     *
     * @throws ImageProblem 403 {@code bad-signature}
     */
    public void verifyThumbor(String signature, String path) {
        if (!thumborKeys.isEmpty() && signature != null && signature.length() == 28) {
            if (!matches(signature, message(path, null).getBytes(StandardCharsets.UTF_8), thumborKeys,
                    THUMBOR_MAC_BYTES)) {
                throw badSignature("The signature does not match the URL (as Thumbor signs it: HMAC-SHA1 with its"
                        + " security key).");
            }
            return;
        }
        verify(signature, path, null);
    }

    /**
     * Checks an imgproxy URL's signature: the URL-safe base64 (padding optional) of HMAC-SHA256 of salt + {@code path}
     * with imgproxy's key (or, with none set, of {@code path} with Caravan's keys); {@code insecure} or {@code _} only
     * when unsafe URLs are allowed.
     *
     * @throws ImageProblem 403 {@code bad-signature}
     */
    public void verifyImgproxy(String signature, String path) {
        if (signature == null || signature.isEmpty()) {
            throw badSignature("The URL is not signed.");
        }
        if (signature.equals("insecure") || signature.equals("_")) {
            if (!allowUnsafe) {
                throw badSignature("Unsigned ('insecure') URLs are not accepted.");
            }
            return;
        }
        if (imgproxyKeys.isEmpty()) {
            if (!matchesAnyKey(signature, message(path, null))) {
                throw badSignature("The signature does not match the URL.");
            }
            return;
        }
        boolean matched = false;
        for (Map.Entry<SecretKeySpec, byte[]> pair : imgproxyKeys) {
            byte[] salted = concat(pair.getValue(), path.getBytes(StandardCharsets.UTF_8));
            matched |= matches(signature, salted, List.of(pair.getKey()), -1);
        }
        if (!matched) {
            throw badSignature("The signature does not match the URL (as imgproxy signs it: HMAC-SHA256 of salt and"
                    + " path with its key).");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Thumbor's signature of {@code path} with the first Thumbor key (what libthumbor makes). */
    public String signAsThumbor(String path) {
        if (thumborKeys.isEmpty()) {
            throw new IllegalStateException("no Thumbor security key to sign with");
        }
        return Base64.getUrlEncoder().encodeToString(hmac(thumborKeys.get(0), path.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean matchesAnyKey(String signature, String message) {
        return matches(signature, message.getBytes(StandardCharsets.UTF_8), keys, -1);
    }

    /** Whether {@code signature} is the MAC of {@code message} with one of {@code macKeys} (every key is tried). */
    private static boolean matches(String signature, byte[] message, List<SecretKeySpec> macKeys, int macBytes) {
        String unpadded = stripPadding(signature);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(unpadded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (macBytes > 0 && given.length != macBytes) {
            return false;
        }
        if (!encode(given).equals(unpadded)) {
            // the decoder ignores the unused low bits of the last character, so without this one URL would have
            // several valid spellings
            return false;
        }
        boolean matched = false;
        for (SecretKeySpec key : macKeys) {
            matched |= MessageDigest.isEqual(hmac(key, message), given);
        }
        return matched;
    }

    static String message(String path, Long expiresEpochSeconds) {
        if (path == null) {
            throw badSignature("The URL has no path to check.");
        }
        return expiresEpochSeconds == null ? path : path + "?expires=" + expiresEpochSeconds;
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        return hmac(key, message.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(key.getAlgorithm() + " is unavailable", e);
        }
    }

    private static String encode(byte[] mac) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private static String stripPadding(String signature) {
        int end = signature.length();
        while (end > 0 && signature.charAt(end - 1) == '=') {
            end--;
        }
        return signature.substring(0, end);
    }

    private static ImageProblem badSignature(String detail) {
        return new ImageProblem(ImageProblem.Kind.BAD_SIGNATURE, detail);
    }
}
