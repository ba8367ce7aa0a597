package dev.dataenc.kms;

import dev.dataenc.error.DataEncException;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers failed KMS calls per wrapping for a short time, so that during a key outage every record read does not
 * turn into one or two KMS calls: the first failure of a wrapping is remembered for {@code ttl}, each further
 * consecutive failure for twice as long as the one before, at most {@code 8 x ttl}. While remembered, the same typed
 * error is thrown again (a new exception of the same class, state and message, saying it was remembered) without a
 * KMS call. A success forgets the wrapping; {@link #clear()} forgets everything (after the key was enabled or
 * described as usable). So an outage costs O(CDKs) KMS calls per backoff period, not O(records).
 *
 * <p>Keys are opaque strings chosen by the caller (CDK id, key ARN and a digest of the wrapped bytes: never key
 * material). Bounded: past {@value #MAX_ENTRIES} entries, expired ones are dropped, then all. Thread-safe.
 */
final class FailureCache {

    static final int MAX_ENTRIES = 10_000;
    private static final int MAX_FACTOR = 8;

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(DataEncException error, Instant until, int failures) {
    }

    FailureCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** True when failures are remembered at all ({@code failure-cache-ttl} is not zero). */
    boolean enabled() {
        return !ttl.isZero();
    }

    /** The remembered failure of {@code key}, as a fresh exception of the same type, if it has not expired. */
    Optional<DataEncException> remembered(String key) {
        Entry e = entries.get(key);
        if (e == null || !clock.instant().isBefore(e.until())) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), e.until());
        return Optional.of(copy(e.error(), " [remembered: no KMS call for another " + left.toMillis() + " ms after "
                + e.failures() + " failed attempt(s); setting '" + AwsKmsSettings.FAILURE_CACHE_TTL + "']"));
    }

    /** Records a failure of {@code key}; a repeated failure after the previous one expired doubles the period. */
    void failed(String key, DataEncException error) {
        if (!enabled()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> !now.isBefore(e.until()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.compute(key, (k, old) -> {
            int failures = old == null ? 1 : old.failures() + 1;
            long factor = Math.min(MAX_FACTOR, 1L << Math.min(failures - 1, 30));
            return new Entry(error, clock.instant().plus(ttl.multipliedBy(factor)), failures);
        });
    }

    /** Forgets {@code key} (it just worked). */
    void succeeded(String key) {
        entries.remove(key);
    }

    /** Forgets every failure. */
    void clear() {
        entries.clear();
    }

    /** Remembered wrappings, expired or not (for tests). */
    int size() {
        return entries.size();
    }

    private static DataEncException copy(DataEncException e, String note) {
        String message = e.getMessage() + note;
        if (e instanceof KeystoreUnavailableException u) {
            return new KeystoreUnavailableException(u.keystoreName(), u.state(), message, e);
        }
        if (e instanceof WrappedKeyException) {
            return new WrappedKeyException(message, e);
        }
        if (e instanceof KeystoreConfigurationException) {
            return new KeystoreConfigurationException(message, e);
        }
        return new DataEncException(message, e);
    }
}
