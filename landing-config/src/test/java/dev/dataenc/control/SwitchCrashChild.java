package dev.dataenc.control;

import dev.dataenc.control.keyswitch.CrashPoint;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM for {@link KeystoreSwitchCrashTest}: runs the switch from keystore {@code a} to
 * {@code b} in {@code dir}; when the crash point {@code name[:n]} is reached for the n-th time it
 * prints {@code CRASHPOINT name} and waits to be killed (kill -9) by the parent.
 */
public final class SwitchCrashChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String[] spec = args[1].split(":");
        String point = spec[0];
        int nth = spec.length > 1 ? Integer.parseInt(spec[1]) : 1;
        AtomicInteger seen = new AtomicInteger();
        CrashPoint crash = name -> {
            if (name.equals(point) && seen.incrementAndGet() == nth) {
                System.out.println("CRASHPOINT " + name);
                System.out.flush();
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(99);
            }
        };
        try (ControlPlane plane = ControlPlane.open(
                ControlFixture.config(dir, "a", ControlFixture.local(dir, "a"), ControlFixture.local(dir, "b")),
                ControlFixture.options().withCrash(crash))) {
            plane.switchKeystore("b");
        }
        System.out.println("NOCRASH");
        System.exit(3);
    }

    private SwitchCrashChild() {
    }
}
