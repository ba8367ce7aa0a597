package dev.dataenc.kms;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The {@code max-requests-per-second} limit of an {@code aws-kms} keystore: an SDK interceptor that spaces HTTP
 * requests at least {@code 1/rate} apart, across all threads using the client. It runs before each transmission,
 * so every attempt counts, retries after throttling included. A request that finds its slot taken waits (in the
 * calling thread) for the next free one; nothing is dropped. The wait is part of the call's {@code api-timeout}.
 */
final class RequestPacer implements ExecutionInterceptor {

    /** Sleeps for a number of nanoseconds (a test replaces it). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextSlot; // guarded by this
    private boolean started; // guarded by this

    /** A pacer for at most {@code requestsPerSecond} requests per second (at least 1). */
    RequestPacer(int requestsPerSecond) {
        this(requestsPerSecond, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    RequestPacer(int requestsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("requests per second must be at least 1, got " + requestsPerSecond);
        }
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / requestsPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        acquire();
    }

    /**
     * Takes the next free slot and waits until it comes.
     *
     * @return nanoseconds waited
     */
    long acquire() {
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            long slot = started && nextSlot - now > 0 ? nextSlot : now;
            started = true;
            nextSlot = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AbortedException.create("interrupted while waiting for the keystore's request limit ("
                        + AwsKmsSettings.MAX_REQUESTS_PER_SECOND + ")");
            }
        }
        return wait;
    }
}
