package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Invariants of the CDK lifecycle operations (retire, scheduled destruction, cipher transition) that must hold
 * whatever happened to the processes running them (kill -9), on top of {@link RegistryInvariants}.
 */
final class LifecycleInvariants {

    private static final Pattern DUE = Pattern.compile("\\(due ([^)]+)\\)");

    private LifecycleInvariants() {
    }

    /**
     * Every CDK that was retired (RETIRED or later) has exactly one CDK_RETIRED entry and every such entry names a
     * CDK that is no longer in use (the new CDK of a cancelled switch is RETIRED by the cancellation, audited as
     * SWITCH_CANCELLED); no CDK under which a value in {@code protectedCdks} was encrypted is retired.
     */
    static void retirement(ControlPlane plane, Set<CdkId> protectedCdks, String why) {
        Map<CdkId, Long> retiredEntries = count(plane, AuditAction.CDK_RETIRED);
        Map<CdkId, Long> cancelledSwitches = count(plane, AuditAction.SWITCH_CANCELLED);
        for (Cdk c : plane.registry().list()) {
            boolean retired = !c.status().protectsData() && !cancelledSwitches.containsKey(c.id());
            assertEquals(retired ? 1L : 0L, retiredEntries.getOrDefault(c.id(), 0L), "CDK " + c.id() + " is "
                    + c.status() + ": CDK_RETIRED entries (" + why + ")");
            if (protectedCdks.contains(c.id())) {
                assertTrue(c.status().protectsData(), "CDK " + c.id() + " protects a value no scanned source holds,"
                        + " so it is never retired; it is " + c.status() + " (" + why + ")");
            }
        }
    }

    /**
     * Scheduled destruction: the CDK_DESTRUCTION_SCHEDULED entries of each CDK outnumber its CANCELLED entries by
     * one exactly while it is scheduled or destroyed; a DESTROYED CDK has no wrapping, one CDK_DESTROYED entry, and
     * was destroyed at or after the due time that entry names; no other CDK has a CDK_DESTROYED entry.
     */
    static void destruction(ControlPlane plane, String why) {
        Map<CdkId, Long> scheduled = count(plane, AuditAction.CDK_DESTRUCTION_SCHEDULED);
        Map<CdkId, Long> cancelled = count(plane, AuditAction.CDK_DESTRUCTION_CANCELLED);
        Map<CdkId, List<AuditEvent>> destroyed = plane.audit().byAction(AuditAction.CDK_DESTROYED).stream()
                .filter(e -> e.cdkId() != null).collect(Collectors.groupingBy(AuditEvent::cdkId));
        for (Cdk c : plane.registry().list()) {
            boolean onTheWay = c.status() == CdkStatus.DESTRUCTION_SCHEDULED || c.status() == CdkStatus.DESTROYED;
            assertEquals(onTheWay ? 1L : 0L, scheduled.getOrDefault(c.id(), 0L) - cancelled.getOrDefault(c.id(), 0L),
                    "CDK " + c.id() + " is " + c.status() + ": its scheduled minus cancelled destructions (" + why + ")");
            List<AuditEvent> entries = destroyed.getOrDefault(c.id(), List.of());
            if (c.status() != CdkStatus.DESTROYED) {
                assertTrue(entries.isEmpty(), "CDK " + c.id() + " is " + c.status() + " but has a CDK_DESTROYED entry ("
                        + why + ")");
                continue;
            }
            assertTrue(c.wrappings().isEmpty(), "destroyed CDK " + c.id() + " has no wrapping (" + why + ")");
            assertEquals(1, entries.size(), "destroyed CDK " + c.id() + " has one CDK_DESTROYED entry (" + why + ")");
            Matcher due = DUE.matcher(entries.get(0).detail());
            assertTrue(due.find(), entries.get(0).detail());
            Instant dueAt = Instant.parse(due.group(1));
            assertFalse(c.destroyedAt().isBefore(dueAt), "CDK " + c.id() + " destroyed at " + c.destroyedAt()
                    + ", not before its due time " + dueAt + " (" + why + ")");
        }
    }

    /**
     * Cipher transitions: each has one CIPHER_TRANSITION_STARTED entry and exactly one CIPHER_TRANSITION_ADVANCED
     * entry per phase it has reached, none for a phase it has not; and each phase's promise holds: from NEW_DECRYPTS
     * the new keystore wraps every CDK in use, from NEW_ENCRYPTS it is the active keystore, from MIGRATED no CDK of
     * the old cipher protects data, at OLD_REFUSED the old cipher wraps nothing.
     */
    static void transitions(ControlPlane plane, String why) {
        List<AuditEvent> started = plane.audit().byAction(AuditAction.CIPHER_TRANSITION_STARTED);
        List<AuditEvent> advanced = plane.audit().byAction(AuditAction.CIPHER_TRANSITION_ADVANCED);
        List<Cdk> cdks = plane.registry().list();
        for (CipherTransition t : plane.cipherTransitions().all()) {
            String tag = "transition " + t.id();
            assertEquals(1, started.stream().filter(e -> e.detail().endsWith(tag)).count(), tag + " has one"
                    + " CIPHER_TRANSITION_STARTED entry (" + why + ")");
            List<String> phases = new ArrayList<>();
            advanced.stream().filter(e -> e.detail().endsWith(tag)).forEach(e -> phases.add(e.detail().split(":")[0]));
            List<String> reached = new ArrayList<>();
            for (CipherPhase p : CipherPhase.values()) {
                if (p != CipherPhase.STARTED && p.ordinal() <= t.phase().ordinal()) {
                    reached.add(p.name());
                }
            }
            assertEquals(reached, phases, tag + " recorded in " + t.phase() + ": its CIPHER_TRANSITION_ADVANCED entries"
                    + " (" + why + ")");
            String active = plane.jobs().state().orElseThrow().activeKeystore();
            for (Cdk c : cdks) {
                if (c.status().protectsData() && t.phase().compareTo(CipherPhase.NEW_DECRYPTS) >= 0) {
                    assertTrue(c.wrappingBy(t.newKeystore()).isPresent(), "in " + t.phase() + " CDK " + c.id()
                            + " is wrapped by '" + t.newKeystore() + "' (" + why + ")");
                }
                if (c.status().protectsData() && t.phase().compareTo(CipherPhase.MIGRATED) >= 0) {
                    assertTrue(c.wrappingBy(t.oldKeystore()).isEmpty(), "in " + t.phase() + " CDK " + c.id() + " ("
                            + c.status() + ") is not wrapped by the old cipher '" + t.oldKeystore() + "' (" + why + ")");
                }
                if (t.phase() == CipherPhase.OLD_REFUSED) {
                    assertTrue(c.wrappingBy(t.oldKeystore()).isEmpty(), "in OLD_REFUSED CDK " + c.id() + " has no wrapping"
                            + " by '" + t.oldKeystore() + "' (" + why + ")");
                }
            }
            if (t.phase().compareTo(CipherPhase.NEW_ENCRYPTS) >= 0) {
                assertEquals(t.newKeystore(), active, "in " + t.phase() + " the active keystore (" + why + ")");
            }
        }
    }

    private static Map<CdkId, Long> count(ControlPlane plane, AuditAction action) {
        return plane.audit().byAction(action).stream().filter(e -> e.cdkId() != null)
                .collect(Collectors.groupingBy(AuditEvent::cdkId, Collectors.counting()));
    }
}
