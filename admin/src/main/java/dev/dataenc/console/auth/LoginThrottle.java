package dev.dataenc.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits sign-in attempts per account and per remote address: after {@value #FREE_FAILURES} failures in a row the
 * account (or address) is locked out, for {@link #FIRST_LOCKOUT} doubling with every further failure up to
 * {@link #MAX_LOCKOUT}. While locked out even the right password is refused. A successful sign-in clears the account's
 * and the address's failures.
 */
public final class LoginThrottle {

    /** Failures allowed before a lockout. */
    public static final int FREE_FAILURES = 5;
    /** The first lockout. */
    public static final Duration FIRST_LOCKOUT = Duration.ofSeconds(30);
    /** The longest lockout. */
    public static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new HashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code account} signing in from {@code address} must still wait, or empty if it may try now. */
    public synchronized Optional<Duration> lockedOut(String account, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(account, address)) {
            Failures f = failures.get(key);
            if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
                Duration left = Duration.between(now, f.lockedUntil());
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /**
     * Begins a sign-in attempt: empty if it may go on, else how long the account or address must still wait. An attempt
     * that may go on counts as a failure at once, until {@link #succeeded} clears it: checking and counting in one step,
     * so that concurrent attempts cannot all pass the check before the first failure is recorded.
     */
    public synchronized Optional<Duration> attempt(String account, String address) {
        Optional<Duration> wait = lockedOut(account, address);
        if (wait.isEmpty()) {
            failed(account, address);
        }
        return wait;
    }

    /** Records a failed attempt. */
    public synchronized void failed(String account, String address) {
        if (failures.size() > MAX_ENTRIES) {
            Instant now = clock.instant();
            failures.values().removeIf(f -> f.lockedUntil() == null || f.lockedUntil().isBefore(now));
        }
        for (String key : keys(account, address)) {
            int count = failures.getOrDefault(key, new Failures(0, null)).count() + 1;
            Instant until = null;
            if (count >= FREE_FAILURES) {
                long factor = 1L << Math.min(count - FREE_FAILURES, 10);
                Duration lockout = FIRST_LOCKOUT.multipliedBy(factor);
                until = clock.instant().plus(lockout.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : lockout);
            }
            failures.put(key, new Failures(count, until));
        }
    }

    /**
     * Takes back an attempt {@link #attempt} counted that checked no password (the admin accounts could not be read):
     * it guessed nothing, so it must not bring a lockout nearer. A lockout it already caused ends unless earlier
     * failures alone would have caused it.
     */
    public synchronized void withdrawn(String account, String address) {
        for (String key : keys(account, address)) {
            Failures f = failures.get(key);
            if (f == null) {
                continue;
            }
            int count = f.count() - 1;
            if (count <= 0) {
                failures.remove(key);
            } else {
                failures.put(key, new Failures(count, count >= FREE_FAILURES ? f.lockedUntil() : null));
            }
        }
    }

    /** Records a successful sign-in. */
    public synchronized void succeeded(String account, String address) {
        for (String key : keys(account, address)) {
            failures.remove(key);
        }
    }

    private static String[] keys(String account, String address) {
        return new String[] {"account:" + account, "address:" + address};
    }
}
