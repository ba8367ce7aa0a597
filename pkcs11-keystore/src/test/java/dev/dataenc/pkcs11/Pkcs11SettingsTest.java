package dev.dataenc.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.KeystoreSettings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Parsing {@code pkcs11} settings: no token needed. */
class Pkcs11SettingsTest {

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("library", "/usr/lib/softhsm/libsofthsm2.so");
        m.put("token-label", "hsm-a");
        m.put("key-label", "dataenc-master");
        return m;
    }

    private static Pkcs11Settings parse(Map<String, String> m) {
        return Pkcs11Settings.parse(KeystoreSettings.of("hsm", "pkcs11", m));
    }

    @Test
    void defaults_pinFromDefaultVariable_noFormerKeys() {
        Pkcs11Settings s = parse(base());
        assertEquals(new SlotSelection(SlotSelection.Kind.TOKEN_LABEL, "hsm-a"), s.slot());
        assertEquals(Pkcs11Settings.DEFAULT_PIN_ENV, s.pinEnv());
        assertEquals(List.of(), s.formerKeyLabels());
    }

    @Test
    void noTokenSelection_orTwo_isRefused() {
        Map<String, String> none = base();
        none.remove("token-label");
        assertRefused(none, "set exactly one of 'slot', 'slot-index' or 'token-label'");
        Map<String, String> two = base();
        two.put("slot", "3");
        assertRefused(two, "(found 2)");
    }

    @Test
    void pinEnvHoldingSomethingOtherThanAName_isRefused() {
        Map<String, String> m = base();
        m.put("pin-env", "1234 5678");
        assertRefused(m, "must be the NAME of an environment variable");
    }

    @Test
    void slotNotANumber_isRefused() {
        Map<String, String> m = base();
        m.remove("token-label");
        m.put("slot", "first");
        assertRefused(m, "setting 'slot' must be a whole number");
    }

    @Test
    void missingLibraryOrKeyLabel_isRefused() {
        Map<String, String> m = base();
        m.remove("library");
        assertRefused(m, "missing required setting 'library'");
        Map<String, String> k = base();
        k.remove("key-label");
        assertRefused(k, "missing required setting 'key-label'");
    }

    @Test
    void providerDeclaresEverySetting_andNoPin() {
        var names = Keystores.provider("pkcs11").settingNames();
        assertTrue(names.containsAll(List.of("library", "slot", "slot-index", "token-label", "key-label", "pin-env",
                "former-key-labels")), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.equals("pin")), "the PIN is never a setting: " + names);
    }

    private static void assertRefused(Map<String, String> m, String expected) {
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> parse(m));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
