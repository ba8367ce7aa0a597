package dev.dataenc.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.cli.DataencCli;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransitions;
import dev.dataenc.migrate.JdbcRecordSource;
import dev.dataenc.migrate.Migration;
import dev.dataenc.migrate.MigrationRequest;
import dev.dataenc.migrate.ScanEvidence;
import dev.dataenc.testing.PostgresServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.dataenc.testing.KeystoreFiles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three processes on one PostgreSQL registry: two application nodes (child JVMs) and the admin (this JVM, and a CLI
 * child JVM for the switch). At every cipher-transition phase, and after a switch from the CLI, one node is
 * restarted with a stale file naming another active keystore: the cluster's state never moves back, the node follows
 * the registry and shows as drift in {@code dataenc status}, and every stored value stays readable on every node.
 */
class ThreeProcessClusterTest {

    private static final String PASSWORD = "cluster-password";

    @TempDir
    Path dir;

    private final List<Node> nodes = new ArrayList<>();
    private int nextRow = 1;

    /** A child node process and its line protocol. */
    private record Node(Process process, BufferedReader out, Writer in) {
        /** Sends a command and returns its answer, skipping the node's log lines (its stderr is merged). */
        String ask(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PROBE ") || line.startsWith("WROTE ") || line.startsWith("FAIL ")) {
                    return line;
                }
            }
            throw new IOException("node ended while answering " + command);
        }

        void quit() throws Exception {
            in.write("QUIT\n");
            in.flush();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "node stops");
            assertEquals(0, process.exitValue());
        }
    }

    @AfterEach
    void killLeftovers() {
        nodes.forEach(n -> n.process().destroyForcibly());
    }

    private Path config(String name, String active, String registryUrl, String user) throws IOException {
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=" + active + "\n");
        for (String ks : new String[] {"a", "b", "c"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(ks).append(".p12\n")
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=").append(PASSWORD).append('\n');
        }
        sb.append("dataenc.registry.url=").append(registryUrl).append("\ndataenc.registry.user=").append(user)
                .append("\ndataenc.cache.active-refresh=200ms\n");
        Path file = dir.resolve(name + ".properties");
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return KeystoreFiles.provideAll(file); // as an admin does with 'dataenc keystore create' and a copy
    }

    private Node start(Path config, String hostUrl, String user) throws IOException {
        Process p = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ClusterNodeChild.class.getName(), config.toString(), hostUrl, user).redirectErrorStream(true).start();
        Node n = new Node(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        nodes.add(n);
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = n.out().readLine()) != null) {
            if (line.startsWith("READY ")) {
                return n;
            }
            seen.add(line);
        }
        fail("node ended before READY:\n" + String.join("\n", seen));
        return null;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Probes until the node names {@code keystore} as active and its fresh ciphertexts go under a CDK wrapped by
     * exactly {@code wrappedBy} (its cache re-reads the ACTIVE CDK within 200 ms).
     */
    private static String probe(Node n, String keystore, String wrappedBy) throws Exception {
        String r = null;
        for (int i = 0; i < 50; i++) {
            r = n.ask("PROBE");
            if (r.startsWith("PROBE " + keystore + " " + wrappedBy + " ")) {
                return r;
            }
            Thread.sleep(100);
        }
        fail("node never encrypted under '" + keystore + "' with a CDK wrapped by " + wrappedBy + ": " + r);
        return r;
    }

    private void write(Node n) throws IOException {
        int id = nextRow++;
        assertEquals("WROTE " + id, n.ask("WRITE " + id));
    }

    private void assertEverythingReadable(Node... on) throws IOException {
        for (Node n : on) {
            String r = n.ask("PROBE");
            assertTrue(r.endsWith(" " + (nextRow - 1) + "/" + (nextRow - 1)), "every row decrypts on every node: " + r);
        }
    }

    private static String status(Path config) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "status", "--config",
                config.toString());
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    @Test
    void staleNodeRestartedAtEveryPhaseAndAfterACliSwitch_clusterNeverMovesBack_nodeShowsDrift_dataReadable()
            throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        String registry = pg.newDatabase();
        String hostUrl = pg.newDatabase();
        try (Connection c = DriverManager.getConnection(hostUrl, pg.user(), ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE person (id INT PRIMARY KEY, name VARCHAR(600))");
        }
        Path node1File = config("node1", "a", registry, pg.user());
        Path admin = config("admin", "a", registry, pg.user());

        Node node1 = start(node1File, hostUrl, pg.user());
        Node node2 = start(config("node2", "a", registry, pg.user()), hostUrl, pg.user());
        write(node1);
        write(node2);

        // the admin, on a clock 10 minutes back so its status changes are long settled when the migration scans
        ControlPlane.Options adminOptions = ControlPlane.Options.admin("admin")
                .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        // the stale file names the keystore the registry does not have active; the ACTIVE CDK's wrappings per phase
        record Step(CipherPhase phase, String registryActive, String staleFile, String activeCdkWrappedBy) {
        }
        List<Step> steps = List.of(new Step(CipherPhase.NEW_DECRYPTS, "a", "b", "a,b"),
                new Step(CipherPhase.NEW_ENCRYPTS, "b", "a", "b"), new Step(CipherPhase.MIGRATED, "b", "a", "b"),
                new Step(CipherPhase.OLD_REFUSED, "b", "a", "b"));
        for (Step step : steps) {
            try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(admin), adminOptions);
                 JdbcRecordSource person = JdbcRecordSource.connect(hostUrl, pg.user(), "").table("person").key("id")
                         .column("name:Person.name").build()) {
                CipherTransitions t = plane.cipherTransitions();
                if (step.phase() == CipherPhase.NEW_DECRYPTS) {
                    t.start("b");
                } else {
                    if (step.phase() == CipherPhase.MIGRATED) {
                        new Migration(plane).run(MigrationRequest.of(person));
                        plane.retireCdks(new ScanEvidence(plane.database()), false);
                    }
                    t.advance();
                }
                assertEquals(step.phase(), t.all().get(0).phase());
            }

            node2.quit();
            node2 = start(config("node2", step.staleFile(), registry, pg.user()), hostUrl, pg.user());

            probe(node2, step.registryActive(), step.activeCdkWrappedBy()); // the restarted node follows the registry
            probe(node1, step.registryActive(), step.activeCdkWrappedBy());
            try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(admin), adminOptions)) {
                assertEquals(step.registryActive(), plane.jobs().state().orElseThrow().activeKeystore(), step.toString());
                assertEquals(step.phase(), plane.cipherTransitions().all().get(0).phase(), "the transition stays");
            }
            String status = status(admin);
            assertTrue(status.contains("file names active keystore '" + step.staleFile() + "'   DRIFT: the file names"
                    + " active keystore '" + step.staleFile() + "', the registry '" + step.registryActive() + "'"), status);
            assertTrue(status.contains("nodes:            2 live, 0 stale"), status);
            write(node2);
            write(node1);
            assertEverythingReadable(node1, node2);
        }

        // the admin switches from a CLI process; the node restarted with its file naming the old keystore stays on c
        Process cli = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                DataencCli.class.getName(), "switch", "c", "--config", admin.toString()).redirectErrorStream(true).start();
        String cliOut = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, cli.exitValue(), cliOut);
        node2.quit();
        node2 = start(config("node2", "b", registry, pg.user()), hostUrl, pg.user());
        probe(node2, "c", "c");
        probe(node1, "c", "c");
        write(node2);
        assertEverythingReadable(node1, node2);
        String status = status(admin);
        assertTrue(status.contains("active keystore:  c"), status);
        assertTrue(status.contains("DRIFT: the file names active keystore 'b', the registry 'c'"), status);
        assertTrue(status.contains("DRIFT: the file names active keystore 'a', the registry 'c'"), "node1 too: " + status);
        node1.quit();
        node2.quit();
    }
}
