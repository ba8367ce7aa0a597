package dev.dataenc.cli;

import dev.dataenc.testing.KeystoreFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.registry.RegistryDatabase;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataenc audit}: escaped output and {@code --verify} on a real H2 registry with real local keystores. */
class AuditCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run dataenc(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full);
        return new Run(code, out.toString(), err.toString());
    }

    private Path config() throws IOException {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, "dataenc.cipher-type=platform\ndataenc.keystore.active=a\n"
                + "dataenc.keystores.a.type=local\ndataenc.keystores.a.path=a.p12\ndataenc.keystores.a.master-key=mk-a\n"
                + "dataenc.keystores.a.password=audit-command-test\n", StandardCharsets.UTF_8);
        return KeystoreFiles.provideAll(file);
    }

    private void sql(String statement) {
        try (RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(dir), null, null)) {
            db.write("test", c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate(statement);
                }
            });
        }
    }

    @Test
    void verify_intactTrail_exitsZero_thenEditedRow_exitsOneNamingIt() throws IOException {
        Path config = config();
        assertEquals(0, dataenc(config, "rotate-cdk", "--reason", "first").code());
        assertEquals(0, dataenc(config, "rotate-cdk", "--reason", "second").code());

        Run intact = dataenc(config, "audit", "--verify");
        assertEquals(0, intact.code(), intact.err());
        assertTrue(intact.out().startsWith("audit trail intact: "), intact.out());

        sql("UPDATE dataenc_audit SET actor = 'somebody else' WHERE seq = (SELECT MIN(seq) FROM dataenc_audit)");
        Run broken = dataenc(config, "audit", "--verify");

        assertEquals(DataencCli.EXIT_FAILURE, broken.code());
        assertTrue(broken.err().startsWith("dataenc: audit trail broken at seq 1: it was changed after it was written"),
                broken.err());
    }

    @Test
    void audit_entryWithControlCharacters_isPrintedEscaped() throws IOException {
        Path config = config();
        assertEquals(0, dataenc(config, "rotate-cdk", "--reason", "routine\n2099-01-01T00:00:00Z  CDK_DESTROYED  admin"
                + "\u001b[2K").code());

        Run r = dataenc(config, "audit");

        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("\u001b"), r.out());
        assertTrue(r.out().contains("routine\\n2099-01-01T00:00:00Z  CDK_DESTROYED  admin\\u001B[2K"), r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.startsWith("2099")), r.out());
    }
}
