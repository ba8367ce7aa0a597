package dev.dataenc.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.control.keyswitch.CrashPoint;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A step hook ({@link CrashPoint}, injected with {@code ControlPlane.Options.withCrash}) that holds the
 * thread which first reaches the step {@code name} until the test releases it: a deterministic way to
 * let another node act exactly there.
 */
public final class PausePoint implements CrashPoint {

    private final String name;
    private final CrashPoint next;
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Pauses at the first {@code name}; other steps go on to {@code next}. */
    public PausePoint(String name, CrashPoint next) {
        this.name = name;
        this.next = next;
    }

    public PausePoint(String name) {
        this(name, CrashPoint.NONE);
    }

    @Override
    public void reached(String step) {
        if (step.equals(name) && armed.compareAndSet(true, false)) {
            reached.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("pause point '" + name + "' was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at pause point '" + name + "'", e);
            }
            return;
        }
        next.reached(step);
    }

    /** Waits until a thread is held at the step. */
    public void awaitReached() throws InterruptedException {
        assertTrue(reached.await(30, TimeUnit.SECONDS), "nothing reached pause point '" + name + "'");
    }

    /** Lets the held thread go on. */
    public void release() {
        released.countDown();
    }
}
