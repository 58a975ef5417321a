package routes.embedded.identity;

import java.util.List;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * What Caravan's API reads in an access token: {@code aud} is the API ({@code caravan.security.audience}), not the
 * client; {@code roles} are the user's as the users file has them when the token is made ({@code user}, and
 * {@code admin} for admins), or {@code service} for a client acting for itself (client credentials); {@code scope} is
 * the granted scopes, space-separated (RFC 9068). {@code sub} is the user name, or the client id for client
 * credentials, as Spring Authorization Server sets it. ID tokens are left as they are (their audience is the client).
 */
final class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    /** The role of a client that signs in as itself. */
    static final String ROLE_SERVICE = "service";

    private final String audience;
    private final Users users;

    AccessTokenClaims(String audience, Users users) {
        this.audience = audience;
        this.users = users;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        List<String> roles;
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            roles = List.of(ROLE_SERVICE);
        } else {
            // a user: the roles they have now, so a refresh sees a change, and a removed user gets no new token
            roles = users.roles(context.getPrincipal().getName()).orElseThrow(() -> new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "the user is no longer there", null)));
        }
        context.getClaims().audience(List.of(audience)).claim("roles", roles);
        if (!context.getAuthorizedScopes().isEmpty()) {
            context.getClaims().claim(OAuth2ParameterNames.SCOPE, String.join(" ", context.getAuthorizedScopes()));
        }
    }
}
