package dev.dataenc.control;

import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.keyswitch.CrashPoint;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM for {@link AdminCrashLoopTest}: runs one admin operation ({@code switch:<target>},
 * {@code remove-wrappings:<keystore>}, {@code rotate-cdk:<times>}) on local keystores {@code a} and
 * {@code b} in {@code dir} and the given registry; at the {@code n}-th step hook of any name it prints
 * {@code CRASHPOINT <step>} and waits to be killed (kill -9). Finishing first prints {@code NOCRASH}, exit 3.
 *
 * <p>Arguments: {@code dir registryUrl registryUser operation n}.
 */
public final class AdminOpCrashChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        RegistrySettings registry = new RegistrySettings(args[1], args[2], "");
        String[] op = args[3].split(":");
        int killAt = Integer.parseInt(args[4]);
        AtomicInteger steps = new AtomicInteger();
        CrashPoint crash = name -> {
            if (steps.incrementAndGet() == killAt) {
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
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(registry, "a", ControlFixture.local(dir, "a"),
                ControlFixture.local(dir, "b")), ControlFixture.options().withTool("crash-child").withReconcile(false)
                .withCrash(crash))) {
            switch (op[0]) {
                case "switch" -> plane.switchKeystore(op[1]);
                case "remove-wrappings" -> plane.removeWrappings(op[1], false);
                case "rotate-cdk" -> {
                    for (int i = 0; i < Integer.parseInt(op[1]); i++) {
                        plane.rotateCdk("crash loop");
                    }
                }
                default -> throw new IllegalArgumentException(args[3]);
            }
        }
        System.out.println("NOCRASH");
        System.exit(3);
    }

    private AdminOpCrashChild() {
    }
}
