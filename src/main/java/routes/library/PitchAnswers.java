package routes.library;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import routes.problems.Refusal;

/**
 * The answers of a pitch link's public pages to a browser: the page, the password form, a page saying why a link no
 * longer works, and the cookie after a right password. A client that asks for JSON gets JSON and problem+json.
 */
public class PitchAnswers {

    /** The longest password a form may carry. */
    static final int MAX_PASSWORD = 200;

    /** Whether the request comes from a browser (it accepts HTML and does not ask for JSON first). */
    public boolean wantsHtml(String accept) {
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        int html = lower.indexOf("text/html");
        int json = lower.indexOf("application/json");
        return html >= 0 && (json < 0 || html < json);
    }

    /** The page of an opened link (property {@code opened}). */
    public void page(Exchange exchange) {
        PitchLinks.Opened opened = exchange.getProperty("opened", PitchLinks.Opened.class);
        html(exchange, 200, PitchPage.page(opened.view()));
    }

    /** The page for a refusal (property {@link Exchange#EXCEPTION_CAUGHT}): the password form for 401s. */
    public void refusedPage(Exchange exchange) {
        Refusal refusal = null;
        for (Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class); t != null && refusal == null;
                t = t.getCause()) {
            refusal = t instanceof Refusal r ? r : null;
        }
        String token = exchange.getMessage().getHeader("token", String.class);
        int status = switch (refusal.kind()) {
            case UNAUTHORIZED -> 401;
            case GONE -> 410;
            case NOT_FOUND -> 404;
            case TOO_MANY_REQUESTS -> 429;
            default -> 400;
        };
        String body = refusal.kind() == Refusal.Kind.UNAUTHORIZED
                ? PitchPage.password(token, refusal.type().equals("wrong-password") ? "That is not the password." : null)
                : PitchPage.refused(refusal);
        html(exchange, status, body);
        refusal.headers().forEach(exchange.getMessage()::setHeader);
    }

    /**
     * The password of the link's form ({@code password=...}, URL-encoded), which the web server reads as a request
     * parameter.
     */
    public String password(Object field, String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw Refusal.unsupportedType("the password comes as a form (application/x-www-form-urlencoded)");
        }
        if (!(field instanceof String password) || password.isEmpty() || password.length() > MAX_PASSWORD) {
            throw Refusal.invalid("bad-form", "the form holds one password field (1-" + MAX_PASSWORD + " characters)");
        }
        return password;
    }

    /** After a right password (property {@code cookie}): the link's cookie, and back to its page. */
    public void unlocked(Exchange exchange) {
        Message out = exchange.getMessage();
        String token = out.getHeader("token", String.class);
        String cookie = exchange.getProperty("cookie", String.class);
        String proto = out.getHeader("X-Forwarded-Proto", String.class);
        out.removeHeaders("*");
        out.setBody("");
        if (cookie == null || cookie.isEmpty()) {
            out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
            return;
        }
        out.setHeader("Set-Cookie", PitchLinks.COOKIE + "=" + cookie + "; Path=/p/" + token
                + "; HttpOnly; SameSite=Lax; Max-Age=86400" + ("https".equalsIgnoreCase(proto) ? "; Secure" : ""));
        out.setHeader("Location", "/p/" + token);
        out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        out.setHeader("Cache-Control", "no-store");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
    }

    private static void html(Exchange exchange, int status, String body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        out.setHeader("Cache-Control", "no-store");
        out.setHeader("Content-Security-Policy", "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; "
                + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        out.setBody(body);
    }
}
