package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.keystore.DataKey;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

    /** Waits for a condition (no timing is asserted; the deadline only bounds a hang). */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    private static boolean tickerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(CoarseClock.THREAD_NAME) && t.isAlive());
    }

    @Test
    void acquired_advancesWithTheSystemClock_neverAheadOfIt() throws Exception {
        CoarseClock clock = new CoarseClock().acquire();
        try {
            long first = clock.getAsLong();
            assertTrue(first - System.nanoTime() <= 0, "never ahead of System.nanoTime");
            await(() -> clock.getAsLong() - first > 0, "the clock advances");
            long later = clock.getAsLong();
            assertTrue(later - System.nanoTime() <= 0, "never ahead of System.nanoTime");
        } finally {
            clock.release();
        }
    }

    @Test
    void lastRelease_stopsTheThread_andAcquireStartsItAgain() throws Exception {
        CoarseClock clock = new CoarseClock();
        assertFalse(clock.running());
        clock.acquire();
        clock.acquire();
        clock.release();
        assertTrue(clock.running(), "one user left");
        clock.release();
        assertFalse(clock.running());
        assertThrows(IllegalStateException.class, clock::release);

        long stopped = clock.getAsLong();
        Thread.sleep(50);
        assertTrue(clock.getAsLong() == stopped, "a stopped clock does not advance");
        clock.acquire();
        try {
            assertTrue(clock.getAsLong() - stopped > 0, "acquire brings the clock up to date at once");
        } finally {
            clock.release();
        }
    }

    @Test
    void periodicTasks_runOnTheClockThread_aFailingOneIsKept_aCancelledOneIsNot() throws Exception {
        CoarseClock clock = new CoarseClock();
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger counted = new AtomicInteger();
        Runnable fails = () -> {
            failing.incrementAndGet();
            throw new IllegalStateException("boom");
        };
        Runnable counts = counted::incrementAndGet;
        clock.everySecond(fails);
        clock.everySecond(counts);
        clock.runTasks();
        clock.runTasks();
        assertEquals(2, failing.get(), "a task that throws is run again");
        assertEquals(2, counted.get(), "and does not stop the others");
        clock.cancel(counts);
        clock.runTasks();
        assertEquals(2, counted.get());

        clock.acquire();
        try {
            await(() -> failing.get() > 3, "the clock's thread runs the tasks by itself");
        } finally {
            clock.release();
        }
    }

    @Test
    void cacheWithTheDefaultClock_releasesItOnce_andReloadsAKeyOlderThanMaxAge() throws Exception {
        CoarseClock shared = CoarseClock.shared();
        try (PropertyFixture f = new PropertyFixture()) {
            // other tests may hold the shared clock too: this checks that this cache's open and close pair up
            boolean before = shared.running();
            CdkCache cache = CdkCache.builder(f.registry, List.of(f.keystore))
                    .limits(CacheLimits.defaults().withMaxAge(Duration.ofMillis(50))).build();
            assertTrue(shared.running(), "a cache with the default clock holds the shared clock");

            DataKey first = cache.key(f.activeId());
            assertSame(first, cache.key(f.activeId()), "a hit within maxAge");
            await(() -> cache.key(f.activeId()) != first, "the key is reloaded once older than maxAge");
            assertTrue(first.isDestroyed(), "the expired key was destroyed");

            // an idle key is destroyed by the clock's periodic sweep, without anyone asking the cache
            DataKey idle = cache.key(f.activeId());
            await(idle::isDestroyed, "the idle key older than maxAge is destroyed");
            assertEquals(0, cache.stats().entries());

            cache.close();
            cache.close(); // idempotent: the clock is given back once
            assertTrue(shared.running() == before, "closing the cache gave the shared clock back exactly once");
            if (!before) {
                await(() -> !tickerAlive(), "the ticker thread ends");
            }
        }
    }
}
