package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI from outside, with broken or hostile input: each refusal is one {@code dataenc: <reason>} line, exit 1,
 * no stack trace, and leaves every file as it was. Real configuration files, real H2, real {@code local} keystores.
 */
class HostileInputTest {

    @TempDir
    Path dir;

    /** Exactly one line on standard error, {@code dataenc: ...}, and no stack trace. */
    static void oneLine(CliFixture.Run r) {
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line on standard error: " + r.err());
        assertTrue(lines.get(0).startsWith("dataenc: "), r.err());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p) + " " + (Files.isRegularFile(p) ? sizeOf(p) : "dir")).sorted().toList();
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void lookingCommands_onAnEmptyH2RegistryFile_refuseIt_andLeaveItEmpty() throws IOException {
        CliFixture cli = new CliFixture(dir);
        Path registry = dir.resolve("registry.mv.db");
        Files.write(registry, new byte[0]);
        List<String> before = listing();

        for (List<String> command : List.of(List.of("status"), List.of("verify"), List.of("audit"),
                List.of("policy", "show"), List.of("switch", "b", "--dry-run"), List.of("cdk", "list"),
                List.of("cipher-transition", "status"))) {
            CliFixture.Run r = cli.dataenc(command.toArray(String[]::new));
            assertEquals(1, r.code(), command + ": " + r.all());
            oneLine(r);
            assertTrue(r.err().contains("registry file " + registry + " is refused: it is empty (0 bytes)"),
                    command + ": " + r.err());
            assertEquals(0, Files.size(registry), command + " wrote into the empty registry file");
            assertEquals(before, listing(), command + " created or changed a file");
        }
    }

    @Test
    void commandsOnCdks_onARegistryThatDoesNotExist_sayNotInitialised_andCreateNothing() throws IOException {
        CliFixture other = new CliFixture(Files.createDirectory(dir.resolve("other")));
        assertEquals(0, other.dataenc("rotate-cdk").code());
        String ciphertext = other.dataenc("encrypt", "--context", "C.x", "value").out().strip();
        CliFixture cli = new CliFixture(Files.createDirectory(dir.resolve("fresh")));
        Path registry = cli.dir().resolve("registry.mv.db");
        List<String> before = listing();

        for (List<String> command : List.of(List.of("cdk", "list"), List.of("destroy-cdk", "--list"),
                List.of("encrypt", "--context", "C.x", "value"), List.of("decrypt", "--context", "C.x", ciphertext))) {
            CliFixture.Run r = cli.dataenc(command.toArray(String[]::new));
            assertEquals(1, r.code(), command + ": " + r.all());
            oneLine(r);
            assertTrue(r.err().contains("is not initialised (the database does not exist); nothing was created"),
                    command + ": " + r.err());
            assertFalse(Files.exists(registry), command + " created the registry " + registry);
            assertEquals(before, listing(), command + " created or changed a file");
        }
        CliFixture.Run inspect = cli.dataenc("inspect", ciphertext);
        assertEquals(0, inspect.code(), inspect.all());
        assertTrue(inspect.out().contains("CDK:"), inspect.out());
        assertTrue(inspect.err().startsWith("dataenc: warning: the registry was not consulted"), inspect.err());
        assertFalse(Files.exists(registry), "inspect created the registry " + registry);
        assertEquals(before, listing(), "inspect created or changed a file");
    }

    @Test
    void encrypt_fromStandardInputThatIsNotUtf8_isRefused_insteadOfEncryptingReplacementCharacters() throws IOException {
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());
        String auditBefore = cli.dataenc("audit", "--limit", "1000").out();
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9, '\n'}; // "café" in ISO-8859-1

        CliFixture.Run r = cli.dataencWithStdinBytes(latin1, "encrypt", "--context", "C.x");

        assertEquals(1, r.code(), r.all());
        oneLine(r);
        assertTrue(r.err().contains("standard input is not UTF-8 text: invalid byte sequence at byte 3 of 5"), r.err());
        assertEquals("", r.out(), "no ciphertext printed");
        CliFixture.Run d = cli.dataencWithStdinBytes(latin1, "decrypt", "--context", "C.x", "-");
        assertEquals(1, d.code(), d.all());
        oneLine(d);
        assertTrue(d.err().contains("standard input is not UTF-8 text"), d.err());
        assertEquals(auditBefore, cli.dataenc("audit", "--limit", "1000").out(), "nothing audited");
    }

    @Test
    void valueFromStandardInput_whenItIsClosed_isRefused_insteadOfReadingAJavaRuntimeFile() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/self/fd/0")), "needs Linux /proc");
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());
        for (String command : List.of("encrypt --context C.x", "decrypt --context C.x -", "inspect --no-registry -")) {
            // <&- starts the JVM with file descriptor 0 closed; the first file it opens (lib/modules) becomes fd 0
            CliFixture.Run r = inAnotherProcess(cli, command + " <&-");
            assertEquals(1, r.code(), command + ": " + r.all());
            oneLine(r);
            assertTrue(r.err().contains("standard input is closed"), command + ": " + r.err());
            assertEquals("", r.out(), command + ": nothing on standard output");
        }
    }

    @Test
    void localKeystorePath_toADevice_isReportedAsNotAKeystoreFile_notAnOutOfMemoryError() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());
        String config = Files.readString(cli.config());
        Files.writeString(cli.config(), config.replace("dataenc.keystores.b.path=b.p12", "dataenc.keystores.b.path=/dev/zero"));

        // in another JVM: on the old code the keystore read /dev/zero until the heap ran out
        CliFixture.Run status = inAnotherProcess(cli, "status");
        assertEquals(0, status.code(), status.all());
        assertTrue(status.out().contains("b (local): CANNOT BE OPENED: keystore 'b' (type local): keystore file /dev/zero"
                + " is not a regular file (a device or a pipe), not a PKCS#12 file; fix 'path'"), status.out());
        assertEquals("", status.err());
        CliFixture.Run rotate = inAnotherProcess(cli, "keystore rotate-master-key b");
        assertEquals(1, rotate.code(), rotate.all());
        oneLine(rotate);
        assertTrue(rotate.err().contains("keystore file /dev/zero is not a regular file"), rotate.err());
    }

    /**
     * {@code dataenc <command> --config <fixture's file>} in a new JVM (at most 256 MiB of heap) through {@code sh -c},
     * so that {@code command} may end with a redirection ({@code " <..."}); at most 1000 bytes of standard output are
     * kept.
     */
    static CliFixture.Run inAnotherProcess(CliFixture cli, String command) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int redirect = command.indexOf(" <");
        String args = redirect < 0 ? command : command.substring(0, redirect);
        String redirection = redirect < 0 ? "" : command.substring(redirect);
        Process p = new ProcessBuilder("/bin/sh", "-c", "exec \"$0\" -Xmx256m -cp \"$1\" dev.dataenc.cli.DataencCli "
                + args + " --config \"$2\"" + redirection, java, System.getProperty("java.class.path"),
                cli.config().toString()).start();
        byte[] out = p.getInputStream().readNBytes(1000);
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command);
        return new CliFixture.Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), err);
    }
}
