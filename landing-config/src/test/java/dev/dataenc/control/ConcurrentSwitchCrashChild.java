package dev.dataenc.control;

import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM for {@link ConcurrentRewrapCrashTest}: switches from the {@code local} keystore {@code a} in {@code dir}
 * to the {@code aws-kms} keystore {@code kms} on the parent's KMS test server ({@code endpoint}, {@code keyId}) with
 * {@code rewrap-concurrency} = {@code hold}. The first {@code pass} re-wrap workers that reach {@code cdk-wrapped}
 * (keystore calls returned, nothing stored) go on; the next {@code hold} stop there. When all {@code hold} are held
 * at once (so that many CDKs are in flight together) it prints {@code CRASHPOINT cdk-wrapped} and waits to be
 * killed (kill -9) by the parent.
 */
public final class ConcurrentSwitchCrashChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int pass = Integer.parseInt(args[3]);
        int hold = Integer.parseInt(args[4]);
        AtomicInteger reached = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        CrashPoint crash = name -> {
            if (!name.equals("cdk-wrapped") || reached.incrementAndGet() <= pass) {
                return;
            }
            if (held.incrementAndGet() == hold) {
                System.out.println("CRASHPOINT cdk-wrapped, " + hold + " CDKs wrapped by concurrent workers, not stored");
                System.out.flush();
            }
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(99);
        };
        KeystoreSettings kms = ConcurrentRewrapCrashTest.kms(args[1], args[2], hold);
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", ControlFixture.local(dir, "a"), kms),
                ControlFixture.options().withCrash(crash))) {
            plane.switchKeystore("kms");
        }
        System.out.println("NOCRASH");
        System.exit(3);
    }

    private ConcurrentSwitchCrashChild() {
    }
}
