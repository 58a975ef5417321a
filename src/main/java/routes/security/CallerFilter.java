package routes.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import routes.access.Caller;

/**
 * Leaves the signed-in caller in the request (attribute {@link Caller#ATTRIBUTE}), where the routes find it: they run
 * on threads of their own, which do not see Spring Security's thread-bound context.
 */
final class CallerFilter extends OncePerRequestFilter {

    /** The caller of every request when sign-in is off. */
    static final Caller NOBODY_CHECKED = new Caller("anonymous", true, Set.of(), false);

    private final String adminRole;
    private final boolean enabled;

    CallerFilter(String adminRole, boolean enabled) {
        this.adminRole = "ROLE_" + adminRole;
        this.enabled = enabled;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(Caller.ATTRIBUTE, enabled ? caller(SecurityContextHolder.getContext().getAuthentication())
                : NOBODY_CHECKED);
        chain.doFilter(request, response);
    }

    private Caller caller(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null
                || "anonymousUser".equals(authentication.getPrincipal())) {
            return null;
        }
        Set<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .collect(Collectors.toSet());
        Set<String> scopes = authorities.stream().filter(a -> a.startsWith("SCOPE_")).map(a -> a.substring(6))
                .collect(Collectors.toSet());
        return new Caller(authentication.getName(), authorities.contains(adminRole), scopes,
                authentication instanceof ApiKeys.KeyAuthentication);
    }
}
