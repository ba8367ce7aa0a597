package dev.dataenc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cli.DataencCli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    private static String[] demo(Path dir, String mib) {
        return new String[] {"demo", "--work-dir", dir.toString(), "--blob-mib", mib};
    }

    @Test
    void demo_switchesAtoB_decryptsWithBAlone_andShowsRefusals(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), demo(dir, "2"));
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("is refused: DecryptionFailedException"), text);
        assertTrue(text.contains("is now DECRYPT_ONLY"), "the CDK was rotated: " + text);
        assertTrue(text.contains("$ dataenc status"), text);
        assertTrue(text.contains("CDKs by status:   {ACTIVE=1, DECRYPT_ONLY=1}"), text);
        assertTrue(text.contains("re-wrap 2 CDKs under it"), "the dry-run plan: " + text);
        assertTrue(text.contains("dry run: nothing changed"), text);
        assertTrue(text.contains("re-wrap CDKs 100%"), "the progress bar: " + text);
        assertTrue(text.contains("switch 'keystore-a' -> 'keystore-b': COMPLETED"), text);
        assertTrue(text.contains("CDKs re-wrapped: 2 by this run"), text);
        assertTrue(text.contains("wrapped by 'keystore-b'"), "the new ACTIVE CDK is wrapped by B: " + text);
        assertTrue(text.contains("now says dataenc.keystore.active=keystore-b"), text);
        assertTrue(text.contains("decrypted all 4 values: identical to the originals"), text);
        assertTrue(text.contains("BLOB decrypted: SHA-256 matches the original"), text);
        assertTrue(text.contains("dataenc: switch from keystore 'keystore-b' to 'keystore-c' refused"), text);
        assertTrue(text.contains("DISABLED"), text);
        assertTrue(text.contains("(exit code 1)"), text);
        assertTrue(text.contains("keystore 'keystore-b' removed would leave 1 CDK in use without a usable wrapping"), text);
        assertTrue(text.contains("nothing changed: active keystore 'keystore-b'"), text);
        assertTrue(text.contains("demo finished"), text);
        assertTrue(text.contains("./dataenc status --config "), "tells how to try the admin commands: " + text);
        assertFalse(text.contains("dataenc-demo-only"), "the demo password must not be printed");
        assertTrue(Files.exists(dir.resolve("dataenc.properties")), "a real configuration is left for the admin commands");
        assertOwnerOnly(dir);
    }

    /** Every file the demo leaves is readable by its owner only (the sample BLOB was 0644 before). */
    private static void assertOwnerOnly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            assertTrue(regular.stream().anyMatch(p -> p.getFileName().toString().equals("sample-blob.enc")), regular.toString());
            for (Path p : regular) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms,
                        p + " is " + PosixFilePermissions.toString(perms));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void demo_secondRunOnTheSameWorkDir_startsFresh(@TempDir Path dir) {
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(sink, true);
        assertEquals(0, DataencCli.run(w, w, demo(dir, "1")), sink.toString());
        StringWriter second = new StringWriter();
        PrintWriter w2 = new PrintWriter(second, true);
        assertEquals(0, DataencCli.run(w2, w2, demo(dir, "1")), second.toString());
        assertTrue(second.toString().contains("CDKs by status:   {ACTIVE=1, DECRYPT_ONLY=1}"),
                "the second run starts from an empty registry: " + second);
    }

    @Test
    void adminCommands_workOnTheDemoWorkDir(@TempDir Path dir) {
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(sink, true);
        assertEquals(0, DataencCli.run(w, w, demo(dir, "1")), sink.toString());
        String config = dir.resolve("dataenc.properties").toString();
        StringWriter out = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        assertEquals(0, DataencCli.run(o, o, "status", "--config", config), out.toString());
        assertTrue(out.toString().contains("active keystore:  keystore-b"), out.toString());
        assertEquals(0, DataencCli.run(o, o, "verify", "--config", config), out.toString());
    }

    @Test
    void unknownCommand_exitsNonZeroWithUsage() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "no-such-command");
        assertEquals(2, code);
        assertTrue(err.toString().contains("no-such-command"), err.toString());
    }
}
