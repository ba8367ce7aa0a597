package dev.dataenc.envelope;

/**
 * Told about every cipher operation and keystore call, for metrics (e.g. {@code dev.dataenc.metrics.DataEncMetrics}).
 * Called on the caller's thread after the operation; implementations must be fast, thread-safe and never throw.
 * It sees names, durations and exception types only: never keys, plaintext or ciphertext.
 */
public interface OperationObserver {

    /**
     * The {@code nanos} of an operation that was counted but not timed. {@link PropertyCipher} times one property
     * operation in {@value PropertyCipher#TIMING_SAMPLE}, chosen at random, because reading the clock twice costs
     * a noticeable share of a small value's encryption; an observer estimates the total time from the timed ones.
     * BLOB operations and keystore calls are always timed.
     */
    long NOT_TIMED = -1;

    /** Observes nothing. */
    OperationObserver NONE = new OperationObserver() {
        @Override
        public void cipherOperation(String cipher, String operation, long nanos, Throwable failure) {
        }

        @Override
        public void keystoreCall(String keystore, String operation, long nanos, Throwable failure) {
        }
    };

    /**
     * A cipher operation finished.
     *
     * @param cipher    {@code property} or {@code blob}
     * @param operation {@code encrypt} or {@code decrypt} (one value or one whole BLOB), or, for a BLOB stream, once
     *                  when it ends: {@code encrypt-stream}, {@code decrypt-stream} or
     *                  {@code decrypt-stream-closed-early} (see {@link BlobCipher#ENCRYPT_STREAM})
     * @param nanos     how long it took, or {@link #NOT_TIMED} when this operation was counted but not timed
     * @param failure   why it failed, or {@code null} when it succeeded
     */
    void cipherOperation(String cipher, String operation, long nanos, Throwable failure);

    /**
     * A call to a keystore finished.
     *
     * @param keystore  the keystore's configured name
     * @param operation {@code unwrap} (a CDK for the cache, or to re-wrap it), {@code generate} (a new CDK: rotation,
     *                  first CDK, a switch's new CDK), {@code wrap} (an existing CDK under a switch's target) or
     *                  {@code rewrap} (a keystore that re-wraps in place, e.g. KMS {@code ReEncrypt})
     * @param nanos     how long it took
     * @param failure   why it failed, or {@code null} when it succeeded
     */
    void keystoreCall(String keystore, String operation, long nanos, Throwable failure);

    /**
     * Runs {@code call}, a call to keystore {@code keystore}, and reports it with its duration and outcome.
     *
     * @return what {@code call} returned
     */
    default <T> T timedKeystoreCall(String keystore, String operation, java.util.function.Supplier<T> call) {
        long start = System.nanoTime();
        T result;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            keystoreCall(keystore, operation, System.nanoTime() - start, e);
            throw e;
        }
        keystoreCall(keystore, operation, System.nanoTime() - start, null);
        return result;
    }
}
