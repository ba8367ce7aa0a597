package dev.dataenc.control.lifecycle;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchJobStore;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.envelope.OperationObserver;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Makes a new CDK ACTIVE under the active keystore (a rotation, or the first CDK of a registry),
 * exclusive with keystore switches on every node: the key is generated first, then one transaction
 * locks the registry's control row ({@code SELECT ... FOR UPDATE}, as a switch's start and completion
 * do), checks that no switch is unfinished and that the keystore is still the registry's active one,
 * activates the CDK and appends its audit entry. A switch that ran meanwhile makes the rotation a
 * refusal that changes nothing, never an ACTIVE CDK the active keystore cannot unwrap.
 */
public final class CdkRotation {

    private final JdbcCdkRegistry registry;
    private final JdbcAuditTrail audit;
    private final Clock clock;
    private final CrashPoint steps;
    private final OperationObserver observer;

    /** @param steps step hook for tests ({@code rotation-checked} before the locked activation, {@code rotated} after) */
    public CdkRotation(JdbcCdkRegistry registry, JdbcAuditTrail audit, Clock clock, CrashPoint steps) {
        this(registry, audit, clock, steps, OperationObserver.NONE);
    }

    /** As the other constructor, reporting the keystore's {@code generate} call to {@code observer}. */
    public CdkRotation(JdbcCdkRegistry registry, JdbcAuditTrail audit, Clock clock, CrashPoint steps,
                       OperationObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.steps = steps == null ? CrashPoint.NONE : steps;
    }

    /**
     * Generates the first CDK of the registry under {@code keystore} and activates it (audited as
     * {@link AuditAction#CDK_GENERATED}).
     *
     * @throws RegistryConflictException if a CDK is ACTIVE already (another node was first; nothing changed)
     * @throws SwitchRefusedException    as {@link #rotate}
     */
    public Cdk first(Keystore keystore) {
        return activate(keystore, true, Optional.empty(), AuditAction.CDK_GENERATED, p -> "first ACTIVE CDK");
    }

    /**
     * Generates a CDK under {@code keystore} and activates it.
     *
     * @param expected the CDK that must still be ACTIVE (compare-and-set), or empty to replace whichever is
     * @param action   {@link AuditAction#CDK_ROTATED} or {@link AuditAction#CDK_GENERATED}
     * @param detail   the audit detail, given the previous ACTIVE CDK (if any)
     * @return the new ACTIVE CDK
     * @throws SwitchRefusedException     if a keystore switch is unfinished or {@code keystore} is no longer the
     *                                    registry's active keystore (nothing changed)
     * @throws RegistryConflictException  if {@code expected} is no longer ACTIVE (nothing changed)
     */
    public Cdk rotate(Keystore keystore, Optional<CdkId> expected, AuditAction action,
                      Function<Optional<CdkId>, String> detail) {
        return activate(keystore, false, expected, action, detail);
    }

    private Cdk activate(Keystore keystore, boolean first, Optional<CdkId> expected, AuditAction action,
                         Function<Optional<CdkId>, String> detail) {
        CdkId id = CdkId.random();
        try (GeneratedDataKey generated = observer.timedKeystoreCall(keystore.name(), "generate",
                () -> keystore.generateDataKey(id))) {
            Cdk cdk = Cdk.generated(generated, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            steps.reached("rotation-checked");
            registry.inTransaction("activate CDK " + id, c -> {
                SwitchJobStore.Locked locked = SwitchJobStore.lock(c);
                if (locked.running().isPresent()) {
                    throw new SwitchRefusedException("a keystore switch is unfinished (" + locked.running().get().summary()
                            + "); nothing was rotated. Rotate after it completes (the switch makes a new CDK itself).");
                }
                if (locked.activeKeystore() != null && !locked.activeKeystore().equals(keystore.name())) {
                    throw new SwitchRefusedException("the registry's active keystore is now '" + locked.activeKeystore()
                            + "', not '" + keystore.name() + "' (a switch completed meanwhile); nothing was rotated."
                            + " Run the rotation again if it is still wanted.");
                }
                Optional<CdkId> current = registry.findActiveId(c);
                if (expected.isPresent() && !expected.equals(current)) {
                    throw new RegistryConflictException("CDK " + expected.get() + " is no longer ACTIVE ("
                            + current.map(CdkId::toString).orElse("none is") + "); another node rotated first");
                }
                if (first && current.isPresent()) {
                    throw new RegistryConflictException("CDK " + current.get() + " is ACTIVE already; another node"
                            + " generated the first CDK");
                }
                registry.activate(c, cdk, current.orElse(null));
                audit.record(c, action, id, keystore.name(), detail.apply(current));
                return null;
            });
            steps.reached("rotated");
            return cdk;
        }
    }
}
