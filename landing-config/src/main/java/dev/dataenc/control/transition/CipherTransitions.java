package dev.dataenc.control.transition;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.ControlState;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.KeystoreSwitch;
import dev.dataenc.control.keyswitch.SwitchPlan;
import dev.dataenc.control.lifecycle.CdkLines;
import dev.dataenc.control.lifecycle.CdkUsage;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditTrail;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.JdbcCdkRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.Set;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Moves data away from an old cipher (keystore) in phases, so nothing is ever unreadable
 * ({@link CipherPhase}): (1) the new keystore wraps every CDK in use, so it decrypts everything
 * while the old one still encrypts; (2) the new keystore becomes active, so new data goes under a
 * CDK the old cipher never saw, and both decrypt; (3) once migrations re-encrypted the records and
 * the old CDKs are RETIRED (proven by reference scans), the records are migrated; (4) the old
 * cipher's wrappings are removed and the keystore is refused from then on. Each step is refused,
 * with the reason, until its precondition holds; each can be re-run after a crash.
 */
public final class CipherTransitions {

    private final CipherTransitionStore store;
    private final JdbcCdkRegistry registry;
    private final AuditTrail audit;
    private final Supplier<KeystoreSwitch> switcher;
    private final Supplier<ControlState> state;
    private final ControlPlane plane;
    private final CrashPoint steps;

    public CipherTransitions(ControlPlane plane, CipherTransitionStore store, Supplier<KeystoreSwitch> switcher) {
        this(plane, store, switcher, CrashPoint.NONE);
    }

    /**
     * With a step hook called after each persisted step: {@code transition-started}, {@code transition-advanced},
     * {@code old-wrapping-removed} (per wrapping of the old cipher removed), besides the switch's own steps.
     */
    public CipherTransitions(ControlPlane plane, CipherTransitionStore store, Supplier<KeystoreSwitch> switcher,
                             CrashPoint steps) {
        this.plane = Objects.requireNonNull(plane, "plane");
        this.store = Objects.requireNonNull(store, "store");
        this.registry = plane.registry();
        this.audit = plane.audit();
        this.switcher = Objects.requireNonNull(switcher, "switcher");
        this.state = () -> plane.jobs().state().orElseThrow();
        this.steps = steps == null ? CrashPoint.NONE : steps;
    }

    /** The open transition, if any. */
    public Optional<CipherTransition> open() {
        return store.open();
    }

    /** Every transition, oldest first. */
    public List<CipherTransition> all() {
        return store.all();
    }

    /**
     * Starts moving away from the active keystore to {@code newKeystore} and completes phase 1: every CDK
     * in use gets a verified wrapping under the new keystore.
     *
     * @throws CipherTransitionRefusedException if a transition is open, the target is the active keystore,
     *                                          or the switch guards would refuse the target
     */
    public CipherTransition start(String newKeystore) {
        store.open().ifPresent(t -> {
            throw refuse(newKeystore, "another cipher transition is open (" + t.summary() + "); finish it first"
                    + " ('dataenc cipher-transition advance')");
        });
        String old = state.get().activeKeystore();
        if (old.equals(newKeystore)) {
            throw refuse(newKeystore, "'" + newKeystore + "' is already the active keystore; start a transition to the"
                    + " keystore that should replace it");
        }
        SwitchPlan plan = switcher.get().plan(newKeystore);
        if (!plan.allowed()) {
            throw refuse(newKeystore, "the new keystore would not pass the switch guards: " + plan.refusals().stream()
                    .map(r -> r.guard() + ": " + r.message()).collect(Collectors.joining(" | ")));
        }
        CipherTransition t = store.start(old, newKeystore, plane.actor(), (c, started) -> JdbcAuditTrail.insert(c,
                plane.actor(), AuditAction.CIPHER_TRANSITION_STARTED, null, newKeystore, "from '" + old + "', transition "
                + started.id()));
        steps.reached("transition-started");
        return wrapUnderNew(t);
    }

    /**
     * Moves the open transition to its next phase, if that phase's precondition holds.
     *
     * @throws CipherTransitionRefusedException with what must happen first
     */
    public CipherTransition advance() {
        CipherTransition t = store.open().orElseThrow(() -> refuse(null, "no cipher transition is open; start one with"
                + " 'dataenc cipher-transition start <new keystore>'"));
        return switch (t.phase()) {
            case STARTED -> wrapUnderNew(t);
            case NEW_DECRYPTS -> {
                plane.switchKeystore(t.newKeystore());
                yield advanced(t, CipherPhase.NEW_ENCRYPTS, "'" + t.newKeystore() + "' is the active keystore");
            }
            case NEW_ENCRYPTS -> {
                List<Cdk> inUse = cdksOfOldCipher(t).stream().filter(c -> c.status().protectsData()).toList();
                if (!inUse.isEmpty()) {
                    Map<CdkId, CdkUsage> usage = plane.usage().all();
                    throw refuse(t.newKeystore(), inUse.size() + " CDK(s) wrapped by the old cipher '" + t.oldKeystore()
                            + "' may still protect records: " + inUse.stream().limit(20).map(c -> CdkLines.describe(c,
                            usage.getOrDefault(c.id(), CdkUsage.NONE))).collect(Collectors.joining("; "))
                            + ". Re-encrypt every table with 'dataenc migrate', then 'dataenc retire-cdks'; advance when"
                            + " they are RETIRED.");
                }
                yield advanced(t, CipherPhase.MIGRATED, "no CDK of the old cipher protects data");
            }
            case MIGRATED -> refuseOldCipher(t);
            case OLD_REFUSED -> throw refuse(t.newKeystore(), "the transition is finished");
        };
    }

