package routes.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which checked image URLs are remembered, so the same URL is read and its signature checked once. */
class ImageRequestsTest {

    private final UrlSigner signer = new UrlSigner(List.of("image-requests-test-key"));
    private final ImageRequests requests = new ImageRequests(null, new ImageOptionsParser(), signer,
            ImageLimits.defaults(), false, Runnable::run);

    @Test
    void aCheckedUrlIsRemembered() {
        String uri = img("w:320", "asset-1/photo%20one.jpg");

        ImageRequests.Request first = requests.img(uri, null);

        assertThat(first.key()).isEqualTo("asset-1/photo one.jpg");
        assertThat(requests.img(uri, null)).isSameAs(first);
        String thumbor = "/thumbor/" + signer.sign("320x200/asset-1/photo.jpg") + "/320x200/asset-1/photo.jpg";
        assertThat(requests.thumbor(thumbor)).isSameAs(requests.thumbor(thumbor));
    }

    @Test
    void aUrlWithAnExpiryOrAVeryLongOneIsCheckedEachTime() {
        long expires = Instant.now().plusSeconds(600).getEpochSecond();
        String path = "w:320/asset-1/photo.jpg";
        String expiring = "/img/" + signer.sign(path, expires) + "/" + path;
        String longUri = img("w:320", "asset-1/" + "p".repeat(ImageRequests.MAX_CHECKED_LENGTH) + ".jpg");

        assertThat(requests.img(expiring, Long.toString(expires)))
                .isNotSameAs(requests.img(expiring, Long.toString(expires)))
                .isEqualTo(requests.img(expiring, Long.toString(expires)));
        assertThat(requests.img(longUri, null)).isNotSameAs(requests.img(longUri, null));
    }

    @Test
    void atMostSoManyUrlsAreRemembered() {
        int count = ImageRequests.MAX_CHECKED + 500;
        List<String> uris = new ArrayList<>();
        List<ImageRequests.Request> first = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            uris.add(img("w:" + (100 + i % 1000), "asset-" + i + "/photo.jpg"));
            first.add(requests.img(uris.get(i), null));
        }

        int remembered = 0;
        for (int i = 0; i < count; i++) {
            if (requests.img(uris.get(i), null) == first.get(i)) {
                remembered++;
            }
        }

        assertThat(remembered).isPositive().isLessThanOrEqualTo(ImageRequests.MAX_CHECKED);
    }

    private String img(String options, String key) {
        return "/img/" + signer.sign(options + "/" + key) + "/" + options + "/" + key;
    }
}
