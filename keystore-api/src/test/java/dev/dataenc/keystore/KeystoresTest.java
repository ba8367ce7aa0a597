package dev.dataenc.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.UnknownKeystoreTypeException;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KeystoresTest {

    @Test
    void unknownType_failsListingRegisteredTypes() {
        UnknownKeystoreTypeException e = assertThrows(UnknownKeystoreTypeException.class,
                () -> Keystores.create(KeystoreSettings.of("x", "no-such-type", Map.of())));
        assertTrue(e.getMessage().contains("no-such-type"), e.getMessage());
        assertTrue(e.getMessage().contains("fake"), e.getMessage());
        assertTrue(e.registeredTypes().contains("fake"));
    }

    @Test
    void knownType_createsKeystoreWithItsName() {
        try (Keystore ks = Keystores.create(KeystoreSettings.of("mine", "fake", Map.of()))) {
            assertEquals("mine", ks.name());
            assertEquals("fake", ks.type());
        }
    }

    @Test
    void missingRequiredSetting_namesKeystoreAndKey() {
        KeystoreSettings s = KeystoreSettings.of("mine", "fake", Map.of("other", "1"));
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> s.require("path"));
        assertTrue(e.getMessage().contains("'mine'") && e.getMessage().contains("'path'"), e.getMessage());
    }

    @Test
    void badIntegerSetting_namesRange() {
        KeystoreSettings s = KeystoreSettings.of("mine", "fake", Map.of("n", "abc"));
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> s.getInt("n", 1, 1, 9));
        assertTrue(e.getMessage().contains("from 1 to 9"), e.getMessage());
        assertEquals(5, KeystoreSettings.of("m", "fake", Map.of("n", "5")).getInt("n", 1, 1, 9));
    }

    @Test
    void toString_masksSecretSettings() {
        KeystoreSettings s = KeystoreSettings.of("mine", "fake", Map.of("password", "hunter2", "path", "/x"));
        assertFalse(s.toString().contains("hunter2"), s.toString());
        assertTrue(s.toString().contains("/x"));
    }
}
