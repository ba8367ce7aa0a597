package dev.dataenc.kms.testing;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection of the test server, applied to each request before it is handled: added latency, a fraction
 * of requests answered with {@code ThrottlingException}, a fraction of connections closed without a response,
 * and scripted error answers for one operation (the next N requests). Each can be limited to some operations. Decisions come from a seeded {@link Random}, so a run is repeatable
 * for a given order of requests. Thread-safe; changes apply to the next request.
 */
final class KmsFaults {

    /** What to do with one request. */
    enum Action { HANDLE, THROTTLE, DROP }

    private final Random random;
    private volatile double throttleFraction;
    private volatile Set<String> throttleOps = Set.of();
    private volatile double dropFraction;
    private volatile Set<String> dropOps = Set.of();
    private volatile Duration latency = Duration.ZERO;
    private final Map<String, Scripted> scripted = new ConcurrentHashMap<>();

    /** An error to answer the next {@code remaining} requests of one operation with. */
    private record Scripted(KmsError error, AtomicInteger remaining) {
    }

    KmsFaults(long seed) {
        this.random = new Random(seed);
    }

    void throttle(double fraction, Set<String> operations) {
        checkFraction(fraction);
        throttleOps = Set.copyOf(operations);
        throttleFraction = fraction;
    }

    void drop(double fraction, Set<String> operations) {
        checkFraction(fraction);
        dropOps = Set.copyOf(operations);
        dropFraction = fraction;
    }

    void latency(Duration d) {
        latency = d;
    }

    Duration latency() {
        return latency;
    }

    void answer(String operation, KmsError error, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        scripted.put(operation, new Scripted(error, new AtomicInteger(times)));
    }

    /** The scripted error for this request of {@code operation}, if one is due (and counts it off). */
    KmsError scriptedError(String operation) {
        Scripted s = scripted.get(operation);
        if (s == null || s.remaining().getAndDecrement() <= 0) {
            return null;
        }
        return s.error();
    }

    void clear() {
        scripted.clear();
        throttleFraction = 0;
        dropFraction = 0;
        latency = Duration.ZERO;
    }

    Action decide(String operation) {
        if (applies(dropFraction, dropOps, operation)) {
            return Action.DROP;
        }
        if (applies(throttleFraction, throttleOps, operation)) {
            return Action.THROTTLE;
        }
        return Action.HANDLE;
    }

    private boolean applies(double fraction, Set<String> ops, String operation) {
        return fraction > 0 && (ops.isEmpty() || ops.contains(operation)) && random.nextDouble() < fraction;
    }

    private static void checkFraction(double f) {
        if (f < 0 || f > 1) {
            throw new IllegalArgumentException("fraction must be from 0 to 1, got " + f);
        }
    }
}
