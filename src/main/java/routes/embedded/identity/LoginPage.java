package routes.embedded.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * The sign-in page ({@code GET /login}): user name, password and the CSRF token, posted to {@code /login}. After a
 * refusal ({@code ?error}) it says why: a wrong user name or password, or the lock of {@link SignInLimits} with its
 * own message. (Spring Security's own page says "Invalid credentials" whatever happened.) {@code bin/caravan token}
 * and the tests' {@code SignIn} read the CSRF token from this form's hidden {@code _csrf} input.
 */
final class LoginPage extends OncePerRequestFilter {

    static final String PATH = "/login";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!"GET".equals(request.getMethod()) || !PATH.equals(path)) {
            chain.doFilter(request, response);
            return;
        }
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String message = "";
        if (request.getParameter("error") != null) {
            message = "<p class=\"error\" role=\"alert\">" + HtmlUtils.htmlEscape(refusal(request)) + "</p>";
        } else if (request.getParameter("logout") != null) {
            message = "<p class=\"note\" role=\"status\">You have signed out.</p>";
        }
        String csrfInput = csrf == null ? "" : "<input type=\"hidden\" name=\"" + HtmlUtils.htmlEscape(
                csrf.getParameterName()) + "\" value=\"" + HtmlUtils.htmlEscape(csrf.getToken()) + "\">";
        String page = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in to Caravan</title>
                <style>
                body { font-family: system-ui, sans-serif; background: #f4f4f5; margin: 0; }
                main { max-width: 22rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 8px; }
                label, input, button { display: block; width: 100%%; box-sizing: border-box; }
                input { margin: 0.25rem 0 1rem; padding: 0.5rem; font-size: 1rem; }
                button { padding: 0.6rem; font-size: 1rem; }
                .error { color: #b91c1c; } .note { color: #166534; } small { color: #52525b; }
                </style>
                </head>
                <body>
                <main>
                <h1>Sign in to Caravan</h1>
                %s
                <form method="post" action="%s">
                <label for="username">User name</label>
                <input id="username" name="username" autocomplete="username" required autofocus>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                %s
                <button type="submit">Sign in</button>
                </form>
                <p><small>Caravan's embedded identity provider, for a laptop, CI and tests.</small></p>
                </main>
                </body>
                </html>
                """.formatted(message, HtmlUtils.htmlEscape(request.getContextPath() + PATH), csrfInput);
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(page);
    }

    /** Why the last sign-in of this session was refused. */
    private static String refusal(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object exception = session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        if (exception instanceof SignInLimits.SignInLocked locked) {
            return locked.getMessage();
        }
        return "Wrong user name or password.";
    }
}
