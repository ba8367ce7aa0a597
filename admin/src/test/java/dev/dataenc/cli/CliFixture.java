package dev.dataenc.cli;

import dev.dataenc.testing.KeystoreFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import picocli.CommandLine;

/**
 * The CLI on a real configuration file in a temporary directory: an H2 file registry beside it and
 * {@code local} keystores {@code a} and {@code b} (PKCS#12 files created on first use).
 */
public final class CliFixture {

    public static final String PASSWORD = "cli-test-password";

    /** One CLI run: exit code, standard output and standard error. */
    public record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final Path dir;
    private final Path config;
    private CdkReferenceEvidence evidence;

    CliFixture(Path dir) throws IOException {
        this.dir = dir;
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=a\n");
        for (String ks : new String[] {"a", "b"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(ks).append(".p12\n")
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=").append(PASSWORD).append('\n');
        }
        this.config = dir.resolve("dataenc.properties");
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(config);
    }

    Path dir() {
        return dir;
    }

    Path config() {
        return config;
    }

    /** {@code retire-cdks} gets this evidence from now on (instead of the migrations' scans). */
    void retireWith(CdkReferenceEvidence e) {
        this.evidence = e;
    }

    /** Runs {@code dataenc <args> --config <file>}. */
    Run dataenc(String... args) {
        return dataencWithStdin(null, args);
    }

    /** As {@link #dataenc}, with {@code stdin} on standard input (null: leave it alone). */
    Run dataencWithStdin(String stdin, String... args) {
        return dataencWithStdinBytes(stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    /** As {@link #dataenc}, with these bytes on standard input (null: leave it alone). */
    Run dataencWithStdinBytes(byte[] stdin, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        if (!args[0].equals("completion")) {
            full.add("--config");
            full.add(config.toString());
        }
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RetireCdksCommand.class && evidence != null) {
                    Function<ControlPlane, CdkReferenceEvidence> fixed = plane -> evidence;
                    return (K) new RetireCdksCommand(fixed);
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream savedIn = System.in;
        if (stdin != null) {
            System.setIn(new ByteArrayInputStream(stdin));
        }
        try {
            int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), false, factory,
                    full.toArray(String[]::new));
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(savedIn);
        }
    }

    /** Two CDKs under keystore a: one ACTIVE, one DECRYPT_ONLY (rotated twice by the CLI). */
    CliFixture withTwoCdks() {
        assertEquals(0, dataenc("rotate-cdk").code());
        assertEquals(0, dataenc("rotate-cdk", "--reason", "test").code());
        return this;
    }

    /** The control plane as an admin tool opens it (changes nothing on open). */
    ControlPlane plane() {
        return ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("test"));
    }

    List<Cdk> cdks() {
        try (ControlPlane plane = plane()) {
            return plane.registry().list();
        }
    }

    Cdk withStatus(CdkStatus status) {
        return cdks().stream().filter(c -> c.status() == status).findFirst().orElseThrow();
    }
}
