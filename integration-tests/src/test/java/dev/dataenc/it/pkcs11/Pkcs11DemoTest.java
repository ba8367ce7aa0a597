package dev.dataenc.it.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cli.DataencCli;
import dev.dataenc.pkcs11.testing.SoftHsm;
import dev.dataenc.pkcs11.testing.TokenAdmin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataenc demo --pkcs11-library}: keystore-b is a pkcs11 keystore on a SoftHSM2 token, the user PIN from
 * {@code DATAENC_PKCS11_PIN} (set by surefire to the test tokens' PIN). The demo creates the missing key on the token
 * as {@code dataenc keystore create} does (and uses it when run again), switches local → pkcs11 and decrypts
 * everything with keystore-b alone.
 */
class Pkcs11DemoTest {

    @TempDir
    Path dir;

    @Test
    void demoWithPkcs11Token_createsTheKeyOnce_switchesLocalToPkcs11_andDecryptsWithTheTokenAlone() throws Exception {
        SoftHsm hsm = SoftHsm.get();
        String label = "it-demo-" + UUID.randomUUID().toString().substring(0, 8);
        TokenAdmin admin = new TokenAdmin(hsm.library(), hsm.slot(SoftHsm.MAIN));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo",
                "--work-dir", dir.toString(), "--blob-mib", "1", "--pkcs11-library", hsm.library().toString(),
                "--pkcs11-token-label", SoftHsm.MAIN, "--pkcs11-key-label", label);

        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("keystore-b is a pkcs11 keystore: key '" + label + "' on token '" + SoftHsm.MAIN + "'"),
                text);
        assertTrue(text.contains("the token has no key labelled '" + label + "'; the demo creates it there"), text);
        assertTrue(text.contains("$ dataenc keystore create keystore-b"), text);
        assertTrue(text.contains("created master key '" + label + "/"), text);
        assertTrue(admin.attribute(label, TokenAdmin.CKA_SENSITIVE), "the key is on the token, sensitive");
        assertFalse(admin.attribute(label, TokenAdmin.CKA_EXTRACTABLE), "the key is on the token, not extractable");
        assertTrue(text.contains("master key '" + label + "/"), text);
        assertTrue(text.contains("(pkcs11 on token '" + SoftHsm.MAIN + "')"), "step 1 says where keystore-b is: " + text);
        assertTrue(text.contains("$ dataenc switch keystore-b --cipher-type keystore"), text);
        assertTrue(text.contains("switch 'keystore-a' -> 'keystore-b': COMPLETED"), text);
        assertTrue(text.contains("CDKs re-wrapped: 2 by this run"), text);
        assertTrue(text.contains("now says dataenc.keystore.active=keystore-b"), text);
        assertTrue(text.contains("decrypted all 4 values: identical to the originals"), text);
        assertTrue(text.contains("BLOB decrypted: SHA-256 matches the original"), text);
        assertTrue(text.contains("nothing changed: active keystore 'keystore-b'"), text);
        assertTrue(text.contains("demo finished"), text);
        String config = Files.readString(dir.resolve("dataenc.properties"));
        assertTrue(config.contains("dataenc.keystores.keystore-b.type=pkcs11"), config);
        assertTrue(config.contains("dataenc.keystores.keystore-b.pin-env=DATAENC_PKCS11_PIN"), config);
        assertTrue(config.contains("dataenc.cipher-type=keystore"), config);
        assertFalse(config.contains(System.getenv("DATAENC_PKCS11_PIN")), "the PIN is not written into the configuration");

        // run again: the key exists on the token now, so the demo uses it instead of creating another
        StringWriter again = new StringWriter();
        int codeAgain = DataencCli.run(new PrintWriter(again, true), new PrintWriter(err, true), "demo",
                "--work-dir", dir.toString(), "--blob-mib", "1", "--pkcs11-library", hsm.library().toString(),
                "--pkcs11-slot", String.valueOf(hsm.slot(SoftHsm.MAIN)), "--pkcs11-key-label", label);
        assertEquals(0, codeAgain, again + "" + err);
        assertTrue(again.toString().contains("the token has a key labelled '" + label + "' (" + label + "/"), again.toString());
        assertFalse(again.toString().contains("$ dataenc keystore create keystore-b"), again.toString());
        assertTrue(again.toString().contains("switch 'keystore-a' -> 'keystore-b': COMPLETED"), again.toString());
        assertTrue(again.toString().contains("demo finished"), again.toString());
    }

    @Test
    void pkcs11AndKmsAtOnce_isBadUsage_andTouchesNothing() throws Exception {
        Path workDir = dir.resolve("work");
        StringWriter err = new StringWriter();

        int code = DataencCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "demo",
                "--work-dir", workDir.toString(), "--kms-endpoint", "http://127.0.0.1:1", "--kms-key-id", "alias/x",
                "--pkcs11-library", "/usr/lib/softhsm/libsofthsm2.so", "--pkcs11-slot", "0", "--pkcs11-key-label", "k");

        assertEquals(DataencCli.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("give only one of --kms-endpoint, --pkcs11-library and --azure-vault-url"
                + " (got --kms-endpoint and --pkcs11-library)"), err.toString());
        assertFalse(Files.exists(workDir), "a usage error creates no work directory");
    }

    @Test
    void pkcs11WithTokenLabelAndSlot_isBadUsage() {
        StringWriter err = new StringWriter();

        int code = DataencCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "demo",
                "--work-dir", dir.toString(), "--pkcs11-library", "/usr/lib/softhsm/libsofthsm2.so",
                "--pkcs11-token-label", "t", "--pkcs11-slot", "0", "--pkcs11-key-label", "k");

        assertEquals(DataencCli.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("exactly one of --pkcs11-token-label <label> and --pkcs11-slot <id>"),
                err.toString());
    }
}
