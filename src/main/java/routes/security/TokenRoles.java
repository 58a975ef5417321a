package routes.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * What a token grants: its scopes ({@code scope} or {@code scp}, as {@code SCOPE_x}) and its roles, read from a
 * claim given as a dotted path ({@code roles}, {@code realm_access.roles} for Keycloak, {@code cognito:groups} for
 * Cognito), as {@code ROLE_x}. A claim that is missing or not a list of strings grants no role.
 */
final class TokenRoles implements Converter<Jwt, Collection<GrantedAuthority>> {

    private final JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
    private final String[] path;

    TokenRoles(String rolesClaim) {
        this.path = rolesClaim.split("\\.");
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        List<GrantedAuthority> granted = new ArrayList<>(scopes.convert(jwt));
        for (String role : roles(jwt.getClaims())) {
            granted.add(new SimpleGrantedAuthority("ROLE_" + role));
        }
        return granted;
    }

    /** The strings at the claim path. */
    List<String> roles(Map<String, Object> claims) {
        Object at = claims;
        for (String step : path) {
            if (!(at instanceof Map<?, ?> map)) {
                return List.of();
            }
            at = map.get(step);
        }
        if (at instanceof Collection<?> values) {
            return values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return at instanceof String one ? List.of(one) : List.of();
    }
}
