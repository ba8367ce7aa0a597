package dev.dataenc.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.pkcs11.testing.SoftHsm;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * A key change on the token: a new key under a new label becomes {@code key-label}, the old one is listed in
 * {@code former-key-labels}; old wrappings still unwrap, new ones use the new key. Without the listing the old
 * wrappings are not this keystore's.
 */
class Pkcs11FormerKeyTest {

    @Test
    void newKeyLabel_withFormerListed_unwrapsOldWrapsNew_withoutItRefuses() {
        SoftHsm hsm = SoftHsm.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String oldLabel = "old-" + suffix;
        String newLabel = "new-" + suffix;
        KeystoreSettings before = hsm.settings("hsm", SoftHsm.MAIN, oldLabel, Map.of());
        KeystoreSettings after = hsm.settings("hsm", SoftHsm.MAIN, newLabel, Map.of("former-key-labels", " " + oldLabel + " ,"));
        KeystoreSettings afterWithout = hsm.settings("hsm", SoftHsm.MAIN, newLabel, Map.of());
        Pkcs11Keystore.createMasterKey(before, System::getenv);
        Pkcs11Keystore.createMasterKey(after, System::getenv);

        CdkId id = CdkId.random();
        try (Pkcs11Keystore old = Pkcs11Keystore.open(before, System::getenv);
             GeneratedDataKey g = old.generateDataKey(id);
             Pkcs11Keystore current = Pkcs11Keystore.open(after, System::getenv);
             Pkcs11Keystore without = Pkcs11Keystore.open(afterWithout, System::getenv)) {
            Wrapping oldWrapping = g.wrapping();
            assertTrue(current.canUnwrap(oldWrapping));
            try (DataKey back = current.unwrap(id, oldWrapping)) {
                assertTrue(back.sameKeyAs(g.key()));
                Wrapping rewrapped = current.wrap(back);
                assertTrue(rewrapped.masterKeyId().startsWith(newLabel + "/"), rewrapped.toString());
                assertFalse(old.canUnwrap(rewrapped), "the old key's keystore cannot unwrap the new key's wrapping");
            }
            assertFalse(without.canUnwrap(oldWrapping));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> without.unwrap(id, oldWrapping));
            assertTrue(e.getMessage().contains("former-key-labels"), e.getMessage());
        }
    }

    @Test
    void formerKeyLabels_listingTheCurrentKey_isAConfigurationError() {
        SoftHsm hsm = SoftHsm.get();
        KeystoreSettings s = hsm.settings("hsm", SoftHsm.MAIN, "k1", Map.of("former-key-labels", "k0,k1"));
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> Pkcs11Settings.parse(s));
        assertTrue(e.getMessage().contains("lists the current 'key-label' k1"), e.getMessage());
    }
}
