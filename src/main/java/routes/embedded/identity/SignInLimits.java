package routes.embedded.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Limits failed sign-ins, in front of the provider that checks passwords: an account with {@code accountFailures}
 * failures within {@code window}, or a client address with {@code addressFailures}, is refused (a
 * {@link SignInLocked}, whose message the login page shows) until the oldest of those failures is {@code window} old.
 * The password is not even checked while refused; successful sign-ins do not count. The failures are counted in
 * memory (Caffeine caches, bounded and expiring after {@code window}), so a restart forgets them.
 */
final class SignInLimits implements AuthenticationProvider {

    private static final Logger LOG = LoggerFactory.getLogger(SignInLimits.class);
    private static final int MAX_KEYS = 100_000;

    /** A sign-in refused because of earlier failures. */
    static final class SignInLocked extends LockedException {
        SignInLocked(String message) {
            super(message);
        }
    }

    private final AuthenticationProvider passwords;
    private final Predicate<String> knownAccount;
    private final IdentityProperties.SignInLimitSettings limits;
    private final Ticker ticker;
    private final Cache<String, Deque<Long>> accounts;
    private final Cache<String, Deque<Long>> addresses;

    /**
     * @param passwords    checks the password
     * @param knownAccount whether a name is a user's: only those are named in the log (a name typed into the wrong
     *                     field may be a password)
     */
    SignInLimits(AuthenticationProvider passwords, Predicate<String> knownAccount,
            IdentityProperties.SignInLimitSettings limits) {
        this(passwords, knownAccount, limits, Ticker.systemTicker());
    }

    SignInLimits(AuthenticationProvider passwords, Predicate<String> knownAccount,
            IdentityProperties.SignInLimitSettings limits, Ticker ticker) {
        this.passwords = passwords;
        this.knownAccount = knownAccount;
        this.limits = limits;
        this.ticker = ticker;
        this.accounts = failures(limits.window(), ticker);
        this.addresses = failures(limits.window(), ticker);
    }

    private static Cache<String, Deque<Long>> failures(Duration window, Ticker ticker) {
        return Caffeine.newBuilder().expireAfterWrite(window).maximumSize(MAX_KEYS).ticker(ticker).build();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String account = authentication.getName();
        String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        Optional<Duration> accountLock = lockedFor(accounts, account, limits.accountFailures());
        if (accountLock.isPresent()) {
            throw new SignInLocked("This account is locked after " + limits.accountFailures()
                    + " failed sign-ins; try again in " + minutes(accountLock.get()) + ".");
        }
        Optional<Duration> addressLock = address == null ? Optional.empty()
                : lockedFor(addresses, address, limits.addressFailures());
        if (addressLock.isPresent()) {
            throw new SignInLocked("Too many failed sign-ins from your address (" + limits.addressFailures()
                    + "); try again in " + minutes(addressLock.get()) + ".");
        }
        try {
            return passwords.authenticate(authentication);
        } catch (BadCredentialsException e) {
            if (failed(accounts, account, limits.accountFailures())) {
                LOG.warn("sign-ins to the account {} are refused for {} after {} failures",
                        knownAccount.test(account) ? account : "(not a user)", minutes(limits.window()),
                        limits.accountFailures());
            }
            if (address != null && failed(addresses, address, limits.addressFailures())) {
                LOG.warn("sign-ins from {} are refused for {} after {} failures", address,
                        minutes(limits.window()), limits.addressFailures());
            }
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwords.supports(authentication);
    }

    /** How long {@code key} is still refused, when its failures within the window have reached {@code max}. */
    private Optional<Duration> lockedFor(Cache<String, Deque<Long>> failures, String key, int max) {
        Deque<Long> times = failures.getIfPresent(key);
        if (times == null) {
            return Optional.empty();
        }
        synchronized (times) {
            long now = ticker.read();
            forgetOld(times, now);
            if (times.size() < max) {
                return Optional.empty();
            }
            // the last max failures are kept: refused until the oldest of them leaves the window
            return Optional.of(Duration.ofNanos(times.peekFirst() + limits.window().toNanos() - now));
        }
    }

    /** Counts a failure; true when this one reaches the limit. */
    private boolean failed(Cache<String, Deque<Long>> failures, String key, int max) {
        boolean[] reached = new boolean[1];
        failures.asMap().compute(key, (k, times) -> {
            Deque<Long> updated = times == null ? new ArrayDeque<>() : times;
            synchronized (updated) {
                long now = ticker.read();
                forgetOld(updated, now);
                updated.addLast(now);
                reached[0] = updated.size() == max;
                while (updated.size() > max) {
                    updated.removeFirst();
                }
            }
            return updated;
        });
        return reached[0];
    }

    private void forgetOld(Deque<Long> times, long now) {
        long oldest = now - limits.window().toNanos();
        while (!times.isEmpty() && times.peekFirst() - oldest <= 0) {
            times.removeFirst();
        }
    }

    private static String minutes(Duration duration) {
        long minutes = Math.max(1, TimeUnit.SECONDS.toMinutes(duration.toSeconds() + 59));
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
}
