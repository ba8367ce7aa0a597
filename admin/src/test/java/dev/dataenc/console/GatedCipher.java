package dev.dataenc.console;

import dev.dataenc.custom.ExampleAesGcmCipher;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A site cipher (keystore type {@code custom}) with a pause point: once {@link #pauseAt armed}, the n-th wrap of one of
 * the given CDKs (the custom keystore's associated data ends with the CDK id) waits until the test releases it, so a
 * test can look at a switch while its re-wrap is half done.
 */
public class GatedCipher extends ExampleAesGcmCipher {

    private static volatile Gate gate;

    /** Where the pause is and who waits on it. */
    private record Gate(Set<String> cdkIdsHex, int nth, AtomicInteger seen, CountDownLatch reached,
                        CountDownLatch release) {
    }

    /** Arms the pause: the {@code nth} wrap (1-based) of any CDK in {@code cdkIdsHex} waits for {@link #release()}. */
    static void pauseAt(Set<String> cdkIdsHex, int nth) {
        gate = new Gate(Set.copyOf(cdkIdsHex), nth, new AtomicInteger(), new CountDownLatch(1), new CountDownLatch(1));
    }

    /** Waits until a wrap is paused; false if none came within {@code seconds}. */
    static boolean awaitPaused(long seconds) throws InterruptedException {
        return gate.reached().await(seconds, TimeUnit.SECONDS);
    }

    /** Lets the paused wrap (and every later one) go on, and disarms the pause. */
    static void release() {
        Gate g = gate;
        gate = null;
        if (g != null) {
            g.release().countDown();
        }
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        Gate g = gate;
        if (g != null && aad.length >= 16 && g.cdkIdsHex().contains(hex(Arrays.copyOfRange(aad, aad.length - 16,
                aad.length))) && g.seen().incrementAndGet() == g.nth()) {
            g.reached().countDown();
            try {
                if (!g.release().await(60, TimeUnit.SECONDS)) {
                    throw new GeneralSecurityException("the test never released the paused wrap");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GeneralSecurityException("interrupted while paused");
            }
        }
        return super.encrypt(plaintext, aad);
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
