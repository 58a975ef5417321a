package routes.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The hit path ahead of the routes, without a server: what it answers from memory, and what it leaves to the
 * routes untouched (then the filter chain goes on and the response is not written).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ImageHitFilterTest {

    private static final String NEW = "new-secret-key-1111";
    private static final String OLD = "old-secret-key-0000";
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);
    private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09Z");
    private static final String KEY = "asset-1/photo.jpg";
    private static final String SOURCE_KEY = ImageDelivery.ORIGINALS + KEY;
    private static final byte[] BYTES = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9};

    private final UrlSigner signer = new UrlSigner(List.of(NEW, OLD), false, Clock.fixed(NOW, ZoneOffset.UTC));
    private final UrlSigner oldSigner = new UrlSigner(List.of(OLD));
    private final HotCache hot = new HotCache(Duration.ofMinutes(10), 1 << 20, 512 * 1024);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ImageDelivery delivery = new ImageDelivery(null, "bucket", ImageLimits.defaults(),
            Duration.ofHours(2), hot, meters);
    private Predicate<String> routeStarted = id -> true;
    private boolean presetsOnly;

    @Test
    void aRememberedRenditionIsAnsweredWithItsBytesAndValidators() throws Exception {
        String etag = remember("w:320");
        String path = "w:320/" + KEY;

        MockHttpServletResponse response = served(get("/img/" + signer.sign(path) + "/" + path));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsByteArray()).isEqualTo(BYTES);
        assertThat(response.getHeader("ETag")).isEqualTo(etag);
        assertThat(response.getHeader("Cache-Control")).isEqualTo("public, max-age=7200");
        assertThat(response.getHeader("Last-Modified")).isEqualTo("Mon, 6 May 2024 07:08:09 GMT");
        assertThat(response.getHeader("Content-Type")).isEqualTo("image/jpeg");
        assertThat(response.getHeader("Content-Length")).isEqualTo(Integer.toString(BYTES.length));
        assertThat(response.getHeader("X-Caravan-Rendition")).isEqualTo("hit");
        assertThat(meters.get("caravan.images.hits").tag("source", "memory").counter().count()).isEqualTo(1);
    }

    @Test
    void aUrlSignedWithAnOlderKeyStillInForceIsAnswered() throws Exception {
        remember("w:320");
        String path = "w:320/" + KEY;

        assertThat(served(get("/img/" + oldSigner.sign(path) + "/" + path)).getContentAsByteArray()).isEqualTo(BYTES);
    }

    @Test
    void theClientsCurrentCopyIsA304AndHeadHasNoBody() throws Exception {
        String etag = remember("w:320");
        String url = "/img/" + signer.sign("w:320/" + KEY) + "/w:320/" + KEY;
        MockHttpServletRequest conditional = get(url);
        conditional.addHeader("If-None-Match", etag);

        MockHttpServletResponse notModified = served(conditional);
        assertThat(notModified.getStatus()).isEqualTo(304);
        assertThat(notModified.getHeader("ETag")).isEqualTo(etag);
        assertThat(notModified.getHeader("Cache-Control")).isEqualTo("public, max-age=7200");
        assertThat(notModified.getContentAsByteArray()).isEmpty();
        assertThat(meters.get("caravan.images.not.modified").counter().count()).isEqualTo(1);

        MockHttpServletRequest head = get(url);
        head.setMethod("HEAD");
        MockHttpServletResponse headers = served(head);
        assertThat(headers.getStatus()).isEqualTo(200);
        assertThat(headers.getHeader("ETag")).isEqualTo(etag);
        assertThat(headers.getHeader("Content-Length")).isEqualTo(Integer.toString(BYTES.length));
        assertThat(headers.getContentAsByteArray()).isEmpty();
    }

    @Test
    void aThumborUrlOfARememberedRenditionIsAnswered() throws Exception {
        String path = "300x200/" + KEY;
        String etag = remember(ThumborUrl.parse("unsafe/" + path).spec());

        MockHttpServletResponse response = served(get("/thumbor/" + signer.sign(path) + "/" + path));

        assertThat(response.getHeader("ETag")).isEqualTo(etag);
        assertThat(response.getContentAsByteArray()).isEqualTo(BYTES);
    }

    @Test
    void refusalsAreLeftToTheRoutes() throws Exception {
        remember("w:320");
        String path = "w:320/" + KEY;
        String good = signer.sign(path);
        char last = good.charAt(good.length() - 1);

        passed(get("/img/" + good.substring(0, 42) + (last == 'A' ? 'B' : 'A') + "/" + path));
        passed(get("/img/" + UrlSignerTest.withOtherUnusedBits(good) + "/" + path));
        passed(get("/img/" + new UrlSigner(List.of("somebody-elses-key")).sign(path) + "/" + path));
        passed(get("/img/unsafe/" + path));
        passed(get("/img/" + signer.sign("w:321/" + KEY) + "/" + path));
        long past = NOW.getEpochSecond() - 1;
        passed(get("/img/" + signer.sign(path, past) + "/" + path + "?expires=" + past, "expires", past));
        passed(get("/img/" + signer.sign("w:abc/" + KEY) + "/w:abc/" + KEY));
        passed(get("/img/" + signer.sign("w:1/../x") + "/w:1/../x"));
        assertThat(meters.get("caravan.images.hits").tag("source", "memory").counter().count()).isZero();
    }

    @Test
    void anUnexpiredUrlIsAnsweredButAnythingUnusualAboutItIsLeftToTheRoute() throws Exception {
        remember("w:320");
        String path = "w:320/" + KEY;
        long future = NOW.getEpochSecond() + 60;
        String url = "/img/" + signer.sign(path, future) + "/" + path + "?expires=" + future;

        assertThat(served(get(url, "expires", future)).getContentAsByteArray()).isEqualTo(BYTES);

        MockHttpServletRequest twice = get(url, "expires", future);
        twice.addParameter("expires", Long.toString(future + 1));
        passed(twice);
        MockHttpServletRequest header = get(url, "expires", future);
        header.addHeader("Expires", Long.toString(future));
        passed(header);
    }

    @Test
    void onlyWhatIsInMemoryIsAnswered() throws Exception {
        remember("w:320");
        String other = "w:100/" + KEY;
        passed(get("/img/" + signer.sign(other) + "/" + other));

        String path = "w:320/" + KEY;
        hot.forgetSource(SOURCE_KEY);
        passed(get("/img/" + signer.sign(path) + "/" + path));
    }

    @Test
    void otherMethodsAndStoppedRoutesAreLeftToTheRoutes() throws Exception {
        remember("w:320");
        String path = "w:320/" + KEY;
        MockHttpServletRequest post = get("/img/" + signer.sign(path) + "/" + path);
        post.setMethod("POST");
        passed(post);

        routeStarted = id -> !id.equals(ImageHitFilter.IMG_ROUTE);
        passed(get("/img/" + signer.sign(path) + "/" + path));
    }

    @Test
    void presetsOnlyLeavesEverythingButPresetsToTheRoutes() throws Exception {
        presetsOnly = true;
        remember("w:320");
        String path = "w:320/" + KEY;
        passed(get("/img/" + signer.sign(path) + "/" + path));
        String thumbor = "320x0/" + KEY;
        passed(get("/thumbor/" + signer.sign(thumbor) + "/" + thumbor));

        remember("preset:small");
        String preset = "preset:small/" + KEY;
        assertThat(served(get("/img/" + signer.sign(preset) + "/" + preset)).getContentAsByteArray()).isEqualTo(BYTES);
    }

    /** Puts a look at the original and the rendition {@code options} make of it in memory; returns its ETag. */
    private String remember(String options) {
        return remember(parser().parse(options));
    }

    private String remember(ResizeSpec spec) {
        hot.source(SOURCE_KEY, () -> new HotCache.Source("\"source-v1\"", "image/jpeg", 50_000, MODIFIED));
        String renditionKey = RenditionKeys.of(SOURCE_KEY, "\"source-v1\"", spec, ImageFormat.JPEG);
        hot.remember(renditionKey, new HotCache.Rendition("image/jpeg", BYTES));
        return "\"" + renditionKey.substring(renditionKey.lastIndexOf('/') + 1, renditionKey.lastIndexOf('.')) + "\"";
    }

    private ImageOptionsParser parser() {
        return new ImageOptionsParser(ImageLimits.defaults(),
                ImagePresets.parse(Map.of("small", "w:320"), ImageLimits.defaults()));
    }

    private static MockHttpServletRequest get(String url) {
        int query = url.indexOf('?');
        MockHttpServletRequest request = new MockHttpServletRequest("GET", query < 0 ? url : url.substring(0, query));
        if (query >= 0) {
            request.setQueryString(url.substring(query + 1));
        }
        return request;
    }

    private static MockHttpServletRequest get(String url, String parameter, long value) {
        MockHttpServletRequest request = get(url);
        request.addParameter(parameter, Long.toString(value));
        return request;
    }

    private MockHttpServletResponse served(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter().doFilter(request, response, chain);
        assertThat(chain.getRequest()).as("answered from memory, not passed on").isNull();
        return response;
    }

    private void passed(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter().doFilter(request, response, chain);
        assertThat(chain.getRequest()).as(request.getMethod() + " " + request.getRequestURI() + " passed on")
                .isSameAs(request);
        assertThat(response.isCommitted()).isFalse();
        assertThat(response.getHeaderNames()).isEmpty();
    }

    private ImageHitFilter filter() {
        ImageRequests requests = new ImageRequests(delivery, parser(), signer, ImageLimits.defaults(), presetsOnly);
        return new ImageHitFilter(requests, delivery, id -> routeStarted.test(id));
    }
}
