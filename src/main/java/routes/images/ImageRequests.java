package routes.images;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

    private final ImageDelivery delivery;
    private final ImageOptionsParser options;
    private final UrlSigner signer;
    private final ImageLimits limits;
    private final boolean presetsOnly;

    public ImageRequests(ImageDelivery delivery, ImageOptionsParser options, UrlSigner signer, ImageLimits limits,
            boolean presetsOnly) {
        this.delivery = delivery;
        this.options = options;
        this.signer = signer;
        this.limits = limits;
        this.presetsOnly = presetsOnly;
    }

    public void img(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        String path = after(in.getHeader(Exchange.HTTP_URI, String.class), "/img/");
        String[] parts = path.split("/", 3);
        if (parts.length < 3 || parts[2].isEmpty()) {
            throw ImageProblem.badOptions("The URL is not /img/{signature}/{options}/{key}.");
        }
        String expires = in.getHeader("expires", String.class);
        Long expiresAt = parseExpiry(expires);
        signer.verify(parts[0], parts[1] + "/" + parts[2], expiresAt);
        String optionText = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        if (presetsOnly && !optionText.matches("preset:[A-Za-z0-9_-]+")) {
            throw ImageProblem.badOptions("Only presets are served here: use preset:NAME.");
        }
        ResizeSpec spec = options.parse(optionText);
        answer(exchange, delivery.deliver(URLDecoder.decode(parts[2], StandardCharsets.UTF_8), spec,
                in.getHeader("If-None-Match", String.class)));
    }

    public void thumbor(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        if (presetsOnly) {
            throw ImageProblem.badOptions("Only presets are served here: use /img/{signature}/preset:NAME/{key}.");
        }
        ThumborUrl url = ThumborUrl.parse(after(in.getHeader(Exchange.HTTP_URI, String.class), "/thumbor/"), limits);
        signer.verify(url.signature(), url.signedPath());
        answer(exchange, delivery.deliver(url.key(), url.spec(), in.getHeader("If-None-Match", String.class)));
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
