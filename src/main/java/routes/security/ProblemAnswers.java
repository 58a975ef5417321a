package routes.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import routes.problems.Refusal;

/**
 * Refused credentials as RFC 9457 problem+json, with the {@code WWW-Authenticate} header RFC 6750 asks for: no
 * token, or one that is expired, forged, tampered or for another issuer or audience, or a revoked or expired API
 * key: 401; a valid one without the scope or role: 403. A request the firewall will not pass (a path that means
 * something else once normalised, a control character in a header): 400.
 */
final class ProblemAnswers implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final String CONTENT_TYPE = "application/problem+json";

    /** The methods the firewall lets through (StrictHttpFirewall's default): TRACE and any other are refused. */
    static final List<String> ALLOWED_METHODS = List.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();
    private final ObjectMapper json;

    ProblemAnswers(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
            throws IOException {
        bearer.commence(request, response, refused);
        boolean noCredentials = request.getHeader("Authorization") == null && request.getHeader(ApiKeys.HEADER) == null;
        String detail = noCredentials
                ? "sign in: send an access token (Authorization: Bearer <token>) or an API key (X-Api-Key)"
                : "the credentials were refused: " + refused.getMessage();
        write(response, response.getStatus(), response.getStatus() == 403 ? "forbidden" : "unauthorized", detail,
                request);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException refused)
            throws IOException {
        denied.handle(request, response, refused);
        write(response, 403, "forbidden", "these credentials may not do this: it needs another role or scope",
                request);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException refused)
            throws IOException {
        if (!ALLOWED_METHODS.contains(request.getMethod())) {
            response.setHeader("Allow", String.join(", ", ALLOWED_METHODS));
            write(response, 405, "method-not-allowed", "Caravan does not answer " + Refusal.quoted(request.getMethod())
                    + " requests; it answers " + String.join(", ", ALLOWED_METHODS), request);
            return;
        }
        write(response, 400, "malformed-request", "the request was refused: " + refused.getMessage(), request);
    }

    private void write(HttpServletResponse response, int status, String type, String detail,
            HttpServletRequest request) throws IOException {
        ObjectNode problem = json.createObjectNode()
                .put("type", "/problems/" + type)
                .put("title", switch (status) {
                    case 400 -> "Bad Request";
                    case 405 -> "Method Not Allowed";
                    case 403 -> "Forbidden";
                    default -> "Unauthorized";
                })
                .put("status", status)
                .put("detail", detail)
                .put("instance", request.getRequestURI());
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.getOutputStream().write(json.writeValueAsBytes(problem)); // UTF-8, as JSON is (RFC 8259)
    }
}
