package routes.images;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The thin Camel adapter of {@link ImageDelivery}: reads the two URL grammars from the request, checks the
 * signature, and writes the answer (status, headers, streamed body).
 * <ul>
 * <li>{@code /img/{signature|unsafe}/{options}/{key}[?expires=epochSeconds]}: options as {@code w:320,h:200,fit:fill}
 * ({@link ImageOptionsParser}); the signature covers {@code {options}/{key}} and the expiry.</li>
 * <li>{@code /thumbor/{signature|unsafe}/...}: the Thumbor grammar ({@link ThumborUrl}).</li>
 * </ul>
 */
public class ImageRequests {

    /** Checked URLs remembered per grammar; past this many, some are forgotten and checked again. */
    static final int MAX_CHECKED = 10_000;
    /** Longer URLs are checked every time, so what is remembered stays within a few megabytes. */
    static final int MAX_CHECKED_LENGTH = 1024;

    private final ImageDelivery delivery;
    private final ImageOptionsParser options;
    private final UrlSigner signer;
    private final ImageLimits limits;
    private final boolean presetsOnly;
    /**
     * URLs without an expiry already read and checked, with what they ask for: the signing keys and settings are
     * fixed for the life of the app, so the same URL always reads the same and its signature is checked once.
     */
    private final Cache<String, Request> checkedImg;
    private final Cache<String, Request> checkedThumbor;

    public ImageRequests(ImageDelivery delivery, ImageOptionsParser options, UrlSigner signer, ImageLimits limits,
            boolean presetsOnly) {
        this(delivery, options, signer, limits, presetsOnly, ForkJoinPool.commonPool());
    }

    /** The same, with the executor of the remembered URLs' upkeep (evictions). */
    ImageRequests(ImageDelivery delivery, ImageOptionsParser options, UrlSigner signer, ImageLimits limits,
            boolean presetsOnly, Executor upkeep) {
        this.delivery = delivery;
        this.options = options;
        this.signer = signer;
        this.limits = limits;
        this.presetsOnly = presetsOnly;
        this.checkedImg = Caffeine.newBuilder().maximumSize(MAX_CHECKED).executor(upkeep).build();
        this.checkedThumbor = Caffeine.newBuilder().maximumSize(MAX_CHECKED).executor(upkeep).build();
    }

    /**
     * What a checked image URL asks for: the original's key (decoded) and the rendition, or (Thumbor's {@code meta/})
     * its description.
     */
    public record Request(String key, ResizeSpec spec, boolean meta) {

        public Request(String key, ResizeSpec spec) {
            this(key, spec, false);
        }
    }

    public void img(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Request request = img(in.getHeader(Exchange.HTTP_URI, String.class), in.getHeader("expires", String.class));
        answer(exchange, delivery.deliver(request.key(), request.spec(), in.getHeader("If-None-Match", String.class),
                in.getHeader("Accept", String.class)));
    }

    public void thumbor(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Request request = thumbor(in.getHeader(Exchange.HTTP_URI, String.class));
        if (request.meta()) {
            Message out = exchange.getMessage();
            out.removeHeaders("*");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
            out.setBody(delivery.meta(request.key(), request.spec()));
            return;
        }
        answer(exchange, delivery.deliver(request.key(), request.spec(), in.getHeader("If-None-Match", String.class),
                in.getHeader("Accept", String.class)));
    }

    public void imgproxy(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Request request = imgproxy(in.getHeader(Exchange.HTTP_URI, String.class));
        answer(exchange, delivery.deliver(request.key(), request.spec(), in.getHeader("If-None-Match", String.class),
                in.getHeader("Accept", String.class)));
    }

    /** Reads and checks an {@code /imgproxy/} URL: {@code uri} is the raw request path. */
    public Request imgproxy(String uri) {
        if (presetsOnly) {
            throw ImageProblem.badOptions("Only presets are served here: use /img/{signature}/preset:NAME/{key}.");
        }
        Request checked = checkedThumbor.getIfPresent(uri);
        if (checked != null) {
            return checked;
        }
        ImgproxyUrl url = ImgproxyUrl.parse(after(uri, "/imgproxy/"));
        url.spec().checkOutput(limits);
        signer.verifyImgproxy(url.signature(), url.signedPath());
        return remember(checkedThumbor, uri, new Request(url.key(), url.spec()));
    }

    /**
     * Reads and checks an {@code /img/} URL: {@code uri} is the raw request path (percent-encoding intact),
     * {@code expires} the {@code expires} query parameter or null.
     *
     * @throws ImageProblem when the URL is malformed, not signed right, expired, or asks for what is not served
     */
    public Request img(String uri, String expires) {
        boolean lasting = expires == null || expires.isEmpty();
        Request checked = lasting ? checkedImg.getIfPresent(uri) : null;
        if (checked != null) {
            return checked;
        }
        String path = after(uri, "/img/");
        String[] parts = path.split("/", 3);
        if (parts.length < 3 || parts[2].isEmpty()) {
            throw ImageProblem.badOptions("The URL is not /img/{signature}/{options}/{key}.");
        }
        Long expiresAt = parseExpiry(expires);
        signer.verify(parts[0], parts[1] + "/" + parts[2], expiresAt);
        String optionText = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        if (presetsOnly && !optionText.matches("preset:[A-Za-z0-9_-]+")) {
            throw ImageProblem.badOptions("Only presets are served here: use preset:NAME.");
        }
        Request request = new Request(URLDecoder.decode(parts[2], StandardCharsets.UTF_8), options.parse(optionText));
        return lasting ? remember(checkedImg, uri, request) : request;
    }

    /** Reads and checks a {@code /thumbor/} URL: {@code uri} is the raw request path. */
    public Request thumbor(String uri) {
        if (presetsOnly) {
            throw ImageProblem.badOptions("Only presets are served here: use /img/{signature}/preset:NAME/{key}.");
        }
        Request checked = checkedThumbor.getIfPresent(uri);
        if (checked != null) {
            return checked;
        }
        ThumborUrl url = ThumborUrl.parse(after(uri, "/thumbor/"), limits);
        signer.verifyThumbor(url.signature(), url.signedPath());
        return remember(checkedThumbor, uri, new Request(url.key(), url.spec(), url.meta()));
    }

    private static Request remember(Cache<String, Request> checked, String uri, Request request) {
        if (uri.length() <= MAX_CHECKED_LENGTH) {
            checked.put(uri, request);
        }
        return request;
    }

    private static void answer(Exchange exchange, ImageDelivery.Answer answer) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        answer.headers().forEach(out::setHeader);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        out.setBody(answer.body());
    }

    private static String after(String uri, String prefix) {
        if (uri == null) {
            return "";
        }
        int at = uri.indexOf(prefix);
        String rest = at < 0 ? "" : uri.substring(at + prefix.length());
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static Long parseExpiry(String expires) {
        if (expires == null || expires.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw ImageProblem.badOptions("expires must be epoch seconds.");
        }
    }
}
