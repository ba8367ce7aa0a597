package dev.dataenc.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.pkcs11.testing.SoftHsm;
import dev.dataenc.pkcs11.testing.TokenAdmin;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * {@code dataenc keystore create} for a pkcs11 keystore ({@link Keystores#createMasterKey}, found by ServiceLoader,
 * PIN from the process environment): the key is generated on the token as a sensitive, non-extractable AES-256
 * token object, and creation refuses a label that exists.
 */
class Pkcs11KeyCreationTest {

    @Test
    void create_generatesSensitiveNonExtractableTokenKey_thatTheKeystoreUses() {
        SoftHsm hsm = SoftHsm.get();
        String label = "created-" + UUID.randomUUID().toString().substring(0, 8);
        KeystoreSettings s = hsm.settings("created", SoftHsm.MAIN, label, Map.of());

        MasterKeyDescription created = Keystores.createMasterKey(s);

        assertEquals(MasterKeyState.ENABLED, created.state());
        assertTrue(created.masterKeyId().matches(label + "/[0-9a-f]{16}"), created.masterKeyId());
        TokenAdmin admin = new TokenAdmin(hsm.library(), hsm.slot(SoftHsm.MAIN));
        assertTrue(admin.attribute(label, TokenAdmin.CKA_TOKEN), "a persistent token object");
        assertTrue(admin.attribute(label, TokenAdmin.CKA_SENSITIVE), "sensitive");
        assertFalse(admin.attribute(label, TokenAdmin.CKA_EXTRACTABLE), "non-extractable");

        try (Keystore ks = Keystores.create(s)) {
            assertEquals(created.masterKeyId(), ks.describe().masterKeyId());
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id); DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
    }

    @Test
    void create_whenTheLabelExists_isRefusedAndTheKeyIsUnchanged() throws Exception {
        SoftHsm hsm = SoftHsm.get();
        String label = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        KeystoreSettings s = hsm.settings("twice", SoftHsm.MAIN, label, Map.of());
        MasterKeyDescription first = Keystores.createMasterKey(s);

        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> Keystores.createMasterKey(s));

        assertTrue(e.getMessage().contains("already has an object labelled '" + label + "'; nothing was created"),
                e.getMessage());
        try (Pkcs11Keystore ks = Pkcs11Keystore.open(s)) {
            assertEquals(first.masterKeyId(), ks.describe().masterKeyId(), "the first key is still the one under the label");
        }
    }
}
