package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI prints is all it says: dataenc's own log warnings (slf4j-simple, on standard error) do not repeat a
 * reason the command prints itself, and {@code audit} opens no keystore at all.
 */
class CliLogOutputTest {

    @TempDir
    java.nio.file.Path dir;

    /** A command's run and whatever was logged to {@code System.err} (slf4j-simple's target) meanwhile. */
    private record Logged(CliFixture.Run run, String log) {
    }

    private static Logged capturingLog(Supplier<CliFixture.Run> command) {
        PrintStream saved = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            CliFixture.Run run = command.get();
            return new Logged(run, log.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void switchDryRun_targetKeystoreFileMissing_saysWhyOnceOnStandardError_withoutLogLines() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        Files.delete(cli.dir().resolve("b.p12"));

        Logged dry = capturingLog(() -> cli.dataenc("switch", "b", "--dry-run"));
        Logged status = capturingLog(() -> cli.dataenc("status"));

        assertEquals(1, dry.run().code(), dry.run().all());
        assertTrue(dry.run().out().contains("[REFUSED] target keystore: keystore 'b' cannot be opened"), dry.run().out());
        assertEquals(1, dry.run().err().strip().lines().count(), dry.run().err());
        assertTrue(dry.run().err().startsWith("dataenc: switch to 'b' would be refused"), dry.run().err());
        assertEquals("", dry.log(), "no log lines repeating the reason");
        assertEquals(0, status.run().code(), status.run().all());
        assertTrue(status.run().out().contains("b.p12"), "status names the keystore that cannot be opened: "
                + status.run().out());
        assertEquals("", status.log(), "no log lines repeating what status prints");
    }

    @Test
    void audit_opensNoKeystore() throws IOException {
        CliFixture cli = new CliFixture(dir);
        Files.writeString(cli.config(), "dataenc.keystores.c.type=custom\n"
                + "dataenc.keystores.c.class=" + CountingCipher.class.getName() + "\n"
                + "dataenc.keystores.c.secret-key-hex=" + "00".repeat(32) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        cli.withTwoCdks();
        Files.delete(cli.dir().resolve("b.p12"));
        int openedBefore = CountingCipher.OPENED.get();
        assertTrue(openedBefore > 0, "the fixture opens keystore c as every other command does");

        Logged audit = capturingLog(() -> cli.dataenc("audit"));
        Logged verify = capturingLog(() -> cli.dataenc("audit", "--verify"));

        assertEquals(0, audit.run().code(), audit.run().all());
        assertEquals(openedBefore, CountingCipher.OPENED.get(), "audit opened a keystore");
        assertTrue(audit.run().out().contains("CDK_ROTATED"), audit.run().out());
        assertEquals("", audit.run().err());
        assertEquals("", audit.log());
        assertEquals(0, verify.run().code(), verify.run().all());
        assertTrue(verify.run().out().startsWith("audit trail intact: "), verify.run().out());
        assertEquals(openedBefore, CountingCipher.OPENED.get(), "audit --verify opened a keystore");
    }
}
