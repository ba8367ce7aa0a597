package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import java.util.stream.Stream;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.console.ConsoleServer;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.console.auth.PasswordHash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The CLI from outside, with broken or hostile input: each refusal is one {@code dataenc: <reason>} line, exit 1,
 * no stack trace, and leaves every file as it was. Real configuration files, real H2, real {@code local} keystores.
 */
class HostileInputTest {

    @TempDir
    Path dir;

    /** Where {@link #endless} keeps a process's output (not in {@link #dir}, whose listing some tests compare). */
    @TempDir
    Path procDir;

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
                List.of("encrypt", "--context", "C.x", "value"), List.of("decrypt", "--context", "C.x", ciphertext),
                List.of("switch", "--cancel"), List.of("retire-cdks"), List.of("retire-cdks", "--dry-run"),
                List.of("remove-wrappings", "b"), List.of("remove-wrappings", "b", "--dry-run"),
                List.of("migrate", "forget", "--table", "customer", "--reason", "mistaken"))) {
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
        for (String command : List.of("encrypt --context C.x", "inspect --no-registry -")) {
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
        CliFixture.Run rotate = cli.dataenc("keystore", "rotate-master-key", "b");
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

    /** {@code dataenc serve} in this JVM with {@code env}; a console that starts is closed at once. Also captures System.err. */
    private static CliFixture.Run serve(CliFixture cli, Map<String, String> env, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == ServeCommand.class) {
                    return (K) new ServeCommand(env::get, Clock.systemUTC(), ConsoleServer::close);
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        List<String> full = new ArrayList<>(List.of("serve", "--config", cli.config().toString()));
        full.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), false, factory,
                    full.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
        // the log lines (slf4j-simple writes to System.err) count as standard error too
        return new CliFixture.Run(code, out.toString(), systemErr.toString(StandardCharsets.UTF_8) + err);
    }

    /** A configuration with a console admin; {@code initialised}: with a registry (rotate-cdk ran). */
    private static CliFixture consoleReady(Path dir, boolean initialised) throws IOException {
        CliFixture cli = new CliFixture(dir);
        if (initialised) {
            assertEquals(0, cli.dataenc("rotate-cdk").code());
        }
        Files.writeString(cli.config(), "dataenc.console.admins.alice.password-hash="
                + PasswordHash.hash("a long enough password".toCharArray()) + "\n", StandardOpenOption.APPEND);
        return cli;
    }

    @Test
    void serve_withATlsKeystoreHoldingNoServerKey_isRefusedBeforeListening() throws Exception {
        CliFixture cli = consoleReady(dir, true); // initialised: so that the old code did start serving
        // like a local keystore's file: a PKCS#12 file the password opens, but with a secret key only
        Path secretOnly = dir.resolve("secret.p12");
        try (OutputStream file = Files.newOutputStream(secretOnly)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setEntry("k", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[32], "AES")),
                    new KeyStore.PasswordProtection("tls-password".toCharArray()));
            ks.store(file, "tls-password".toCharArray());
        }
        CliFixture.Run secretKeysOnly = serve(cli, Map.of("TLS_PW", "tls-password"),
                "--port", "0", "--tls-keystore", secretOnly.toString(), "--tls-password-env", "TLS_PW");
        assertEquals(1, secretKeysOnly.code(), secretKeysOnly.all());
        oneLine(secretKeysOnly);
        assertTrue(secretKeysOnly.err().contains("secret.p12 holds no private key with its certificate"), secretKeysOnly.err());

        Path garbage = Files.write(dir.resolve("tls.p12"), "not a PKCS#12 file".getBytes(StandardCharsets.UTF_8));
        CliFixture.Run notPkcs12 = serve(cli, Map.of("TLS_PW", "whatever"),
                "--port", "0", "--tls-keystore", garbage.toString(), "--tls-password-env", "TLS_PW");
        assertEquals(1, notPkcs12.code(), notPkcs12.all());
        oneLine(notPkcs12);
        assertTrue(notPkcs12.err().contains("tls.p12 cannot be opened with the password in $TLS_PW: it is not a PKCS#12"
                + " file, or the password is wrong"), notPkcs12.err());
    }

    @Test
    void serve_onAPortInUse_isOneLine_withoutJavalinsLogLine() throws IOException {
        CliFixture cli = consoleReady(dir, true);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliFixture.Run r = serve(cli, Map.of(), "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().startsWith("dataenc: cannot serve the console on 127.0.0.1:" + taken.getLocalPort()),
                    r.err());
            oneLine(r);
        }
    }

    private static CliFixture.Run dataencWith(Path config, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--config", config.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full.toArray(String[]::new));
        return new CliFixture.Run(code, out.toString(), err.toString());
    }

    @Test
    void configurationFile_notUtf8_orASymlinkLoop_isOneLineSayingSo_withoutJavaClassNames() throws IOException {
        CliFixture cli = new CliFixture(dir);
        byte[] latin1 = (Files.readString(cli.config()).replace("dataenc.keystore.active=a\n",
                "dataenc.keystore.active=a\n# caf\u00e9\n")).getBytes(StandardCharsets.ISO_8859_1);
        Path notUtf8 = Files.write(dir.resolve("latin1.properties"), latin1);
        Path loop = Files.createSymbolicLink(dir.resolve("loop1.properties"), dir.resolve("loop2.properties"));
        Files.createSymbolicLink(dir.resolve("loop2.properties"), loop);
        List<String> before = listing();

        CliFixture.Run r = dataencWith(notUtf8, "status");
        assertEquals(1, r.code(), r.all());
        oneLine(r);
        assertTrue(r.err().contains(notUtf8 + ": it is not UTF-8 text (line 3). Save it as UTF-8"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());

        CliFixture.Run l = dataencWith(loop, "status");
        assertEquals(1, l.code(), l.all());
        oneLine(l);
        assertTrue(l.err().contains(loop + " is a symbolic link that leads nowhere"), l.err());
        assertEquals(before, listing());
    }

    @Test
    void jdbcUrlWithAPasswordInItsUserPart_isNeverEchoed() throws IOException {
        CliFixture cli = new CliFixture(dir);
        String secret = "S3cret-Registry-Pw";
        Files.writeString(cli.config(), "dataenc.registry.url=jdbc:postgresql://admin:" + secret + "@127.0.0.1:1/x\n"
                + "dataenc.registry.connect-timeout=1s\n", StandardOpenOption.APPEND);

        for (List<String> command : List.of(List.of("status"), List.of("rotate-cdk"))) {
            CliFixture.Run r = cli.dataenc(command.toArray(String[]::new));
            assertEquals(1, r.code(), command + ": " + r.all());
            oneLine(r);
            assertFalse(r.all().contains(secret), command + " echoed the password: " + r.all());
            assertTrue(r.err().contains(":****@127.0.0.1:1/"), command + ": " + r.err());
        }
    }

    @Test
    void registryFileThisUserCannotWrite_isNotMetWithAdviceToDeleteIt() throws Exception {
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());
        Path registry = dir.resolve("registry.mv.db");
        Files.setPosixFilePermissions(registry, PosixFilePermissions.fromString("r--------"));
        boolean immutable = false;
        if (Files.isWritable(registry)) { // root: only an immutable file is not writable
            immutable = new ProcessBuilder("chattr", "+i", registry.toString()).start().waitFor() == 0;
            assumeTrue(immutable && !Files.isWritable(registry), "cannot make a file unwritable for this user");
        }
        try {
            for (String command : List.of("status", "rotate-cdk")) {
                CliFixture.Run r = cli.dataenc(command);
                assertEquals(1, r.code(), command + ": " + r.all());
                oneLine(r);
                assertTrue(r.err().contains("this process cannot read and write it. It was not changed. Run as the user"
                        + " that owns it, or give this user read and write access"), command + ": " + r.err());
                assertFalse(r.err().contains("delete it"), command + ": " + r.err());
            }
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", registry.toString()).start().waitFor();
            }
            Files.setPosixFilePermissions(registry, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void decrypt_blobDamagedAfterItsFirstSegment_doesNotClaimPlaintextWasReleased() throws IOException {
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());
        Path plain = Files.write(dir.resolve("p.bin"), new byte[100_000]); // two 64 KiB segments
        Path blob = dir.resolve("p.enc");
        assertEquals(0, cli.dataenc("encrypt", "--context", "P", "--in", plain.toString(), "--out", blob.toString())
                .code());
        byte[] ct = Files.readAllBytes(blob);
        ct[ct.length - 100] ^= 1; // in segment 1
        Files.write(blob, ct);
        Path out = dir.resolve("p.out");

        CliFixture.Run toFile = cli.dataenc("decrypt", "--context", "P", "--in", blob.toString(), "--out", out.toString());
        assertEquals(1, toFile.code(), toFile.all());
        oneLine(toFile);
        assertTrue(toFile.err().contains("BLOB segment 1 failed authentication"), toFile.err());
        assertTrue(toFile.err().contains("No plaintext was released: the partly written output was deleted, " + out
                + " was not created."), toFile.err());
        assertFalse(toFile.err().contains("verified segments was released"), toFile.err());
        assertFalse(Files.exists(out));

        CliFixture.Run check = cli.dataenc("decrypt", "--context", "P", "--in", blob.toString());
        assertEquals(1, check.code(), check.all());
        oneLine(check);
        assertTrue(check.err().endsWith("No plaintext was released.\n"), check.err());
    }

    /**
     * A usage error as {@code command} reports it: exit 2, one line {@code dataenc: <problem>; see '<command> --help'}
     * naming {@code problem}, nothing on standard output.
     */
    static void usageLine(CliFixture.Run r, String problem, String command) {
        assertEquals(DataencCli.EXIT_USAGE, r.code(), r.all());
        oneLine(r);
        assertTrue(r.err().contains(problem), "names the problem '" + problem + "': " + r.err());
        assertTrue(r.err().endsWith("; see '" + command + " --help'\n"), "says where help is: " + r.err());
        assertEquals("", r.out(), "nothing on standard output");
    }

    /** {@code dataenc <args>} in this JVM, with no {@code --config} added. */
    private static CliFixture.Run bare(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliFixture.Run(code, out.toString(), err.toString());
    }

    @Test
    void usageErrors_areOneDataencLine_namingTheProblemAndWhereHelpIs_exit2_andChangeNothing() throws IOException {
        CliFixture cli = new CliFixture(dir); // no registry yet: a usage error must not create one
        byte[] config = Files.readAllBytes(cli.config());
        List<String> before = listing();
        record Case(List<String> args, String problem, String help) {
        }
        for (Case c : List.of(
                new Case(List.of("status", "--bogus"), "unknown option: '--bogus'", "dataenc status"),
                new Case(List.of("switch"), "missing required parameter: '<keystore>'", "dataenc switch"),
                new Case(List.of("switch", "b", "--bogus"), "unknown option: '--bogus'", "dataenc switch"),
                new Case(List.of("switch", "b", "--cipher-type", "sideways"), "'sideways'", "dataenc switch"),
                new Case(List.of("audit", "--limit", "abc"), "invalid value for option '--limit': 'abc' is not an int",
                        "dataenc audit"),
                new Case(List.of("audit", "--limit", "99999999999"), "'99999999999' is not an int", "dataenc audit"),
                new Case(List.of("policy", "set", "--max-messages", "many"), "'many' is not a long", "dataenc policy"),
                new Case(List.of("status", "extra"), "'extra'", "dataenc status"),
                new Case(List.of("rotate-cdk", "now", "please"), "'now', 'please'", "dataenc rotate-cdk"),
                new Case(List.of("stauts"), "unknown command and arguments: 'stauts'", "dataenc"),
                new Case(List.of("cdk", "list", "--bogus"), "unknown option: '--bogus'", "dataenc cdk list"),
                new Case(List.of("cdk", "list", "--status", "OLD"), "--status 'OLD' is not a CDK status", "dataenc cdk list"),
                new Case(List.of("cdk", "lsit"), "'lsit'", "dataenc cdk"),
                new Case(List.of("keystore", "create"), "missing required parameter: '<name>'", "dataenc keystore create"),
                new Case(List.of("keystore", "create", "a", "b"), "'b'", "dataenc keystore create"),
                new Case(List.of("migrate", "forget"), "missing required option: '--table=<table>'",
                        "dataenc migrate forget"),
                new Case(List.of("migrate", "forget", "--table", "t", "--bogus"), "unknown option: '--bogus'",
                        "dataenc migrate forget"),
                new Case(List.of("migrate", "--table", "t", "--key", "id", "--column", "c", "--batch-size", "x"),
                        "'x' is not an int", "dataenc migrate"),
                new Case(List.of("inspect"), "give exactly one ciphertext", "dataenc inspect"),
                new Case(List.of("encrypt", "value"), "missing required option: '--context=<context>'", "dataenc encrypt"),
                new Case(List.of("decrypt", "--context", "C.x", "a", "b"), "'b'", "dataenc decrypt"),
                new Case(List.of("destroy-cdk", "--bogus"), "unknown option: '--bogus'", "dataenc destroy-cdk"))) {
            CliFixture.Run r = cli.dataenc(c.args().toArray(String[]::new));
            usageLine(r, c.problem(), c.help());
            assertFalse(r.err().contains("Usage:"), c.args() + ": no usage help dumped: " + r.err());
            assertEquals(before, listing(), c.args() + " created or changed a file");
            assertTrue(java.util.Arrays.equals(config, Files.readAllBytes(cli.config())), c.args() + " changed the file");
        }
        // without --config: the top level, a command group, picocli's own help command, options before the command
        usageLine(bare(), "missing required subcommand", "dataenc");
        usageLine(bare("--bogus"), "unknown option: '--bogus'", "dataenc");
        usageLine(bare("stauts"), "unknown command: 'stauts' (did you mean: status?)", "dataenc");
        CliFixture.Run unknown = bare("nosuchcommand");
        usageLine(unknown, "unknown command: 'nosuchcommand'", "dataenc");
        assertFalse(unknown.err().contains("did you mean"), "no far-fetched suggestions: " + unknown.err());
        usageLine(bare("keystore"), "missing required subcommand", "dataenc keystore");
        usageLine(bare("cdk"), "missing subcommand: use 'dataenc cdk list'", "dataenc cdk");
        usageLine(bare("help", "bogus"), "unknown subcommand 'bogus'", "dataenc");
        usageLine(bare("completion", "fish"), "fish", "dataenc completion");
        CliFixture.Run early = bare("--config", cli.config().toString(), "status");
        usageLine(early, "'--config'", "dataenc");
        assertTrue(early.err().contains("options go after the command, e.g. 'dataenc status --config <file>'"),
                early.err());
        assertEquals(before, listing());
    }

    @Test
    void usageErrors_neverEchoAPasswordOrAValue_norControlCharacters_andStayShort() throws IOException {
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());

        // the password typed as an argument, where hash-password reads it from the terminal or standard input
        CliFixture.Run password = bare("console", "hash-password", "Corr3ct-Horse-Battery");
        usageLine(password, "hash-password takes no arguments", "dataenc console hash-password");
        assertFalse(password.err().contains("Corr3ct"), "password echoed: " + password.err());
        // an unquoted value with spaces: its second and third words are unmatched arguments
        CliFixture.Run value = cli.dataenc("encrypt", "--context", "C.x", "my", "Secret-Word", "Other-Word");
        usageLine(value, "encrypt takes one value", "dataenc encrypt");
        assertFalse(value.err().contains("Secret-Word") || value.err().contains("Other-Word"), value.err());
        // an argument with terminal escape sequences and line breaks is shown escaped, on the one line
        CliFixture.Run escapes = cli.dataenc("status", "\u001b]0;pwned\u0007\nsecond line");
        usageLine(escapes, "'\\u001B]0;pwned\\u0007\\nsecond line'", "dataenc status");
        assertTrue(escapes.err().chars().filter(ch -> ch < 0x20).count() == 1, "only the final line break");
        // a huge argument is shortened
        CliFixture.Run huge = cli.dataenc("status", "x".repeat(100_000));
        usageLine(huge, "'xxxx", "dataenc status");
        assertTrue(huge.err().length() < 1000, huge.err().length() + " characters");
    }

    /**
     * {@code dataenc <args> --config <fixture's file>} ({@code console ...}: without {@code --config}) in a new JVM
     * (at most 256 MiB of heap; files it writes limited to 64 MiB by {@code ulimit -f}, so that a command that copies an
     * endless input does not fill the disk) with an endless standard input: {@code /dev/zero} ({@code pattern} null),
     * or {@code head} and then {@code pattern} again and again, written by a thread until the process stops reading.
     * Waits for the process to end; the test's {@code @Timeout} is the guard.
     */
    private CliFixture.Run endless(CliFixture cli, byte[] head, byte[] pattern, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -f 65536; java=\"$0\"; cp=\"$1\"; shift;"
                + " exec \"$java\" -Xmx256m -cp \"$cp\" dev.dataenc.cli.DataencCli \"$@\"", java,
                System.getProperty("java.class.path")));
        command.addAll(List.of(args));
        if (!args[0].equals("console")) { // console hash-password reads no configuration
            command.addAll(List.of("--config", cli.config().toString()));
        }
        Path out = Files.createTempFile(procDir, "out", ".txt");
        Path err = Files.createTempFile(procDir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (pattern == null) {
            pb.redirectInput(new java.io.File("/dev/zero"));
        }
        Process p = pb.start();
        try {
            if (pattern != null) {
                Thread feeder = new Thread(() -> {
                    byte[] chunk = new byte[64 * 1024 - 64 * 1024 % pattern.length];
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = pattern[i % pattern.length];
                    }
                    try (OutputStream stdin = p.getOutputStream()) {
                        stdin.write(head);
                        while (true) {
                            stdin.write(chunk);
                        }
                    } catch (IOException closedByTheCommand) {
                        // it stopped reading: the stream never ended
                    }
                });
                feeder.setDaemon(true);
                feeder.start();
            }
            int code = p.waitFor();
            String stdout = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            return new CliFixture.Run(code, stdout.length() > 2000 ? stdout.substring(0, 2000) : stdout,
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    private CliFixture.Run endless(CliFixture cli, String pattern, String... args) throws Exception {
        return endless(cli, new byte[0], pattern.getBytes(StandardCharsets.UTF_8), args);
    }

    private CliFixture.Run devZero(CliFixture cli, String... args) throws Exception {
        return endless(cli, null, null, args);
    }

    /** An endless input ends the command with one line, exit 1, nothing on standard output, and {@code what} said. */
    private static void stopped(CliFixture.Run r, String what) {
        assertEquals(1, r.code(), r.all());
        oneLine(r);
        assertTrue(r.err().contains(what), "says '" + what + "': " + r.err());
        assertEquals("", r.out(), "nothing on standard output");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard only: the old code never ended
    void inspect_ofAnEndlessStandardInput_readsABoundedAmount_andEndsWithOneLine() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")) && Files.isExecutable(Path.of("/bin/sh")), "needs /dev/zero, sh");
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());
        Path plain = Files.write(dir.resolve("p.bin"), new byte[100_000]);
        Path blob = dir.resolve("p.enc");
        assertEquals(0, cli.dataenc("encrypt", "--context", "P", "--in", plain.toString(), "--out", blob.toString())
                .code());
        byte[] blobHeader = Arrays.copyOf(Files.readAllBytes(blob), 62);
        String text = cli.dataenc("encrypt", "--context", "C.x", "value").out().strip();
        byte[] propertyHeader = Arrays.copyOf(CiphertextInput.binaryOf(text), 47);
        String cdk = cli.cdks().get(0).id().toString();

        stopped(devZero(cli, "inspect", "--no-registry", "-"), "not a dataenc ciphertext: first byte is 0x00");
        stopped(endless(cli, "y\n", "inspect", "--no-registry", "-"), "not a dataenc ciphertext");
        stopped(endless(cli, propertyHeader, new byte[1], "inspect", "--no-registry", "-"), "is longer than 50331695 bytes");
        stopped(endless(cli, "dataenc:v1:".getBytes(StandardCharsets.US_ASCII), "A".getBytes(StandardCharsets.US_ASCII),
                "inspect", "--no-registry", "-"), "is longer than 67108938 bytes");
        stopped(devZero(cli, "inspect", "--no-registry", "--file", "/dev/stdin"), "first byte is 0x00");
        // a BLOB: its header is described; the rest of an endless stream is not read
        for (String[] args : List.of(new String[] {"inspect", "--no-registry", "-"},
                new String[] {"inspect", "--file", "/dev/stdin", "--json"})) {
            CliFixture.Run r = endless(cli, blobHeader, new byte[1], args);
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains(cdk), r.out());
            assertTrue(r.out().contains(args.length == 3 ? "length:           unknown" : "\"ciphertextBytes\" : -1"),
                    r.out());
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard only: the old code ran out of memory or never ended
    void encryptDecryptAndHashPassword_ofAnEndlessInput_readABoundedAmount_andEndWithOneLine() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")) && Files.isExecutable(Path.of("/bin/sh")), "needs /dev/zero, sh");
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code());
        String usageBefore = cli.dataenc("cdk", "list").out();
        String auditBefore = cli.dataenc("audit", "--limit", "1000").out();

        String valueLimit = "more than 50331648 bytes (48 MiB)"; // the largest property value
        stopped(devZero(cli, "encrypt", "--context", "C.x"), valueLimit);
        stopped(endless(cli, "y\n", "encrypt", "--context", "C.x", "-"), valueLimit);
        String textLimit = "more than 67108938 bytes"; // the text form of the largest property value
        stopped(devZero(cli, "decrypt", "--context", "C.x", "-"), textLimit);
        stopped(endless(cli, "y\n", "decrypt", "--context", "C.x"), textLimit);
        stopped(devZero(cli, "console", "hash-password"), "longer than 1024 characters");
        // a device or a pipe as --in: a file is needed (a stream may never end)
        List<String> before = listing();
        String out = dir.resolve("z.enc").toString();
        for (String[] args : List.of(new String[] {"encrypt", "--context", "P", "--in", "/dev/zero", "--out", out},
                new String[] {"decrypt", "--context", "P", "--in", "/dev/zero"},
                new String[] {"decrypt", "--context", "P", "--in", "/dev/stdin", "--out", out})) {
            stopped(devZero(cli, args), "is not a regular file (a device or a pipe)");
            assertEquals(before, listing(), args[0] + " left a file");
        }
        assertEquals(usageBefore, cli.dataenc("cdk", "list").out(), "nothing encrypted");
        assertEquals(auditBefore, cli.dataenc("audit", "--limit", "1000").out(), "nothing decrypted");
    }

    @Test
    void configurationFile_largerThanAnyConfiguration_isRefusedWithOneLine_notAnOutOfMemoryError() throws Exception {
        CliFixture cli = new CliFixture(dir);
        // a file of 300 MiB, say a backup given by mistake (sparse: nothing is written after the configuration)
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(cli.config().toFile(), "rw")) {
            file.setLength(300L << 20);
        }

        CliFixture.Run r = inAnotherProcess(cli, "status"); // 256 MiB of heap

        assertEquals(1, r.code(), r.all());
        oneLine(r);
        assertTrue(r.err().contains(cli.config() + ": it is 314572800 bytes, more than any configuration file (at most"
                + " 1 MiB)"), r.err());
    }

    @Test
    void demo_withANegativeBlobSize_isAUsageError_beforeAnythingIsWritten() {
        Path work = dir.resolve("work");

        CliFixture.Run negative = bare("demo", "--work-dir", work.toString(), "--blob-mib", "-1");

        usageLine(negative, "--blob-mib must be from 0 to 1024, was -1", "dataenc demo");
        assertFalse(Files.exists(work), "nothing written");
        // and a size that would fill the disk (2^31 - 1 MiB) is refused the same way
        usageLine(bare("demo", "--work-dir", work.toString(), "--blob-mib", "2147483647"),
                "--blob-mib must be from 0 to 1024, was 2147483647", "dataenc demo");
        assertFalse(Files.exists(work), "nothing written");
    }

    @Test
    void demo_inADirectoryHoldingAnotherConfigurationAndRegistry_deletesNothing() throws IOException {
        CliFixture cli = new CliFixture(dir);
        assertEquals(0, cli.dataenc("rotate-cdk").code()); // a real registry (the CDKs of real data) beside it
        byte[] config = Files.readAllBytes(cli.config());
        byte[] registry = Files.readAllBytes(dir.resolve("registry.mv.db"));
        List<String> before = listing();

        CliFixture.Run r = bare("demo", "--work-dir", dir.toString(), "--blob-mib", "0");

        assertEquals(1, r.code(), r.all());
        oneLine(r);
        assertTrue(r.err().contains("--work-dir " + dir + " holds dataenc.properties, registry.mv.db, which 'dataenc demo'"
                + " did not write; the demo deletes and rewrites its files, so it refuses"), r.err());
        assertEquals(before, listing());
        assertTrue(Arrays.equals(config, Files.readAllBytes(cli.config())), "configuration unchanged");
        assertTrue(Arrays.equals(registry, Files.readAllBytes(dir.resolve("registry.mv.db"))), "registry unchanged");
        // its own work directory it still starts afresh
        Path work = dir.resolve("work");
        assertEquals(0, bare("demo", "--work-dir", work.toString(), "--blob-mib", "0").code());
        CliFixture.Run again = bare("demo", "--work-dir", work.toString(), "--blob-mib", "0");
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("(started fresh)"), again.out());
    }

    @Test
    void switch_whoseConfigurationFileIsPutBackMeanwhile_endsWithTheFileNamingTheRegistrysKeystore() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        byte[] before = Files.readAllBytes(cli.config()); // names 'a'
        DataEncConfig cfg = ConfigLoader.load(cli.config());
        // another process's switch, refused while this one runs, puts back the file it read before this one wrote it
        SwitchProgress racer = new SwitchProgress() {
            @Override
            public void rewrapFinished() {
                try {
                    Files.write(cli.config(), before);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        SwitchAction.Result result;
        try (ControlPlane plane = ControlPlane.open(cfg, ControlPlane.Options.admin("test").withProgress(racer))) {
            result = SwitchAction.run(plane, cli.config(), cfg, "b", Optional.empty());
            assertTrue(SwitchAction.outcomeLines(plane, result, cli.config(), "b").stream()
                    .anyMatch(l -> l.contains("now names 'b'")));
        }

        assertEquals("b", ConfigLoader.load(cli.config()).activeKeystore(), "the file agrees with the registry");
        CliFixture.Run status = cli.dataenc("status");
        assertTrue(status.out().contains("active keystore:  b\n"), status.out());
    }
}