    private CipherTransition wrapUnderNew(CipherTransition t) {
        int wrapped = switcher.get().wrapEveryCdkUnder(t.newKeystore());
        return advanced(t, CipherPhase.NEW_DECRYPTS, wrapped + " CDK(s) newly wrapped under '" + t.newKeystore() + "'");
    }

    private CipherTransition refuseOldCipher(CipherTransition t) {
        List<Cdk> old = cdksOfOldCipher(t);
        List<String> onlyOld = old.stream().filter(c -> c.wrappings().stream()
                .allMatch(w -> w.keystoreName().equals(t.oldKeystore())))
                .map(c -> c.id() + " (" + c.status() + ")").toList();
        if (!onlyOld.isEmpty()) {
            throw refuse(t.newKeystore(), "the old cipher '" + t.oldKeystore() + "' holds the only wrapping of "
                    + String.join(", ", onlyOld) + "; these CDKs protect no data any more: destroy them first"
                    + " ('dataenc destroy-cdk <id> --yes-destroy-data-encrypted-under-it')");
        }
        // the old cipher's master keys, by identity: a keystore renamed over the same key is refused too
        Set<String> masterKeys = new TreeSet<>();
        for (Cdk cdk : old) {
            cdk.wrappings().stream().filter(w -> w.keystoreName().equals(t.oldKeystore()))
                    .forEach(w -> masterKeys.add(w.masterKeyId()));
        }
        if (plane.keystores().get(t.oldKeystore()).isPresent()) {
            String id = plane.keystores().describe(t.oldKeystore()).masterKeyId();
            if (id != null && !id.isBlank()) {
                masterKeys.add(id);
            }
        }
        int removed = 0;
        for (Cdk cdk : old) {
            for (Wrapping w : cdk.wrappings()) {
                if (w.keystoreName().equals(t.oldKeystore())) {
                    registry.inTransaction("remove the wrapping by '" + t.oldKeystore() + "' from CDK " + cdk.id(), c -> {
                        if (registry.removeWrapping(c, cdk.id(), w)) {
                            JdbcAuditTrail.insert(c, plane.actor(), AuditAction.WRAPPING_REMOVED, cdk.id(), t.oldKeystore(),
                                    "removed the wrapping under master key '" + w.masterKeyId() + "' of the cipher being"
                                    + " refused (OLD_REFUSED of transition " + t.id() + ")");
                        }
                        return null;
                    });
                    removed++;
                    steps.reached("old-wrapping-removed");
                }
            }
        }
        return advanced(t, CipherPhase.OLD_REFUSED, masterKeys, removed + " wrapping(s) by '" + t.oldKeystore() + "' removed; the"
                + " keystore is refused from now on and can be removed from the configuration");
    }

    private List<Cdk> cdksOfOldCipher(CipherTransition t) {
        List<Cdk> result = new ArrayList<>();
        for (Cdk cdk : registry.list()) {
            if (cdk.status() != CdkStatus.DESTROYED && cdk.wrappingBy(t.oldKeystore()).isPresent()) {
                result.add(cdk);
            }
        }
        return result;
    }

    private CipherTransition advanced(CipherTransition t, CipherPhase next, String detail) {
        return advanced(t, next, Set.of(), detail);
    }

    private CipherTransition advanced(CipherTransition t, CipherPhase next, Set<String> refusedMasterKeys, String detail) {
        CipherTransitionStore.AlsoInTransaction audited = (c, changed) -> JdbcAuditTrail.insert(c, plane.actor(),
                AuditAction.CIPHER_TRANSITION_ADVANCED, null, t.newKeystore(), next + ": " + detail + "; transition "
                + t.id());
        CipherTransition n = next == CipherPhase.OLD_REFUSED ? store.refuse(t, refusedMasterKeys, audited)
                : store.advance(t, next, audited);
        steps.reached("transition-advanced");
        return n;
    }

    private CipherTransitionRefusedException refuse(String keystore, String why) {
        audit.record(AuditAction.CIPHER_TRANSITION_REFUSED, null, keystore, why);
        return new CipherTransitionRefusedException("cipher transition refused, nothing changed: " + why);
    }
}
