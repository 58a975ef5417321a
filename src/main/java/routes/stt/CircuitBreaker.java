package routes.stt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker for calls to a remote service.
 *
 * <ul>
 *   <li>{@link State#CLOSED}: calls go through; after {@code failureThreshold} consecutive failures it opens.</li>
 *   <li>{@link State#OPEN}: calls are refused at once ({@link #tryAcquire()} is false) for {@code openDuration}.</li>
 *   <li>{@link State#HALF_OPEN}: once the cool-down is over, one trial call goes through while the others are
 *       still refused; its success closes the circuit, its failure opens it for another cool-down. A trial that
 *       never reports back is given up after {@code openDuration}, and another trial is let through.</li>
 * </ul>
 *
 * <p>Thread-safe. Each call that {@link #tryAcquire() acquired} must report {@link #onSuccess()} or
 * {@link #onFailure()}.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final Duration openDuration;
    private final Clock clock;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt;
    private Instant trialStartedAt;

    /** A breaker on the system clock. */
    public CircuitBreaker(int failureThreshold, Duration openDuration) {
        this(failureThreshold, openDuration, Clock.systemUTC());
    }

    /**
     * @param failureThreshold consecutive failures that open the circuit (at least 1)
     * @param openDuration how long the circuit stays open before a trial call
     * @param clock the time source
     */
    public CircuitBreaker(int failureThreshold, Duration openDuration, Clock clock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1");
        }
        if (openDuration == null || openDuration.isNegative()) {
            throw new IllegalArgumentException("openDuration must be zero or positive");
        }
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** True when a call may go ahead now; it must then report {@link #onSuccess()} or {@link #onFailure()}. */
    public synchronized boolean tryAcquire() {
        Instant now = clock.instant();
        refresh(now);
        switch (state) {
            case CLOSED:
                return true;
            case HALF_OPEN:
                if (trialStartedAt == null || !now.isBefore(trialStartedAt.plus(openDuration))) {
                    trialStartedAt = now;
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    /** The call succeeded: the circuit closes and the failure count starts again. */
    public synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        openedAt = null;
        trialStartedAt = null;
    }

    /** The call failed: counts towards opening, or re-opens after a failed trial. */
    public synchronized void onFailure() {
        Instant now = clock.instant();
        refresh(now);
        consecutiveFailures++;
        if (state == State.HALF_OPEN || state == State.OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAt = now;
            trialStartedAt = null;
        }
    }

    /** The state now (an open circuit whose cool-down is over is half-open). */
    public synchronized State state() {
        refresh(clock.instant());
        return state;
    }

    /** How long the circuit stays open from now; zero unless {@link State#OPEN}. */
    public synchronized Duration remainingOpen() {
        Instant now = clock.instant();
        refresh(now);
        if (state != State.OPEN) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, openedAt.plus(openDuration));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Consecutive failures counted so far. */
    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    private void refresh(Instant now) {
        if (state == State.OPEN && !now.isBefore(openedAt.plus(openDuration))) {
            state = State.HALF_OPEN;
            trialStartedAt = null;
        }
    }
}
