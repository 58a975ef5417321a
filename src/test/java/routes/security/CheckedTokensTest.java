package routes.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import routes.support.TestClock;

/**
 * A token is checked in full once, then only its time: the decoder behind is asked once per token, an expired one is
 * refused even when remembered, and a refused one is checked again each time.
 */
class CheckedTokensTest {

    static final Duration SKEW = Duration.ofSeconds(60);

    final TestClock clock = new TestClock();
    final List<String> decoded = new ArrayList<>();
    final JwtDecoder issuer = token -> {
        decoded.add(token);
        if (token.startsWith("forged")) {
            throw new BadJwtException("bad signature");
        }
        Instant now = clock.instant();
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("alice")
                .issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(10))).build();
    };
    final CheckedTokens tokens = new CheckedTokens(issuer, SKEW, Duration.ofMinutes(5), 100, clock);

    @Test
    void aTokenIsCheckedInFullOnceThenRemembered() {
        Jwt first = tokens.decode("a");
        Jwt again = tokens.decode("a");
        tokens.decode("b");

        assertThat(again).isSameAs(first);
        assertThat(decoded).containsExactly("a", "b");
    }

    @Test
    void aRememberedTokenPastItsExpiryIsRefused() {
        tokens.decode("a");
        clock.advance(Duration.ofMinutes(10).plus(SKEW).plusSeconds(1));

        assertThatThrownBy(() -> tokens.decode("a")).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
        assertThat(decoded).containsExactly("a");
    }

    @Test
    void aRefusedTokenIsNotRememberedAndIsRefusedEachTime() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        }
        assertThat(decoded).containsExactly("forged", "forged", "forged");
    }
}
