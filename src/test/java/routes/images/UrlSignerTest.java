package routes.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static routes.images.ImageInspectorTest.assertProblem;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UrlSignerTest {

    private static final String OLD = "old-secret-key-0000";
    private static final String NEW = "new-secret-key-1111";
    private static final String PATH = "fit-in/300x200/photos/cat.jpg";
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    private final UrlSigner signer = new UrlSigner(List.of(NEW, OLD), false, NOW);

    @Test
    void signatureIsUrlSafeBase64OfHmacSha256WithoutPadding() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(NEW.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(PATH.getBytes(StandardCharsets.UTF_8)));

        assertThat(signer.sign(PATH)).isEqualTo(expected).hasSize(43).doesNotContain("=", "+", "/");
    }

    @Test
    void thumborsOwnSignaturesAreTakenOnThumborUrlsWhenItsKeyIsSet() {
        // libthumbor's published vectors (its own tests and the Thumbor libraries' spec), and one made with Python's
        // hmac and base64 for a 7-character key and a percent-encoded path
        UrlSigner thumbor = new UrlSigner(List.of(NEW), List.of("my-security-key"), false, NOW);
        thumbor.verifyThumbor("8ammJH8D-7tXy6kU3lTvoXlhu4o=", "300x200/my.server.com/some/path/to/image.jpg");
        thumbor.verifyThumbor("Ps3ORJDqxlSQ8y00T29GdNAh2CY=", "meta/my.server.com/some/path/to/image.jpg");
        assertThat(thumbor.signAsThumbor("300x200/my.server.com/some/path/to/image.jpg"))
                .isEqualTo("8ammJH8D-7tXy6kU3lTvoXlhu4o=");
        new UrlSigner(List.of(NEW), List.of("abcdefg"), false, NOW).verifyThumbor("SPIS8Nf1IQq5iGJLQImGST-emYI=",
                "fit-in/300x200/filters:format(png)/a%20b/photo.jpg");
        // Caravan's own signature still works beside it
        thumbor.verifyThumbor(thumbor.sign(PATH), PATH);

        assertProblem(() -> thumbor.verifyThumbor("8ammJH8D-7tXy6kU3lTvoXlhu4o=", "300x201/my.server.com/some/path/to/image.jpg"),
                403, "bad-signature");
        assertProblem(() -> new UrlSigner(List.of(NEW), List.of("another-key"), false, NOW)
                .verifyThumbor("8ammJH8D-7tXy6kU3lTvoXlhu4o=", "300x200/my.server.com/some/path/to/image.jpg"),
                403, "bad-signature");
        // without a Thumbor key, a Thumbor signature is not taken
        assertProblem(() -> signer.verifyThumbor("8ammJH8D-7tXy6kU3lTvoXlhu4o=",
                "300x200/my.server.com/some/path/to/image.jpg"), 403, "bad-signature");
    }

    @Test
    void goodSignatureIsAccepted() {
        signer.verify(signer.sign(PATH), PATH);
        signer.verify(signer.sign(PATH) + "=", PATH); // padded form too
    }

    @Test
    void badSignaturesAreRefused() {
        String good = signer.sign(PATH);
        char last = good.charAt(good.length() - 1);
        String flipped = good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertProblem(() -> signer.verify(flipped, PATH), 403, "bad-signature");
        assertProblem(() -> signer.verify(good, PATH + "x"), 403, "bad-signature");
        assertProblem(() -> signer.verify("not base64 !!", PATH), 403, "bad-signature");
        assertProblem(() -> signer.verify("", PATH), 403, "bad-signature");
        assertProblem(() -> signer.verify(null, PATH), 403, "bad-signature");
        assertProblem(() -> signer.verify(withOtherUnusedBits(good), PATH), 403, "bad-signature");
        assertProblem(() -> signer.verify(new UrlSigner(List.of("somebody-elses-key")).sign(PATH), PATH), 403,
                "bad-signature");
    }

    @Test
    void rotatedKeysStillVerifyAndNewSignaturesUseTheFirstKey() {
        UrlSigner before = new UrlSigner(List.of(OLD), false, NOW);
        String oldSignature = before.sign(PATH);

        signer.verify(oldSignature, PATH);
        assertThat(signer.sign(PATH)).isNotEqualTo(oldSignature);
        assertProblem(() -> before.verify(signer.sign(PATH), PATH), 403, "bad-signature");
        assertProblem(() -> new UrlSigner(List.of(NEW), false, NOW).verify(oldSignature, PATH), 403,
                "bad-signature");
    }

    @Test
    void expiryIsSignedAndChecked() {
        long future = NOW.instant().getEpochSecond() + 60;
        long past = NOW.instant().getEpochSecond() - 1;

        signer.verify(signer.sign(PATH, future), PATH, future);
        signer.verify(signer.sign(PATH, NOW.instant().getEpochSecond()), PATH, NOW.instant().getEpochSecond());
        assertProblem(() -> signer.verify(signer.sign(PATH, past), PATH, past), 403, "expired-url");
        assertProblem(() -> signer.verify(signer.sign(PATH, past), PATH, future), 403, "bad-signature");
        assertProblem(() -> signer.verify(signer.sign(PATH), PATH, future), 403, "bad-signature");
        assertProblem(() -> signer.verify(signer.sign(PATH, future), PATH), 403, "bad-signature");
    }

    @Test
    void unsafeIsOffByDefault() {
        assertThat(signer.allowsUnsafe()).isFalse();
        assertProblem(() -> signer.verify("unsafe", PATH), 403, "bad-signature");
        assertProblem(() -> new UrlSigner(List.of(NEW)).verify("unsafe", PATH), 403, "bad-signature");
    }

    @Test
    void unsafeWhenAllowed() {
        UrlSigner lenient = new UrlSigner(List.of(NEW), true, NOW);

        lenient.verify("unsafe", PATH);
        lenient.verify(lenient.sign(PATH), PATH);
        assertProblem(() -> lenient.verify("Xl4ZbQvA8dYzZ1iBfXW0PP9LqEJkK6xM3Q3Ck2fTGnE", PATH), 403,
                "bad-signature");
        new UrlSigner(List.of(), true, NOW).verify("unsafe", PATH);
    }

    @Test
    void weakOrMissingKeysAreRejectedAtConstruction() {
        assertThatThrownBy(() -> new UrlSigner(List.of("short"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UrlSigner(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * {@code signature} with the two unused low bits of its last character set: 32 bytes take 43 characters, whose
     * last carries 4 bits, so this decodes to the same bytes but is not the signature's one spelling.
     */
    static String withOtherUnusedBits(String signature) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(signature.charAt(signature.length() - 1));
        assertThat(last & 3).as("a canonical last character has no unused bits set").isZero();
        String other = signature.substring(0, signature.length() - 1) + alphabet.charAt(last | 3);
        assertThat(Base64.getUrlDecoder().decode(other)).isEqualTo(Base64.getUrlDecoder().decode(signature));
        return other;
    }
}
