package dev.dataenc.cli;

import dev.dataenc.testing.KeystoreFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.SwitchCrashChild;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchPhase;
import dev.dataenc.error.DataEncException;
import dev.dataenc.registry.RegistryDatabase;
import dev.dataenc.testing.CrashingChild;
import dev.dataenc.testing.PostgresServer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A switch that fails or is killed half way: resume, cancel, and what the configuration file says meanwhile. */
class SwitchRecoveryCommandsTest {

    /** The password and master-key names of {@code ControlFixture}, whose child JVM {@link SwitchCrashChild} uses. */
    private static final String PASSWORD = "fixture-password";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run dataencOn(Path config, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full);
        return new Run(code, out.toString(), err.toString());
    }

    private Path config(String active, String registryUrl, String user) throws IOException {
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=").append(active)
                .append("\ndataenc.registry.url=").append(registryUrl).append("\ndataenc.registry.user=").append(user)
                .append("\ndataenc.switch.lease=1s\n");
        for (String ks : new String[] {"a", "b"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(dir.resolve(ks + ".p12")).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=").append(PASSWORD).append('\n');
        }
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return KeystoreFiles.provideAll(file);
    }

    private static void allowConnections(PostgresServer pg, String url, boolean allow) throws Exception {
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres", pg.user(), "");
             Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db + " WITH ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
            }
        }
    }

    @Test
    void databaseGoneAfterTheJobStarted_fileKeepsTheTarget_nextStartFinishesWithoutSwitchingBack() throws Exception {
        PostgresServer pg = PostgresServer.available().orElse(null);
        assumeTrue(pg != null, () -> "PostgreSQL not available: " + PostgresServer.unavailableReason());
        String url = pg.newDatabase();
        Path file = config("a", url, pg.user());
        assertEquals(0, dataencOn(file, "rotate-cdk").code());
        assertEquals(0, dataencOn(file, "rotate-cdk").code());
        CrashPoint databaseGone = step -> {
            if (step.equals("cdk-activated")) {
                try {
                    allowConnections(pg, url, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(file),
                ControlPlane.Options.admin(AdminPlane.TOOL).withCrash(databaseGone))) {
            DataEncException failed = assertThrows(DataEncException.class, () -> ConfigFirstSwitch.run(plane, file, true,
                    "b", CipherType.PLATFORM, () -> plane.switchKeystore("b")));
            assertTrue(failed.getMessage().contains("'dataenc switch b'"), "says how to resume: " + failed.getMessage());
            assertTrue(failed.getMessage().contains("keeps naming 'b'"), failed.getMessage());
        } finally {
            allowConnections(pg, url, true);
        }
        assertEquals("b", ConfigLoader.load(file).activeKeystore(), "the file is not put back once the job exists");

        try (ControlPlane next = ControlPlane.open(ConfigLoader.load(file), ControlPlane.Options.app())) {
            assertEquals("b", next.jobs().state().orElseThrow().activeKeystore());
            assertEquals(1, next.jobs().history(10).size(), "the switch was finished, not undone by a second one");
            assertEquals(SwitchPhase.COMPLETED, next.jobs().history(10).get(0).phase());
            assertEquals(3, next.registry().list().size(), "exactly one new CDK");
            assertEquals(1, next.registry().list().stream().filter(c -> c.status() == CdkStatus.ACTIVE).count());
        }
    }

    @Test
    void switchKilledHalfWay_cancel_rollsBackAndPutsTheSourceBackIntoTheFile() throws Exception {
        Path file = config("a", RegistryDatabase.h2Url(dir), "sa");
        assertEquals(0, dataencOn(file, "rotate-cdk").code());
        String before = dataencOn(file, "status").out().lines().filter(l -> l.startsWith("active CDK:")).findFirst()
                .orElseThrow().split("[ ,]+")[2];
        Files.writeString(file, Files.readString(file).replace("dataenc.keystore.active=a", "dataenc.keystore.active=b"));
        CrashingChild.runAndKill(SwitchCrashChild.class, "switch killed", dir.toString(), "cdk-rewrapped:1");

        Run cancel = dataencOn(file, "switch", "--cancel");
        Run again = dataencOn(file, "switch", "--cancel");
        Run status = dataencOn(file, "status");

        assertEquals(0, cancel.code(), cancel.all());
        assertTrue(cancel.out().startsWith("switch 'a' -> 'b': CANCELLED"), cancel.out());
        assertTrue(cancel.out().contains("ACTIVE CDK: " + before + " (again)"), cancel.out());
        assertEquals("a", ConfigLoader.load(file).activeKeystore(), "the file names the source again");
        assertEquals(1, again.code(), again.all());
        assertTrue(again.err().contains("nothing to cancel"), again.err());
        assertTrue(status.out().contains("active keystore:  a\n"), status.out());
        assertTrue(status.out().contains("none in progress"), status.out());
        assertEquals(2, dataencOn(file, "switch").code(), "no keystore and no --cancel");
        assertEquals(2, dataencOn(file, "switch", "b", "--cancel").code());
    }

    @Test
    void removeWrappings_unknownKeystore_isAUsageErrorNamingTheConfiguredOnes() throws Exception {
        Path file = config("a", RegistryDatabase.h2Url(dir), "sa");
        assertEquals(0, dataencOn(file, "rotate-cdk").code());

        Run r = dataencOn(file, "remove-wrappings", "c");

        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("keystore 'c' is neither configured nor wraps any CDK; configured keystores: a, b"),
                r.err());
    }
}
