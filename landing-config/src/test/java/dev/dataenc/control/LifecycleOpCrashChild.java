package dev.dataenc.control;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.lifecycle.CdkDestruction;
import dev.dataenc.control.transition.CipherTransitionRefusedException;
import dev.dataenc.control.transition.CipherTransitions;
import dev.dataenc.migrate.ScanEvidence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM for {@link LifecycleCrashLoopTest}: runs one CDK lifecycle operation on local keystores {@code a} and
 * {@code b} in {@code dir} and the given registry, on a clock {@value #CLOCK_OFFSET_MINUTES} minutes behind (so that
 * the parent's migration scans count as started after the CDKs went out of use). At the {@code n}-th step hook of any
 * name it prints {@code CRASHPOINT <step>} and waits to be killed (kill -9). Finishing first prints {@code NOCRASH},
 * exit 3.
 * <ul>
 *   <li>{@code retire}: {@code retire-cdks} on the migration engine's scan evidence;</li>
 *   <li>{@code destroy}: schedules the destruction of every RETIRED CDK (oldest first), cancels the first, moves the
 *       clock past the waiting period and completes what is due;</li>
 *   <li>{@code transition}: starts the cipher transition to {@code b} if none was started, then advances it until
 *       it is refused (migration needed) or finished.</li>
 * </ul>
 *
 * <p>Arguments: {@code dir registryUrl registryUser operation n}.
 */
public final class LifecycleOpCrashChild {

    /** The clock of parent and child runs this much behind the system clock. */
    static final int CLOCK_OFFSET_MINUTES = 10;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        RegistrySettings registry = new RegistrySettings(args[1], args[2], "");
        String op = args[3];
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
        MutableClock clock = new MutableClock();
        clock.advance(Duration.ofMinutes(-CLOCK_OFFSET_MINUTES));
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(registry, "a", ControlFixture.local(dir, "a"),
                ControlFixture.local(dir, "b")), ControlFixture.options().withTool("crash-child").withReconcile(false)
                .withClock(clock).withCrash(crash))) {
            switch (op) {
                case "retire" -> plane.retireCdks(new ScanEvidence(plane.database()), false);
                case "destroy" -> destroy(plane, clock);
                case "transition" -> transition(plane.cipherTransitions());
                default -> throw new IllegalArgumentException(op);
            }
        }
        System.out.println("NOCRASH");
        System.exit(3);
    }

    private static void destroy(ControlPlane plane, MutableClock clock) {
        List<CdkId> retired = plane.registry().list().stream().filter(c -> c.status() == CdkStatus.RETIRED)
                .sorted(Comparator.comparing(Cdk::createdAt).thenComparing(c -> c.id().toString())).map(Cdk::id).toList();
        CdkDestruction destruction = plane.destruction();
        for (CdkId id : retired) {
            destruction.schedule(id, Duration.ofDays(CdkDestruction.MIN_WAITING_DAYS));
        }
        if (!retired.isEmpty()) {
            destruction.cancel(retired.get(0));
        }
        clock.advance(Duration.ofDays(CdkDestruction.MIN_WAITING_DAYS + 1L));
        destruction.completeDue();
    }

    private static void transition(CipherTransitions transitions) {
        if (transitions.all().isEmpty()) {
            transitions.start("b");
        }
        while (transitions.open().isPresent()) {
            try {
                transitions.advance();
            } catch (CipherTransitionRefusedException e) {
                return; // records must be migrated first: the parent's job
            }
        }
    }

    private LifecycleOpCrashChild() {
    }
}
