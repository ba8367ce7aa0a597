package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.PausePoint;
import dev.dataenc.testing.PostgresServer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rotate-cdk} on one node races {@code switch} on another, made deterministic with a pause point:
 * the rotation has checked "no switch unfinished" when the switch runs to completion. The rotation must
 * not then activate a CDK wrapped only by the old keystore.
 */
class RotationSwitchRaceTest {

    @TempDir
    Path dir;

    private RegistrySettings registry(String db) throws Exception {
        if (db.equals("h2")) {
            return new RegistrySettings(RegistryDatabase.h2Url(dir), "sa", "");
        }
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        return new RegistrySettings(pg.newDatabase(), pg.user(), "");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void rotationPausedWhileSwitchCompletes_rotationRefused_activeCdkWrappedByTarget(String db) throws Exception {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        RegistrySettings settings = registry(db);
        PausePoint pause = new PausePoint("rotation-checked");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ControlPlane switcher = ControlPlane.open(ControlFixture.config(settings, "a", a, b),
                     ControlFixture.options().withTool("switcher"));
             ControlPlane rotator = ControlPlane.open(ControlFixture.config(settings, "a", a, b),
                     ControlFixture.options().withTool("rotator").withCrash(pause))) {
            switcher.rotateCdk("setup");

            Future<Cdk> rotation = pool.submit(() -> rotator.rotateCdk("racing"));
            pause.awaitReached();
            switcher.switchKeystore("b");
            pause.release();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> rotation.get(30, TimeUnit.SECONDS),
                    "the rotation must not go ahead under the old keystore after the switch");
            assertInstanceOf(SwitchRefusedException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("'b'"), failed.getCause().getMessage());
            assertEquals("b", switcher.jobs().state().orElseThrow().activeKeystore());
            List<Cdk> cdks = switcher.registry().list();
            assertEquals(1, cdks.stream().filter(c -> c.status() == CdkStatus.ACTIVE).count());
            Cdk active = switcher.registry().findActive().orElseThrow();
            assertTrue(active.wrappingBy("b").isPresent(), "the ACTIVE CDK is wrapped by the active keystore");
            for (Cdk cdk : cdks) {
                assertTrue(cdk.wrappingBy("b").isPresent(), "every CDK is wrapped by b: " + cdk.id());
            }
            String fresh = rotator.propertyCipher().encryptString("after", "ctx");
            assertEquals("after", switcher.propertyCipher().decryptString(fresh, "ctx"));
        } finally {
            pool.shutdownNow();
        }
    }
}
