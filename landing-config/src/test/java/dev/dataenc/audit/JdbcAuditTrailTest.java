package dev.dataenc.audit;

import static dev.dataenc.audit.AuditChainFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.registry.RegistryDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail's hash chain on a real embedded H2 registry. */
class JdbcAuditTrailTest {

    @TempDir
    Path dir;

    private final List<RegistryDatabase> open = new ArrayList<>();

    private RegistryDatabase db() {
        RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(dir), "sa", "");
        open.add(db);
        return db;
    }

    @AfterEach
    void close() {
        open.forEach(RegistryDatabase::close);
    }

    private JdbcAuditTrail trailWithFiveEntries() {
        JdbcAuditTrail trail = new JdbcAuditTrail(db(), "tester");
        for (int i = 1; i <= 5; i++) {
            trail.record(AuditAction.CDK_ROTATED, null, "ks", "entry " + i);
        }
        return trail;
    }

    private long seqOf(JdbcAuditTrail trail, int entry) {
        return trail.recent(100).stream().filter(e -> e.detail().equals("entry " + entry)).findFirst().orElseThrow().seq();
    }

    @Test
    void appendedEntries_verifyIntact() {
        JdbcAuditTrail trail = trailWithFiveEntries();

        AuditChainReport report = trail.verify();

        assertEquals(5, report.chained());
        assertEquals(0, report.beforeChain());
        assertEquals(seqOf(trail, 5), report.lastSeq());
        assertTrue(report.line().startsWith("audit trail intact: 5 chained entries"), report.line());
    }

    @Test
    void rowEditedWithSql_verifyNamesThatRow() {
        JdbcAuditTrail trail = trailWithFiveEntries();
        long third = seqOf(trail, 3);
        sql(db(), "UPDATE dataenc_audit SET detail = 'nothing happened' WHERE seq = " + third);

        AuditChainBrokenException e = assertThrows(AuditChainBrokenException.class, trail::verify);

        assertEquals(third, e.seq());
        assertTrue(e.getMessage().contains("was changed after it was written"), e.getMessage());
    }

    @Test
    void rowDeleted_verifyNamesTheRowAfterIt() {
        JdbcAuditTrail trail = trailWithFiveEntries();
        long third = seqOf(trail, 3);
        long fourth = seqOf(trail, 4);
        sql(db(), "DELETE FROM dataenc_audit WHERE seq = " + third);

        AuditChainBrokenException e = assertThrows(AuditChainBrokenException.class, trail::verify);

        assertEquals(fourth, e.seq());
        assertTrue(e.getMessage().contains("does not follow seq " + seqOf(trail, 2)), e.getMessage());
    }

    @Test
    void rowsReordered_verifyNamesTheFirstMovedRow() {
        JdbcAuditTrail trail = trailWithFiveEntries();
        long second = seqOf(trail, 2);
        long third = seqOf(trail, 3);
        sql(db(), "UPDATE dataenc_audit SET seq = -1 WHERE seq = " + second);
        sql(db(), "UPDATE dataenc_audit SET seq = " + second + " WHERE seq = " + third);
        sql(db(), "UPDATE dataenc_audit SET seq = " + third + " WHERE seq = -1");

        AuditChainBrokenException e = assertThrows(AuditChainBrokenException.class, trail::verify);

        assertEquals(second, e.seq());
        assertTrue(e.getMessage().contains("reordered"), e.getMessage());
    }

    @Test
    void lastRowDeleted_verifyReportsTheCutEnd() {
        JdbcAuditTrail trail = trailWithFiveEntries();
        sql(db(), "DELETE FROM dataenc_audit WHERE seq = " + seqOf(trail, 5));

        AuditChainBrokenException e = assertThrows(AuditChainBrokenException.class, trail::verify);

        assertEquals(seqOf(trail, 4), e.seq());
        assertTrue(e.getMessage().contains("the entries after it were deleted"), e.getMessage());
    }

    @Test
    void rowInsertedWithoutTheChain_verifyNamesIt() {
        JdbcAuditTrail trail = trailWithFiveEntries();
        sql(db(), "INSERT INTO dataenc_audit (at, actor, action, detail) VALUES (CURRENT_TIMESTAMP, 'x', 'VERIFIED', 'forged')");

        AuditChainBrokenException e = assertThrows(AuditChainBrokenException.class, trail::verify);

        assertTrue(e.getMessage().contains("it has no chain hash"), e.getMessage());
    }

    @Test
    void entriesFromBeforeTheUpgrade_areCountedAndTheChainAnchorsAfterThem() {
        String url = RegistryDatabase.h2Url(dir) + ";WRITE_DELAY=0";
        try (RegistryDatabase first = RegistryDatabase.open(url, "sa", "")) {
            // a registry as version 6 left it (before the chain of V7), with two old entries
            sql(first, "DROP ALL OBJECTS");
            org.flywaydb.core.Flyway.configure().dataSource(first.dataSource())
                    .locations("classpath:dev/dataenc/registry/migration").table("dataenc_schema_history")
                    .baselineOnMigrate(true).baselineVersion("0").target("6").load().migrate();
            sql(first, "INSERT INTO dataenc_audit (at, actor, action, detail) VALUES (CURRENT_TIMESTAMP, 'old', 'VERIFIED', 'a')");
            sql(first, "INSERT INTO dataenc_audit (at, actor, action, detail) VALUES (CURRENT_TIMESTAMP, 'old', 'VERIFIED', 'b')");
        }
        JdbcAuditTrail trail = new JdbcAuditTrail(db(), "tester");
        assertEquals(0, trail.verify().chained());
        trail.record(AuditAction.VERIFIED, null, null, "first chained");

        AuditChainReport report = trail.verify();

        assertEquals(1, report.chained());
        assertEquals(2, report.beforeChain());
        assertEquals(AuditChain.GENESIS.length(), report.headHash().length());
    }

    @Test
    void appendInCallersTransaction_rolledBack_leavesNoEntry_committed_chains() throws Exception {
        RegistryDatabase db = db();
        JdbcAuditTrail trail = new JdbcAuditTrail(db, "tester");
        trail.record(AuditAction.VERIFIED, null, null, "before");

        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            trail.append(c, AuditAction.CDK_RETIRED, null, "ks", "rolled back");
            c.rollback();
            trail.append(c, AuditAction.CDK_RETIRED, null, "ks", "committed");
            c.commit();
            c.setAutoCommit(true);
        }

        assertEquals(List.of("before", "committed"), trail.recent(10).stream().map(AuditEvent::detail).toList());
        assertEquals(2, trail.verify().chained());
    }

    @Test
    void appendInAutoCommitMode_isRefused() throws Exception {
        RegistryDatabase db = db();
        JdbcAuditTrail trail = new JdbcAuditTrail(db, "tester");
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(true);
            assertThrows(IllegalArgumentException.class, () -> trail.append(c, AuditAction.VERIFIED, null, null, "x"));
        }
        assertTrue(trail.recent(10).isEmpty());
    }

    @Test
    void twoPoolsAppendingConcurrently_formOneChain() throws Exception {
        AuditChainFixture.appendConcurrently_formsOneChain(db(), db());
    }

    @Test
    void appendWhileAnotherHoldsTheHead_waitsAndChainsOntoIt() throws Exception {
        AuditChainFixture.appendWaitsForTheHead(db(), db(),
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL");
    }

    @Test
    void controlCharactersInDetail_areEscapedInLineAndToString() {
        JdbcAuditTrail trail = new JdbcAuditTrail(db(), "tester\u001b[31m");
        trail.record(AuditAction.CONFIG_REFUSED, null, "ks\r", "bad\n2026-01-01T00:00:00Z  SWITCH_COMPLETED  admin"
                + "\u001b[2J\u009b1m\u202e\\n");

        AuditEvent e = trail.recent(1).get(0);

        for (String out : List.of(e.line(), e.toString())) {
            assertFalse(out.chars().anyMatch(ch -> ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == 0x202e), out);
            assertTrue(out.contains("bad\\n2026-01-01T00:00:00Z"), out);
            assertTrue(out.contains("\\u001B[2J\\u009B1m\\u202E\\\\n"), out);
            assertTrue(out.contains("tester\\u001B[31m"), out);
            assertTrue(out.contains("ks\\r"), out);
        }
        assertEquals(1, trail.verify().chained(), "the stored entry is the raw text; only output is escaped");
    }

    @Test
    void actor_isTheOsUser_notTheUserNameProperty() {
        String saved = System.getProperty("user.name");
        System.setProperty("user.name", "mallory");
        try {
            String actor = Actor.current("test");
            String osUser = ProcessHandle.current().info().user().orElseThrow();

            assertTrue(actor.startsWith(osUser + "@"), actor);
            assertFalse(actor.contains("mallory"), actor);
            assertTrue(Actor.current("test", java.util.Optional.empty()).startsWith("mallory (unverified)@"));
        } finally {
            System.setProperty("user.name", saved);
        }
    }

}
