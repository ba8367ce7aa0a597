package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** picocli's {@code @file} expansion is off: an {@code @path} argument is a literal, never the file's lines. */
class AtFileArgumentTest {

    @TempDir
    Path dir;

    private static String run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        String all = out + "" + err;
        assertEquals(expectedCode, code, all);
        return all;
    }

    @Test
    void atFileArgument_isTakenLiterally_andItsContentNeverPrinted() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "SECRET-LINE-4711\n--limit\n");

        String output = run(DataencCli.EXIT_USAGE, "audit", "@" + secret);

        assertEquals("dataenc: unexpected argument: '@" + secret + "'; see 'dataenc audit --help'\n", output);
        assertFalse(output.contains("SECRET-LINE-4711"), output);
    }

    @Test
    void atFile_ofInspect_thatNeverEnds_isReadAsAStream_andJudgedByItsFirstBytes() {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");

        String output = run(DataencCli.EXIT_FAILURE, "inspect", "--no-registry", "@/dev/zero");

        assertEquals("dataenc: not a dataenc ciphertext: first byte is 0x00, expected 0xDE; was this value ever"
                + " encrypted?\n", output);
    }

    @Test
    void atEtcPasswd_isTakenLiterally_andItsContentNeverPrinted() {
        String output = run(DataencCli.EXIT_USAGE, "status", "@/etc/passwd");

        assertEquals("dataenc: unexpected argument: '@/etc/passwd'; see 'dataenc status --help'\n", output);
        assertFalse(output.contains("root:"), output);
    }
}
