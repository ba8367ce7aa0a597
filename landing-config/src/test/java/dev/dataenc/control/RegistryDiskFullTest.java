package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.TinyFileSystem;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded registry's disk fills up while an application runs (a real tmpfs, needs root; skipped where it cannot be
 * mounted). Values under cached CDKs keep working; a rotation fails with a typed one-line error and changes nothing;
 * once space is freed the same node rotates, nothing counted meanwhile is lost, and the file opens cleanly afterwards.
 */
class RegistryDiskFullTest {

    private static final String CONTEXT = "Customer.email";

    @TempDir
    Path dir;

    @Test
    void registryDiskFull_cachedKeysWork_rotationFailsTypedChangesNothing_recoversOnceSpaceIsFreed() throws Exception {
        try (TinyFileSystem tiny = TinyFileSystem.mount(dir.resolve("tiny"), "8m")) {
            Path mnt = tiny.root();
            RegistrySettings registry = new RegistrySettings(RegistryDatabase.h2Url(mnt), "sa", "");
            KeystoreSettings a = ControlFixture.local(dir, "a"); // the keystore is elsewhere: only the registry's disk fills
            DataEncConfig config = ControlFixture.config(registry, "a", a);
            ControlPlane.Options options = ControlFixture.options().withUsageFlush(Duration.ofHours(1));
            String before;
            CdkId active;
            long during = 20;
            try (ControlPlane plane = ControlPlane.open(config, options)) {
                PropertyCipher cipher = plane.propertyCipher();
                before = cipher.encryptString("before@example.com", CONTEXT); // the ACTIVE CDK is cached now
                plane.flushUsage();
                Cdk cdk = plane.registry().findActive().orElseThrow();
                active = cdk.id();
                long recordedBefore = plane.usage().total(active);
                tiny.fill();

                String last = null;
                for (int i = 0; i < during; i++) {
                    last = cipher.encryptString("during-" + i + "@example.com", CONTEXT);
                }
                assertEquals("during-" + (during - 1) + "@example.com", cipher.decryptString(last, CONTEXT));
                assertEquals("before@example.com", cipher.decryptString(before, CONTEXT));
                DataEncException e = assertThrows(DataEncException.class, () -> plane.rotateCdk("disk full"));
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertTrue(e.getMessage().contains(mnt.toString()), "names the registry: " + e.getMessage());

                tiny.free();
                assertEquals(active, plane.registry().findActive().orElseThrow().id(), "the failed rotation changed nothing");
                plane.flushUsage();
                assertEquals(recordedBefore + during, plane.usage().total(active), "no count made meanwhile is lost");
                plane.rotateCdk("space again");
                assertFalse(active.equals(plane.registry().findActive().orElseThrow().id()), "the same node rotates now");
            }
            try (ControlPlane plane = ControlPlane.open(config, options)) {
                assertEquals("before@example.com", plane.propertyCipher().decryptString(before, CONTEXT),
                        "the registry file opens cleanly after the full disk");
                assertFalse(active.equals(plane.registry().findActive().orElseThrow().id()));
                assertTrue(plane.audit().verify().chained() > 0, "the audit chain verifies (throws when broken)");
            }
        }
    }
}
