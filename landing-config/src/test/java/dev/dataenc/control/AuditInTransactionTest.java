package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A change and its audit entry commit together or not at all. The audit table is made to refuse one
 * action (a real database CHECK constraint): the change that action records must then not be stored
 * either, and after the constraint is lifted the work finishes with every change audited.
 */
class AuditInTransactionTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} refused")
    @EnumSource(value = AuditAction.class, names = {"CDK_ROTATED", "SWITCH_STARTED", "CDK_GENERATED", "CDK_REWRAPPED",
        "SWITCH_COMPLETED", "WRAPPING_REMOVED"})
    void auditAppendFails_changeIsNotStoredEither(AuditAction refused) throws Exception {
        KeystoreSettings a = ControlFixture.local(dir, "a");
        KeystoreSettings b = ControlFixture.local(dir, "b");
        try (ControlPlane plane = ControlPlane.open(ControlFixture.config(dir, "a", a, b), ControlFixture.options())) {
            plane.rotateCdk("setup");
            long last = plane.audit().recent(1).get(0).seq(); // entries so far stay valid
            sql(plane, "ALTER TABLE dataenc_audit ADD CONSTRAINT test_refuse CHECK (action <> '" + refused + "'"
                    + " OR seq <= " + last + ")");

            assertThrows(DataEncException.class, () -> {
                plane.rotateCdk("under test");
                plane.switchKeystore("b");
                plane.removeWrappings("a", false);
            });
            RegistryInvariants.auditComplete(plane, plane.registry().list(), "after the refused " + refused);

            sql(plane, "ALTER TABLE dataenc_audit DROP CONSTRAINT test_refuse");
            plane.switchKeystore("b");
            plane.removeWrappings("a", false);
            RegistryInvariants.check(plane, true, "after finishing");
            assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
        }
    }

    private static void sql(ControlPlane plane, String statement) throws Exception {
        try (Connection c = plane.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
