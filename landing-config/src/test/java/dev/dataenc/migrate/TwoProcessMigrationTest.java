package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two migration processes (two JVMs) on one PostgreSQL finish a table together, each doing part, no batch twice. */
class TwoProcessMigrationTest {

    @TempDir
    Path dir;

    @Test
    void twoJvmsMigrateOneTable_eachDoesPart_everyBatchOnce() throws Exception {
        MigrationFixture.Databases dbs = MigrationFixture.postgres();
        MigrationFixture.createCustomer(dbs);
        Map<Integer, String[]> originals;
        CdkId active;
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "setup")) {
            originals = MigrationFixture.fill(plane, dbs, 6000, 3, 13);
            active = plane.registry().findActive().orElseThrow().id();
        }
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                        "-cp", System.getProperty("java.class.path"), MigrationNodeChild.class.getName(), dir.toString(),
                        dbs.registry().url(), dbs.hostUrl(), dbs.hostUser()).redirectErrorStream(true).start();
                children.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outputs) {
                awaitLine(out, "READY");
            }
            Files.createFile(dir.resolve("go"));
            Set<Integer> done = new HashSet<>();
            for (BufferedReader out : outputs) {
                String batches = awaitLine(out, "BATCHES ").substring("BATCHES ".length()).trim();
                assertFalse(batches.isEmpty(), "each process did part of the table");
                for (String b : batches.split(",")) {
                    assertTrue(done.add(Integer.parseInt(b)), "batch " + b + " done by both processes");
                }
            }
            assertEquals(60, done.size(), "every batch done exactly once");
            for (Process p : children) {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "check")) {
            MigrationTest.assertDecryptsToOriginalsUnder(plane, originals, MigrationFixture.stored(dbs), active);
        }
    }

    private static String awaitLine(BufferedReader out, String prefix) throws Exception {
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
        }
        fail("process ended without '" + prefix + "'; output:\n" + String.join("\n", seen));
        return null;
    }
}
