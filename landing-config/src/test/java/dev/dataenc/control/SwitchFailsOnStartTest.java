package dev.dataenc.control;

import dev.dataenc.config.ClusterSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchPhase;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An application start whose file asks for a switch that fails half way still starts, and says why. */
class SwitchFailsOnStartTest {

    @TempDir
    Path dir;

    @Test
    void switchStartedOnOpenFailsAfterItsJobExists_nodeStartsServingWithTheOldKeystore() {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        String ciphertext;
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            plane.rotateCdk("setup");
            ciphertext = plane.propertyCipher().encryptString("kept", "ctx");
        }
        // this node's file names b, and file edits may switch here: the switch starts on open
        ClusterSettings fileSwitches = ClusterSettings.defaults().withSwitchOnFileChange(true);
        CrashPoint targetGoesAway = step -> {
            if (step.equals("cdk-activated")) {
                throw new IllegalStateException("keystore 'b' stopped answering (test)");
            }
        };

        try (ControlPlane node = ControlPlane.open(ControlFixture.config(dir, "b", a, b).withCluster(fileSwitches),
                ControlFixture.options().withCrash(targetGoesAway))) {
            assertTrue(node.jobs().running().isPresent(), "the switch stays unfinished");
            assertEquals("a", node.config().activeKeystore());
            String why = node.status().lastRefusal().orElseThrow();
            assertTrue(why.contains("cannot continue") && why.contains("stopped answering"), why);
            assertTrue(why.contains("dataenc switch b") && why.contains("dataenc switch --cancel"), why);
            assertEquals("kept", node.propertyCipher().decryptString(ciphertext, "ctx"));
        }
        try (ControlPlane next = ControlPlane.open(ControlFixture.config(dir, "b", a, b).withCluster(fileSwitches), ControlFixture.options())) {
            assertEquals(SwitchPhase.COMPLETED, next.jobs().history(1).get(0).phase(), "the next start resumed and finished it");
            assertEquals("b", next.jobs().state().orElseThrow().activeKeystore());
            RegistryInvariants.check(next, true, "after the resume");
        }
    }
}
