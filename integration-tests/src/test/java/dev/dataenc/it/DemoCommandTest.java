package dev.dataenc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cli.DataencCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void demo_roundTripsValuesAndBlobAndSurvivesRotation(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "demo", "--work-dir", dir.toString(), "--blob-mib", "2");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("decrypted all 3 values"), text);
        assertTrue(text.contains("is refused: DecryptionFailedException"), text);
        assertTrue(text.contains("SHA-256 of original and decrypted BLOB match"), text);
        assertTrue(text.contains("old values still decrypt"), text);
        assertTrue(text.contains("demo finished"), text);
        assertFalse(text.contains("dataenc-demo-only"), "the demo password must not be printed");
        assertTrue(Files.exists(dir.resolve("demo-local.p12")), "the local keystore file is created");
    }

    @Test
    void demo_secondRunReusesTheKeystoreFile(@TempDir Path dir) throws Exception {
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(sink, true);
        assertEquals(0, DataencCli.run(w, w, "demo", "--work-dir", dir.toString(), "--blob-mib", "1"));
        long size = Files.size(dir.resolve("demo-local.p12"));
        assertEquals(0, DataencCli.run(w, w, "demo", "--work-dir", dir.toString(), "--blob-mib", "1"), sink.toString());
        assertEquals(size, Files.size(dir.resolve("demo-local.p12")), "the master key file is reused, not rewritten");
    }

    @Test
    void unknownCommand_exitsNonZeroWithUsage() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "no-such-command");
        assertTrue(code != 0);
        assertTrue(err.toString().contains("no-such-command"), err.toString());
    }
}
