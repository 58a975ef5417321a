package routes.images;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The image hit path, ahead of the routes: a GET or HEAD of an {@code /img/} or {@code /thumbor/} URL whose answer
 * is already in memory ({@link ImageDelivery#fromMemory}: a fresh look at the original and the rendition's bytes,
 * or a 304 for the client's current copy) is answered here, with the same status, headers and bytes the
 * {@code image-on-demand} and {@code image-thumbor} routes would send. Everything else goes on to the routes
 * untouched: misses, renditions only in storage, an original not looked at lately, every refusal (a bad or
 * expired signature, bad options, a bad key), other methods, and any request out of the ordinary.
 *
 * <p>It answers only while {@code routeStarted} says the route of the URL's grammar runs, so stopping that route or
 * taking it out of {@code routes.yaml} takes this path away too.
 */
public class ImageHitFilter implements Filter {

    /** The route ids of the grammars. */
    public static final String IMG_ROUTE = "image-on-demand";
    public static final String THUMBOR_ROUTE = "image-thumbor";
    public static final String IMGPROXY_ROUTE = "image-imgproxy";

    private final ImageRequests requests;
    private final ImageDelivery delivery;
    private final Predicate<String> routeStarted;

    /** @param routeStarted whether the route of this id is started */
    public ImageHitFilter(ImageRequests requests, ImageDelivery delivery, Predicate<String> routeStarted) {
        this.requests = requests;
        this.delivery = delivery;
        this.routeStarted = routeStarted;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        ImageDelivery.Answer answer = req instanceof HttpServletRequest http ? answer(http) : null;
        if (answer == null) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        response.setStatus(answer.status());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.setHeader(header.getKey(), header.getValue());
        }
        try (InputStream body = answer.body()) {
            if (body != null && !"HEAD".equals(((HttpServletRequest) req).getMethod())) {
                body.transferTo(response.getOutputStream());
            }
        }
    }

    /** The answer from memory, or null when the request is for the routes. */
    private ImageDelivery.Answer answer(HttpServletRequest http) {
        String method = http.getMethod();
        if (!("GET".equals(method) || "HEAD".equals(method))) {
            return null;
        }
        String uri = http.getRequestURI().substring(http.getContextPath().length());
        try {
            ImageRequests.Request request;
            if (uri.startsWith("/img/") && routeStarted.test(IMG_ROUTE)) {
                String[] expires = http.getParameterValues("expires");
                if ((expires != null && expires.length > 1) || http.getHeader("expires") != null) {
                    return null;
                }
                request = requests.img(uri, expires == null ? null : expires[0]);
            } else if (uri.startsWith("/thumbor/") && routeStarted.test(THUMBOR_ROUTE)) {
                request = requests.thumbor(uri);
            } else if (uri.startsWith("/imgproxy/") && routeStarted.test(IMGPROXY_ROUTE)) {
                request = requests.imgproxy(uri);
            } else {
                return null;
            }
            if (request.meta()) {
                return null;
            }
            return delivery.fromMemory(request.key(), request.spec(), http.getHeader("If-None-Match"),
                    http.getHeader("Accept"));
        } catch (RuntimeException refused) {
            return null;
        }
    }
}
