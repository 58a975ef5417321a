package routes.embedded.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * When a lock lifts, which the HTTP tests cannot wait for: {@link SignInLimits} in front of Spring Security's own
 * password check, on a clock the test moves. Two failures per account, three per address, within ten minutes.
 */
class SignInLimitsWindowTest {

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final SignInLimits limits;

    SignInLimitsWindowTest() {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(
                User.withUsername("jo").password("{noop}right").roles("user").build(),
                User.withUsername("kim").password("{noop}right").roles("user").build()));
        limits = new SignInLimits(passwords, name -> true,
                new IdentityProperties.SignInLimitSettings(2, 3, Duration.ofMinutes(10)), nanos::get);
    }

    @Test
    void anAccountLockLiftsWhenItsOldestFailureLeavesTheWindow() {
        fail("jo", "10.0.0.1");
        advance(Duration.ofMinutes(4));
        fail("jo", "10.0.0.2");
        assertThatThrownBy(() -> signIn("jo", "right", "10.0.0.3")).isInstanceOf(SignInLimits.SignInLocked.class)
                .hasMessage("This account is locked after 2 failed sign-ins; try again in 6 minutes.");

        advance(Duration.ofMinutes(6).minusSeconds(1));
        assertThatThrownBy(() -> signIn("jo", "right", "10.0.0.3")).isInstanceOf(SignInLimits.SignInLocked.class)
                .hasMessageContaining("try again in 1 minute.");
        advance(Duration.ofSeconds(1));
        // the first failure has left the window: one failure left in it, below the limit
        assertThat(signIn("jo", "right", "10.0.0.3").isAuthenticated()).isTrue();
        fail("jo", "10.0.0.4");
        assertThatThrownBy(() -> signIn("jo", "right", "10.0.0.3")).isInstanceOf(SignInLimits.SignInLocked.class);
    }

    @Test
    void anAddressLockCoversEveryAccountAndSuccessesDoNotCount() {
        for (int i = 0; i < 5; i++) {
            assertThat(signIn("kim", "right", "10.0.0.9").isAuthenticated()).isTrue();
        }
        fail("jo", "10.0.0.9");
        fail("kim", "10.0.0.9");
        assertThat(signIn("kim", "right", "10.0.0.9").isAuthenticated()).isTrue();
        fail("nobody", "10.0.0.9");
        assertThatThrownBy(() -> signIn("kim", "right", "10.0.0.9")).isInstanceOf(SignInLimits.SignInLocked.class)
                .hasMessage("Too many failed sign-ins from your address (3); try again in 10 minutes.");
        // from elsewhere kim still signs in
        assertThat(signIn("kim", "right", "10.0.0.10").isAuthenticated()).isTrue();
        advance(Duration.ofMinutes(10));
        assertThat(signIn("kim", "right", "10.0.0.9").isAuthenticated()).isTrue();
    }

    private void fail(String name, String address) {
        assertThatThrownBy(() -> signIn(name, "wrong", address)).isInstanceOf(BadCredentialsException.class);
    }

    private Authentication signIn(String name, String password, String address) {
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(name,
                password);
        attempt.setDetails(new WebAuthenticationDetails(address, null));
        return limits.authenticate(attempt);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
