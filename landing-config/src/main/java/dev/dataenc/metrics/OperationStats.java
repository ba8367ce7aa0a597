package dev.dataenc.metrics;

import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.OperationObserver;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts and total durations of cipher operations and keystore calls, and failures by exception type, in plain
 * Java (no metrics library needed). {@link DataEncMetrics} exposes them to Micrometer. Thread-safe; the hot path
 * of a successful cipher operation is two string comparisons and one to three {@link LongAdder} increments.
 */
public final class OperationStats implements OperationObserver {

    /** Outcome tag of a successful operation. */
    public static final String SUCCESS = "success";
    /** Outcome tag of a failed operation. */
    public static final String FAILURE = "failure";

    /**
     * What one series counts.
     *
     * @param kind      {@code cipher} or {@code keystore}
     * @param subject   the cipher ({@code property}, {@code blob}) or the keystore's name
     * @param operation {@code encrypt}, {@code decrypt}, a BLOB stream's ({@code encrypt-stream}, ...) or {@code unwrap}
     * @param outcome   {@link #SUCCESS} or {@link #FAILURE}
     */
    public record Key(String kind, String subject, String operation, String outcome) {
    }

    /**
     * Count and total time of one series. The count is exact. Operations reported as
     * {@link OperationObserver#NOT_TIMED} (most property operations: {@link dev.dataenc.envelope.PropertyCipher} times
     * one in {@value dev.dataenc.envelope.PropertyCipher#TIMING_SAMPLE}, at random) are counted, and the total time is
     * then estimated as the timed operations' mean times the count.
     */
    public static final class Timing {
        private final LongAdder count = new LongAdder();
        private final LongAdder timed = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        /** Operations counted. */
        public long count() {
            return count.sum();
        }

        /** Operations among them that were timed. */
        public long timedCount() {
            return timed.sum();
        }

        /**
         * Their total duration in nanoseconds: measured when every operation was timed, otherwise the mean of the
         * timed ones times {@link #count()} (0 while none was timed).
         */
        public double totalNanos() {
            long n = count.sum();
            long t = timed.sum();
            double measured = nanos.sum();
            if (t == 0 || t >= n) {
                return measured;
            }
            return measured / t * n;
        }

        void record(long durationNanos) {
            count.increment();
            if (durationNanos != OperationObserver.NOT_TIMED) {
                timed.increment();
                nanos.add(durationNanos);
            }
        }
    }

    private final Map<Key, Timing> timings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<Key>> timingListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> failureListeners = new CopyOnWriteArrayList<>();

    /** The series of successful cipher operations, looked up without a map on the hot path. */
    private final Timing propertyEncrypt;
    private final Timing propertyDecrypt;
    private final Timing blobEncrypt;
    private final Timing blobDecrypt;

    /** Stats with a (zero) series for every cipher operation and outcome, so they exist before the first call. */
    public OperationStats() {
        for (String cipher : new String[] {"property", "blob"}) {
            for (String op : new String[] {"encrypt", "decrypt"}) {
                timing(new Key("cipher", cipher, op, SUCCESS));
                timing(new Key("cipher", cipher, op, FAILURE));
            }
        }
        for (String op : new String[] {BlobCipher.ENCRYPT_STREAM, BlobCipher.DECRYPT_STREAM}) {
            timing(new Key("cipher", "blob", op, SUCCESS));
            timing(new Key("cipher", "blob", op, FAILURE));
        }
        timing(new Key("cipher", "blob", BlobCipher.DECRYPT_STREAM_CLOSED_EARLY, SUCCESS));
        propertyEncrypt = timing(new Key("cipher", "property", "encrypt", SUCCESS));
        propertyDecrypt = timing(new Key("cipher", "property", "decrypt", SUCCESS));
        blobEncrypt = timing(new Key("cipher", "blob", "encrypt", SUCCESS));
        blobDecrypt = timing(new Key("cipher", "blob", "decrypt", SUCCESS));
    }

    @Override
    public void cipherOperation(String cipher, String operation, long nanos, Throwable failure) {
        Timing t = failure == null ? successTiming(cipher, operation) : null;
        if (t != null) {
            t.record(nanos);
            return;
        }
        record(new Key("cipher", cipher, operation, failure == null ? SUCCESS : FAILURE), nanos, failure);
    }

    /** The series of a successful cipher operation without building a {@link Key}, or null for another name. */
    private Timing successTiming(String cipher, String operation) {
        boolean encrypt = "encrypt".equals(operation);
        if (!encrypt && !"decrypt".equals(operation)) {
            return null;
        }
        if ("property".equals(cipher)) {
            return encrypt ? propertyEncrypt : propertyDecrypt;
        }
        if ("blob".equals(cipher)) {
            return encrypt ? blobEncrypt : blobDecrypt;
        }
        return null;
    }

    @Override
    public void keystoreCall(String keystore, String operation, long nanos, Throwable failure) {
        record(new Key("keystore", keystore, operation, failure == null ? SUCCESS : FAILURE), nanos, failure);
    }

    private void record(Key key, long nanos, Throwable failure) {
        timing(key).record(nanos);
        if (failure != null && key.kind().equals("cipher")) {
            failures(failure.getClass().getSimpleName()).increment();
        }
    }

    private Timing timing(Key key) {
        Timing t = timings.get(key);
        if (t != null) {
            return t;
        }
        Timing created = new Timing();
        Timing prior = timings.putIfAbsent(key, created);
        if (prior != null) {
            return prior;
        }
        timingListeners.forEach(l -> l.accept(key));
        return created;
    }

    private LongAdder failures(String type) {
        LongAdder a = failures.get(type);
        if (a != null) {
            return a;
        }
        LongAdder created = new LongAdder();
        LongAdder prior = failures.putIfAbsent(type, created);
        if (prior != null) {
            return prior;
        }
        failureListeners.forEach(l -> l.accept(type));
        return created;
    }

    /** The series of {@code key}, or an empty one (not stored) if it has not occurred. */
    public Timing timingOf(Key key) {
        return timings.getOrDefault(key, new Timing());
    }

    /** Failed cipher operations of this exception type (simple class name, e.g. {@code DecryptionFailedException}). */
    public long failuresOf(String type) {
        LongAdder a = failures.get(type);
        return a == null ? 0 : a.sum();
    }

    /**
     * Calls {@code onTiming} for every series and {@code onFailureType} for every failure type, now and whenever a
     * new one appears (on the thread that records it).
     */
    void subscribe(Consumer<Key> onTiming, Consumer<String> onFailureType) {
        Objects.requireNonNull(onTiming, "onTiming");
        Objects.requireNonNull(onFailureType, "onFailureType");
        timingListeners.add(onTiming);
        failureListeners.add(onFailureType);
        timings.keySet().forEach(onTiming);
        failures.keySet().forEach(onFailureType);
    }

    /** The counter of a failure type, for {@link DataEncMetrics}. */
    LongAdder failureCounter(String type) {
        return failures(type);
    }

    /** The live series of a key, for {@link DataEncMetrics}. */
    Timing liveTiming(Key key) {
        return timing(key);
    }
}
