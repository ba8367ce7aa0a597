package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransitions;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cipher transition's changes and their audit entries commit together, on a real H2 registry and local keystores:
 * a process that dies right after a phase is recorded (here: the step hook throws, so nothing after it runs, as with
 * kill -9) leaves the phase with its CIPHER_TRANSITION_STARTED / ADVANCED entry, and the old cipher's wrappings
 * removed in OLD_REFUSED each have their WRAPPING_REMOVED entry.
 */
class CipherTransitionAuditTest {

    private static final CdkReferenceEvidence PROVEN = (id, since) -> Optional.empty();
    private static final Set<String> PHASE_STEPS = Set.of("transition-started", "transition-advanced");

    @TempDir
    Path dir;

    /** Thrown by the step hook: the process "dies" there. */
    private static final class Died extends RuntimeException {
        Died(String step) {
            super("died after " + step);
        }
    }

    private ControlPlane open(CrashPoint crash) {
        return ControlPlane.open(ControlFixture.config(dir, "a", ControlFixture.local(dir, "a"),
                ControlFixture.local(dir, "b")), ControlFixture.options().withReconcile(false).withCrash(crash));
    }

    @Test
    void diesRightAfterEachPhaseIsRecorded_everyRecordedPhaseHasItsAuditEntry() {
        CrashPoint dieAfterPhase = name -> {
            if (PHASE_STEPS.contains(name)) {
                throw new Died(name);
            }
        };
        try (ControlPlane plane = open(CrashPoint.NONE)) {
            plane.rotateCdk("test");
        }
        try (ControlPlane dying = open(dieAfterPhase)) {
            assertThrows(Died.class, () -> dying.cipherTransitions().start("b"));
        }
        assertPhaseAudited(CipherPhase.STARTED);
        for (CipherPhase next : new CipherPhase[] {CipherPhase.NEW_DECRYPTS, CipherPhase.NEW_ENCRYPTS}) {
            try (ControlPlane dying = open(dieAfterPhase)) {
                assertThrows(Died.class, () -> dying.cipherTransitions().advance());
            }
            assertPhaseAudited(next);
        }
    }

    @Test
    void oldRefused_everyRemovedWrappingOfTheOldCipherIsAudited() {
        try (ControlPlane plane = open(CrashPoint.NONE)) {
            plane.rotateCdk("test");
            CipherTransitions transitions = plane.cipherTransitions();
            transitions.start("b");
            transitions.advance();
            plane.retireCdks(PROVEN, false);
            transitions.advance();

            assertEquals(CipherPhase.OLD_REFUSED, transitions.advance().phase());

            RegistryInvariants.check(plane, true, "after OLD_REFUSED");
            LifecycleInvariants.transitions(plane, "after OLD_REFUSED");
        }
    }

    private void assertPhaseAudited(CipherPhase expected) {
        try (ControlPlane look = open(CrashPoint.NONE)) {
            assertEquals(expected, look.cipherTransitions().open().orElseThrow().phase());
            LifecycleInvariants.transitions(look, "died right after " + expected + " was recorded");
            RegistryInvariants.check(look, true, "died right after " + expected + " was recorded");
        }
    }
}
