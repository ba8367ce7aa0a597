package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.keyswitch.SwitchJob;
import dev.dataenc.control.keyswitch.SwitchPhase;
import dev.dataenc.keystore.Wrapping;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The invariants a registry must keep whatever happened to the processes using it (kill -9, a failed
 * audit append, a race): one ACTIVE CDK wrapped by the registry's active keystore (or, while a switch is
 * unfinished, by its target); no CDK in use without a wrapping; every change has its audit entry.
 */
final class RegistryInvariants {

    private RegistryInvariants() {
    }

    /** All invariants; {@code settled} when no switch may be unfinished (after a resume). */
    static void check(ControlPlane plane, boolean settled, String why) {
        List<Cdk> cdks = plane.registry().list();
        String active = plane.jobs().state().orElseThrow().activeKeystore();
        Optional<SwitchJob> running = plane.jobs().running();
        if (settled) {
            assertTrue(running.isEmpty(), "no unfinished switch (" + why + "): " + running);
        }
        List<Cdk> actives = cdks.stream().filter(c -> c.status() == CdkStatus.ACTIVE).toList();
        assertEquals(1, actives.size(), "exactly one ACTIVE CDK (" + why + ")");
        Cdk act = actives.get(0);
        boolean byActive = act.wrappingBy(active).isPresent();
        boolean byTarget = running.map(j -> act.wrappingBy(j.target()).isPresent()).orElse(false);
        assertTrue(byActive || byTarget, "the ACTIVE CDK " + act.id() + " is wrapped by the active keystore '" + active
                + "'" + running.map(j -> " or the switch target '" + j.target() + "'").orElse("") + " (" + why + ")");
        for (Cdk c : cdks) {
            if (c.status() != CdkStatus.DESTROYED) {
                assertFalse(c.wrappings().isEmpty(), "CDK " + c.id() + " has a wrapping (" + why + ")");
            }
        }
        auditComplete(plane, cdks, why);
    }

    /** Every CDK, wrapping, removal and switch job has its audit entry. */
    static void auditComplete(ControlPlane plane, List<Cdk> cdks, String why) {
        Set<String> created = new HashSet<>();
        Set<String> added = new HashSet<>();
        for (AuditAction a : List.of(AuditAction.CDK_GENERATED, AuditAction.CDK_ROTATED)) {
            for (AuditEvent e : plane.audit().byAction(a)) {
                created.add(String.valueOf(e.cdkId()));
                added.add(e.cdkId() + "/" + e.keystore());
            }
        }
        plane.audit().byAction(AuditAction.CDK_REWRAPPED).forEach(e -> added.add(e.cdkId() + "/" + e.keystore()));
        Set<String> removed = new HashSet<>();
        plane.audit().byAction(AuditAction.WRAPPING_REMOVED).forEach(e -> removed.add(e.cdkId() + "/" + e.keystore()));
        for (Cdk c : cdks) {
            assertTrue(created.contains(c.id().toString()), "CDK " + c.id() + " has its CDK_GENERATED/CDK_ROTATED entry ("
                    + why + ")");
            Set<String> present = new HashSet<>();
            for (Wrapping w : c.wrappings()) {
                String key = c.id() + "/" + w.keystoreName();
                present.add(key);
                assertTrue(added.contains(key), "the wrapping of " + c.id() + " by '" + w.keystoreName() + "' has its"
                        + " audit entry (" + why + ")");
            }
            if (c.status() != CdkStatus.DESTROYED) {
                for (String key : added) {
                    if (key.startsWith(c.id() + "/") && !present.contains(key)) {
                        assertTrue(removed.contains(key), "the removal of wrapping " + key + " has its audit entry ("
                                + why + ")");
                    }
                }
            }
        }
        Set<String> started = new HashSet<>();
        plane.audit().byAction(AuditAction.SWITCH_STARTED).forEach(e -> started.add(String.valueOf(e.cdkId())));
        Set<String> completed = new HashSet<>();
        plane.audit().byAction(AuditAction.SWITCH_COMPLETED).forEach(e -> completed.add(String.valueOf(e.cdkId())));
        Set<String> cancelled = new HashSet<>();
        plane.audit().byAction(AuditAction.SWITCH_CANCELLED).forEach(e -> cancelled.add(String.valueOf(e.cdkId())));
        for (SwitchJob j : plane.jobs().history(1000)) {
            String id = String.valueOf(j.newCdkId());
            assertTrue(started.contains(id), "switch job " + j.id() + " has its SWITCH_STARTED entry (" + why + ")");
            assertEquals(j.phase() == SwitchPhase.COMPLETED, completed.contains(id), "switch job " + j.id() + " in "
                    + j.phase() + " and its SWITCH_COMPLETED entry agree (" + why + ")");
            assertEquals(j.phase() == SwitchPhase.CANCELLED, cancelled.contains(id), "switch job " + j.id() + " in "
                    + j.phase() + " and its SWITCH_CANCELLED entry agree (" + why + ")");
        }
    }
}
