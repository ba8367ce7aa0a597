package dev.dataenc.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.registry.RegistryDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Chain scenarios shared by the H2 and PostgreSQL tests: two pools on one registry stand for two processes. */
final class AuditChainFixture {

    private AuditChainFixture() {
    }

    static void sql(RegistryDatabase db, String sql) {
        db.write("test", c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate(sql);
            }
            return null;
        });
    }

    static void appendConcurrently_formsOneChain(RegistryDatabase one, RegistryDatabase two) throws Exception {
        JdbcAuditTrail a = new JdbcAuditTrail(one, "node-a");
        JdbcAuditTrail b = new JdbcAuditTrail(two, "node-b");
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4); // its own threads: really concurrent on any JDK
        try {
            for (JdbcAuditTrail t : List.of(a, b)) {
                for (int thread = 0; thread < 2; thread++) {
                    runs.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < 25; i++) {
                            t.record(AuditAction.VERIFIED, null, "ks", "entry " + i);
                        }
                    }, threads));
                }
            }
            for (CompletableFuture<Void> r : runs) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        AuditChainReport report = a.verify();
        assertEquals(100, report.chained());
        assertEquals(report, b.verify());
    }

    /**
     * Appender A holds the chain head (paused); appender B, on another pool, must wait for it (seen as a
     * blocked session by {@code blockedSessions}) and then chain onto A's entry.
     */
    static void appendWaitsForTheHead(RegistryDatabase one, RegistryDatabase two, String blockedSessionsSql)
            throws Exception {
        CountDownLatch aHoldsHead = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        JdbcAuditTrail a = new JdbcAuditTrail(one, "node-a", () -> {
            aHoldsHead.countDown();
            await(releaseA);
        });
        JdbcAuditTrail b = new JdbcAuditTrail(two, "node-b");
        b.record(AuditAction.VERIFIED, null, null, "before");

        // two threads of its own: on JDK 25 CompletableFuture's default is the common pool even with one worker (2 cores),
        // where B would wait behind the paused A and never reach the database
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            appendWaitsForTheHead(a, b, aHoldsHead, releaseA, one, blockedSessionsSql, threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void appendWaitsForTheHead(JdbcAuditTrail a, JdbcAuditTrail b, CountDownLatch aHoldsHead,
                                              CountDownLatch releaseA, RegistryDatabase one, String blockedSessionsSql,
                                              ExecutorService threads) throws Exception {
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> a.record(AuditAction.CDK_ROTATED, null, "ks", "a"),
                threads);
        assertTrue(aHoldsHead.await(30, TimeUnit.SECONDS));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> b.record(AuditAction.CDK_RETIRED, null, "ks", "b"),
                threads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (blocked(one, blockedSessionsSql) == 0) {
            assertTrue(System.nanoTime() < deadline, "B never waited for the chain head");
            Thread.sleep(10);
        }
        assertTrue(!second.isDone(), "B must not append while A holds the head");
        releaseA.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        List<AuditEvent> events = b.recent(3);
        assertEquals(List.of(AuditAction.VERIFIED, AuditAction.CDK_ROTATED, AuditAction.CDK_RETIRED),
                events.stream().map(AuditEvent::action).toList());
        assertEquals(3, a.verify().chained());
    }

    private static long blocked(RegistryDatabase db, String sql) {
        return db.read("count blocked sessions", (Connection c) -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
