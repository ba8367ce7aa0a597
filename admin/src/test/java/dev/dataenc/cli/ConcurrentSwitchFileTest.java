package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.config.ConfigFileLock;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.testing.TinyFileSystem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two admin actions that change the configuration file never interleave: the second is refused at once with one line and
 * touches neither the file nor the registry (real H2 registry, real local keystores, real OS file locks).
 */
class ConcurrentSwitchFileTest {

    @TempDir
    Path dir;

    /** The file's identity: an atomic rewrite (even with the same bytes) gives it a new inode. */
    private static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    @Test
    void secondSwitch_whileTheFirstRuns_isRefusedAndNeverWritesTheFile() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        DataEncConfig cfg = ConfigLoader.load(cli.config());
        AtomicReference<CliFixture.Run> second = new AtomicReference<>();
        AtomicReference<Object> inodeBefore = new AtomicReference<>();
        AtomicReference<Object> inodeAfter = new AtomicReference<>();
        AtomicReference<byte[]> bytesBefore = new AtomicReference<>();
        AtomicReference<byte[]> bytesAfter = new AtomicReference<>();
        // the pause point: while the first switch (a -> b) re-wraps, a second admin switches back to 'a'
        SwitchProgress secondAdmin = new SwitchProgress() {
            @Override
            public void rewrapFinished() {
                try {
                    inodeBefore.set(inode(cli.config()));
                    bytesBefore.set(Files.readAllBytes(cli.config()));
                    second.set(cli.dataenc("switch", "a"));
                    inodeAfter.set(inode(cli.config()));
                    bytesAfter.set(Files.readAllBytes(cli.config()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        try (ControlPlane plane = ControlPlane.open(cfg, ControlPlane.Options.admin("test").withProgress(secondAdmin))) {
            SwitchAction.run(plane, cli.config(), cfg, "b", Optional.empty());
        }

        CliFixture.Run refused = second.get();
        assertNotNull(refused, "the second switch ran during the first");
        assertEquals(1, refused.code(), refused.all());
        assertEquals("", refused.out());
        assertTrue(refused.err().startsWith("dataenc: switch to 'a' refused: another dataenc admin action"), refused.err());
        assertTrue(refused.err().contains("nothing was changed"), refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertEquals(inodeBefore.get(), inodeAfter.get(), "the refused switch did not rewrite the file, not even to put it back");
        assertArrayEquals(bytesBefore.get(), bytesAfter.get());

        assertEquals("b", ConfigLoader.load(cli.config()).activeKeystore());
        CliFixture.Run status = cli.dataenc("status");
        assertTrue(status.out().contains("active keystore:  b\n"), status.out());
        assertFalse(status.out().contains("switch running"), status.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                ConfigFileLock.lockFileOf(cli.config().toRealPath()))), "the lock file is the owner's only");
        assertEquals(0, cli.dataenc("switch", "a").code(), "the lock is released when the first switch ends");
    }

    @Test
    void switchAndCancel_whileAnotherProcessHoldsTheLock_refusedWithOneLine_nothingChanged() throws Exception {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        Path lockFile = ConfigFileLock.lockFileOf(cli.config().toRealPath());
        byte[] before = Files.readAllBytes(cli.config());
        Object inode = inode(cli.config());
        String statusBefore = cli.dataenc("status").out();

        // another process (not a JVM: Python's fcntl.lockf takes the same POSIX record lock Java's FileChannel.lock does)
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'a')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\nsys.stdin.read()\n",
                lockFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader fromHolder = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("locked", fromHolder.readLine());

            CliFixture.Run sw = cli.dataenc("switch", "b");
            assertEquals(1, sw.code(), sw.all());
            assertEquals(1, sw.err().lines().count(), sw.err());
            assertTrue(sw.err().contains("is changing " + cli.config()), sw.err());
            assertTrue(sw.err().contains("holds " + lockFile), sw.err());

            CliFixture.Run cancel = cli.dataenc("switch", "--cancel");
            assertEquals(1, cancel.code(), cancel.all());
            assertTrue(cancel.err().startsWith("dataenc: switch --cancel refused: another dataenc admin action"),
                    cancel.err());

            assertArrayEquals(before, Files.readAllBytes(cli.config()));
            assertEquals(inode, inode(cli.config()));
            assertEquals(statusBefore, cli.dataenc("status").out(), "the registry is unchanged");
        } finally {
            holder.getOutputStream().close(); // the holder reads stdin to its end, then exits and the OS drops its lock
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }

        CliFixture.Run after = cli.dataenc("switch", "b");
        assertEquals(0, after.code(), after.all());
        assertEquals("b", ConfigLoader.load(cli.config()).activeKeystore());
    }

    @Test
    void onAReadOnlyFileSystem_noLockFileCanBeMade_aSwitchTheFileAlreadyNamesStillRuns() throws Exception {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        // the admin's file names 'b' and lives on a read-only mount (e.g. a Kubernetes ConfigMap); the registry does not
        String text = Files.readString(cli.config())
                .replace("dataenc.keystore.active=a", "dataenc.keystore.active=b")
                .replaceAll("path=(\\w)\\.p12", "path=" + dir + "/$1.p12")
                + "dataenc.registry.url=" + ConfigLoader.defaultRegistryUrl(dir) + "\n";
        try (TinyFileSystem mount = TinyFileSystem.mount(dir.resolve("etc"), "64k")) {
            Path config = mount.root().resolve("dataenc.properties");
            Files.writeString(config, text);
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
            mount.readOnly();

            try (ConfigFileLock held = ConfigFileLock.tryAcquire(config).orElseThrow()) {
                assertTrue(ConfigFileLock.tryAcquire(config).isEmpty(), "the JVM's own lock still excludes a second holder");
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "switch", "b", "--config",
                    config.toString());
            assertEquals(0, code, out + "" + err);
            assertTrue(out.toString().contains("already named 'b'"), out.toString());
            try (ControlPlane plane = cli.plane()) {
                assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore());
            }
            assertFalse(Files.exists(ConfigFileLock.lockFileOf(config)));
        }
    }
}
