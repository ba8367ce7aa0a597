package dev.dataenc.it.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cli.DataencCli;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.pkcs11.testing.SoftHsm;
import dev.dataenc.pkcs11.testing.TokenAdmin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local} → {@code pkcs11} → {@code local} through the control plane, the pkcs11 master key on a SoftHSM2
 * token, generated there by {@code dataenc keystore create}. After each switch every CDK has a wrapping by the
 * target, and the data encrypted before (and between) the switches decrypts with only the target configured.
 */
class LocalPkcs11LocalSwitchTest {

    @TempDir
    Path dir;

    /** The registry the CLI's configuration file names (H2 beside the file), used by every control plane here. */
    private RegistrySettings registry;

    @Test
    void switchLocalToPkcs11AndBack_everyValueDecryptsWithEachKeystoreAlone() throws Exception {
        SoftHsm hsm = SoftHsm.get();
        String label = "it-switch-" + UUID.randomUUID().toString().substring(0, 8);
        KeystoreSettings local = KeystoreSettings.of("local", "local", Map.of("path", dir.resolve("local.p12").toString(),
                "password", "it-password-local", "master-key", "mk-local"));
        Keystores.createMasterKey(local);
        KeystoreSettings pkcs11 = hsm.settings("hsm", SoftHsm.MAIN, label, Map.of());

        // dataenc keystore create hsm: the key is generated on the token, never extractable
        Path file = propertiesFile(local, pkcs11);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "keystore", "create", "hsm",
                "--config", file.toString());
        assertEquals(0, code, out + "" + err);
        registry = ConfigLoader.load(file).registry();
        assertTrue(out.toString().contains("created master key '" + label + "/"), out.toString());
        TokenAdmin admin = new TokenAdmin(hsm.library(), hsm.slot(SoftHsm.MAIN));
        assertTrue(admin.attribute(label, TokenAdmin.CKA_SENSITIVE));
        assertFalse(admin.attribute(label, TokenAdmin.CKA_EXTRACTABLE));

        Map<String, String> values = new LinkedHashMap<>();
        try (ControlPlane plane = open(config("local", local, pkcs11))) {
            values.putAll(encrypt(plane, 30, "before"));
            plane.rotateCdk("test rotation");
            values.putAll(encrypt(plane, 30, "rotated"));

            SwitchOutcome outcome = plane.switchKeystore("hsm");

            assertEquals(SwitchOutcome.How.COMPLETED, outcome.how());
            assertEquals(2, outcome.rewrapped());
            assertEquals(CipherType.KEYSTORE, plane.jobs().state().orElseThrow().cipherType());
            for (Cdk cdk : plane.registry().list()) {
                Wrapping w = cdk.wrappingBy("hsm").orElseThrow(() -> new AssertionError("no hsm wrapping: " + cdk.id()));
                assertTrue(w.masterKeyId().startsWith(label + "/"), w.toString());
            }
            values.putAll(encrypt(plane, 10, "after-first-switch"));
        }

        try (ControlPlane plane = open(config("hsm", pkcs11))) {
            assertDecrypts(plane, values);
            values.putAll(encrypt(plane, 10, "pkcs11-only"));
            assertTrue(plane.verify().ok(), String.join("\n", plane.verify().lines()));
        }

        try (ControlPlane plane = open(config("hsm", local, pkcs11))) {
            SwitchOutcome back = plane.switchKeystore("local");
            assertEquals(SwitchOutcome.How.COMPLETED, back.how());
            assertEquals(CipherType.PLATFORM, plane.jobs().state().orElseThrow().cipherType());
            for (Cdk cdk : plane.registry().list()) {
                assertTrue(cdk.wrappingBy("local").isPresent(), "no local wrapping: " + cdk.id());
            }
        }

        try (ControlPlane plane = open(config("local", local))) {
            assertDecrypts(plane, values);
            assertEquals(70 + 10, values.size());
            assertTrue(plane.verify().ok(), String.join("\n", plane.verify().lines()));
        }
    }

    private Path propertiesFile(KeystoreSettings... keystores) throws Exception {
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=local\n");
        for (KeystoreSettings k : keystores) {
            String p = "dataenc.keystores." + k.name() + ".";
            sb.append(p).append("type=").append(k.type()).append('\n');
            k.values().forEach((key, v) -> sb.append(p).append(key).append('=').append(v).append('\n'));
        }
        return Files.writeString(dir.resolve("dataenc.properties"), sb.toString(), StandardCharsets.UTF_8);
    }

    private DataEncConfig config(String active, KeystoreSettings... keystores) {
        Map<String, KeystoreSettings> map = new LinkedHashMap<>();
        for (KeystoreSettings k : keystores) {
            map.put(k.name(), k);
        }
        return new DataEncConfig(null, CipherType.ofKeystoreType(map.get(active).type()), active, map,
                registry, CacheLimits.defaults(),
                RotationPolicy.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private static ControlPlane open(DataEncConfig config) {
        return ControlPlane.open(config, new ControlPlane.Options("it", CrashPoint.NONE, SwitchProgress.NONE,
                Duration.ofSeconds(60), true));
    }

    private static Map<String, String> encrypt(ControlPlane plane, int count, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String plain = prefix + " " + i;
            values.put(plane.propertyCipher().encryptString(plain, "Customer.email"), plain);
        }
        return values;
    }

    private static void assertDecrypts(ControlPlane plane, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            assertEquals(e.getValue(), plane.propertyCipher().decryptString(e.getKey(), "Customer.email"));
        }
    }
}
