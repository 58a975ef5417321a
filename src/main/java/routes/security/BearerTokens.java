package routes.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * The access token of a request's {@code Authorization: Bearer} header (RFC 6750 section 2.1; from the query only
 * for the media streams a browser's player fetches, never from a form), unless it is an API key (those go to the API
 * key filter). The token's characters are checked with a loop, not the regular expression of Spring Security's
 * resolver, which costs a noticeable share of a request's time with a JWT of a kilobyte. A header of another scheme
 * is not a token; a malformed token is refused as Spring's is.
 */
final class BearerTokens implements BearerTokenResolver {

    private static final String SCHEME = "Bearer ";
    /** The query parameter of RFC 6750 section 2.3. */
    static final String QUERY_PARAMETER = "access_token";
    /** Media a browser's player fetches itself (an {@code <audio src>} sends no Authorization header). */
    private static final Pattern PLAYED_MEDIA = Pattern.compile("/api/v1/library/items/[^/]+/stream");

    @Override
    public String resolve(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            return fromQuery(request);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        return checked(authorization.substring(SCHEME.length()));
    }

    /**
     * An access token in the query ({@code ?access_token=}, RFC 6750 section 2.3), taken only where a browser's media
     * player fetches a stream itself (GET or HEAD of a library item's stream) and cannot send a header; an API key is
     * never taken so. Everywhere else the query is not looked at.
     */
    private static String fromQuery(HttpServletRequest request) {
        if (!("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                || !PLAYED_MEDIA.matcher(request.getRequestURI()).matches()) {
            return null;
        }
        String[] values = request.getParameterValues(QUERY_PARAMETER);
        if (values == null) {
            return null;
        }
        if (values.length != 1) {
            throw new OAuth2AuthenticationException(BearerTokenErrors.invalidRequest("one access_token at most"));
        }
        return checked(values[0]);
    }

    private static String checked(String token) {
        if (!isB64Token(token)) {
            throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
        }
        return token.startsWith(ApiKeys.PREFIX) ? null : token;
    }

    /** RFC 6750's b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
