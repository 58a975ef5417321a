package routes.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A decoder that remembers the tokens it has checked: a client sends the same access token with every request until
 * it expires, so its signature, issuer and audience are checked once, and later requests with it only check its time
 * again (expired, or not yet valid, with the clock skew). A token is remembered for at most {@code maxAge} and never
 * past its expiry; refused tokens are not remembered, so every request with one is checked (and refused) afresh.
 */
final class CheckedTokens implements JwtDecoder {

    private final JwtDecoder decoder;
    private final JwtTimestampValidator time;
    private final Cache<String, Jwt> checked;

    CheckedTokens(JwtDecoder decoder, Duration clockSkew, Duration maxAge, long maxTokens, Clock clock) {
        this.decoder = decoder;
        this.time = new JwtTimestampValidator(clockSkew);
        this.time.setClock(clock);
        this.checked = Caffeine.newBuilder()
                .maximumSize(maxTokens)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> remembered(jwt, maxAge, clock)))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = checked.getIfPresent(token);
        if (jwt == null) {
            jwt = decoder.decode(token);
            checked.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = time.validate(jwt);
        if (result.hasErrors()) {
            checked.invalidate(token);
            throw new JwtValidationException("the token is out of its time: "
                    + result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return jwt;
    }

    /** Up to maxAge, and not past the token's expiry (a token without one: maxAge). */
    private static Duration remembered(Jwt jwt, Duration maxAge, Clock clock) {
        Instant expires = jwt.getExpiresAt();
        if (expires == null) {
            return maxAge;
        }
        Duration left = Duration.between(Instant.now(clock), expires);
        return left.isNegative() ? Duration.ZERO : left.compareTo(maxAge) < 0 ? left : maxAge;
    }
}
