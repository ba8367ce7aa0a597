package dev.dataenc.envelope;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A monotonic clock in nanoseconds (on {@link System#nanoTime()}'s scale) that is read with one volatile load:
 * one daemon thread, {@value #THREAD_NAME}, advances it every {@link #TICK_NANOS} nanoseconds while at least one
 * user holds it. {@link CdkCache} ages its keys by it, so a cache hit reads no system clock (on a virtual machine
 * a {@code System.nanoTime()} costs about as much as the rest of a hit).
 *
 * <p>It lags the system clock by at most a tick plus however long the JVM delays its thread, and never runs ahead,
 * so an age measured by it is at most that much too small: a cached key is used for at most its maximum age plus
 * that lag. Every user that {@link #acquire() acquires} it must {@link #release} it once; the thread stops when the
 * last one does, and starts again on the next {@code acquire}.
 *
 * <p>The same thread runs the {@link #everySecond periodic tasks} of its users (the caches' removal of keys older
 * than their maximum age, so that an idle key does not stay in memory until the next use).
 */
final class CoarseClock implements LongSupplier {

    /** How often the clock advances: 10 ms. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Name of the thread that advances it. */
    static final String THREAD_NAME = "dataenc-coarse-clock";
    /** Ticks between two runs of the periodic tasks (one second). */
    static final int TICKS_PER_TASK_RUN = 100;

    private static final Logger LOG = LoggerFactory.getLogger(CoarseClock.class);

    private static final CoarseClock SHARED = new CoarseClock();

    private volatile long now = System.nanoTime();
    private int users; // guarded by this
    private Thread ticker; // guarded by this
    private final CopyOnWriteArrayList<Runnable> tasks = new CopyOnWriteArrayList<>();

    /** A clock of its own, stopped (for tests; the caches share {@link #shared()}). */
    CoarseClock() {
    }

    /** The clock every {@link CdkCache} shares. */
    static CoarseClock shared() {
        return SHARED;
    }

    /** Starts the thread unless it runs; the clock runs until the matching {@link #release()}. */
    CoarseClock acquire() {
        start();
        return this;
    }

    /** The current time, on {@link System#nanoTime()}'s scale, at most a tick (plus scheduling delay) behind it. */
    @Override
    public long getAsLong() {
        return now;
    }

    /** Gives the clock back; the last user's release stops the thread. Call once per {@link #acquire()}. */
    synchronized void release() {
        if (users == 0) {
            throw new IllegalStateException("CoarseClock released more often than acquired");
        }
        if (--users == 0) {
            ticker.interrupt();
            ticker = null;
        }
    }

    /**
     * Runs {@code task} on the clock's thread about once a second, while the clock runs, until {@link #cancel}.
     * A task must be quick and must not block; one that throws is logged and kept.
     */
    void everySecond(Runnable task) {
        tasks.add(task);
    }

    /** Stops running {@code task} (the same instance given to {@link #everySecond}). */
    void cancel(Runnable task) {
        tasks.remove(task);
    }

    /** Whether the thread runs (for tests). */
    synchronized boolean running() {
        return ticker != null;
    }

    private synchronized void start() {
        if (users++ > 0) {
            return;
        }
        advance(); // fresh before the first reader, even if the thread starts late
        Thread t = new Thread(this::tick, THREAD_NAME);
        t.setDaemon(true);
        ticker = t;
        t.start();
    }

    private void tick() {
        Thread self = Thread.currentThread();
        for (long n = 1; !self.isInterrupted(); n++) {
            synchronized (this) {
                if (ticker != self) {
                    return; // stopped, perhaps already replaced by a new thread
                }
                advance();
            }
            if (n % TICKS_PER_TASK_RUN == 0) {
                runTasks();
            }
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }

    /** Runs the periodic tasks now, outside the clock's lock. */
    void runTasks() {
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("a periodic task of the dataenc clock failed ({}); it runs again in a second",
                        e.getClass().getSimpleName(), e);
            }
        }
    }

    /** Moves the clock to the system clock, never backwards (two tickers may overlap for a moment). */
    private synchronized void advance() {
        long t = System.nanoTime();
        if (t - now > 0) {
            now = t;
        }
    }
}
