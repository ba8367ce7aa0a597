package dev.dataenc.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Loading, self-test and error mapping of the {@code custom} keystore. */
class CustomCipherKeystoreTest {

    private static final String KEY_HEX = "0123456789abcdef".repeat(4);

    private static KeystoreSettings settings(String className) {
        Map<String, String> m = new HashMap<>();
        if (className != null) {
            m.put("class", className);
        }
        m.put("secret-key-hex", KEY_HEX);
        return KeystoreSettings.of("site", "custom", m);
    }

    private static KeystoreConfigurationException refused(String className) {
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class,
                () -> new CustomCipherKeystoreProvider().create(settings(className)));
        assertFalse(e.getMessage().contains(KEY_HEX), e.getMessage());
        return e;
    }

    @Test
    void exampleCipher_wrapsAndUnwraps() {
        try (Keystore ks = new CustomCipherKeystoreProvider().create(settings(ExampleAesGcmCipher.class.getName()))) {
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id); DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
                assertEquals("example-key", g.wrapping().masterKeyId());
            }
            assertTrue(ks.toString().contains(ExampleAesGcmCipher.class.getName()));
            assertFalse(ks.toString().contains(KEY_HEX));
        }
    }

    @Test
    void unauthenticatedCipher_isRefusedBySelfTest() {
        KeystoreConfigurationException e = refused(UnauthenticatedCtrCipher.class.getName());
        assertTrue(e.getMessage().contains("is not authenticated"), e.getMessage());
        assertTrue(e.getMessage().contains("dataenc requires authenticated encryption"), e.getMessage());
        assertTrue(e.getMessage().contains(UnauthenticatedCtrCipher.class.getName()), e.getMessage());
    }

    @Test
    void aadIgnoringCipher_isRefusedBySelfTest() {
        KeystoreConfigurationException e = refused(AadIgnoringCipher.class.getName());
        assertTrue(e.getMessage().contains("ignores the associated data"), e.getMessage());
    }

    @Test
    void plaintextPlusHash_isRefusedAsNotEncrypting() {
        KeystoreConfigurationException e = refused(PlaintextPlusHashCipher.class.getName());
        assertTrue(e.getMessage().contains("contains the plaintext key"), e.getMessage());
    }

    @Test
    void fixedIvCipher_isRefusedAsDeterministic() {
        KeystoreConfigurationException e = refused(FixedIvCipher.class.getName());
        assertTrue(e.getMessage().contains("deterministic") && e.getMessage().contains("random IV"), e.getMessage());
    }

    @Test
    void cipherAcceptingTruncation_isRefused() {
        KeystoreConfigurationException e = refused(TagTruncationAcceptingCipher.class.getName());
        assertTrue(e.getMessage().contains("accepts a truncated ciphertext"), e.getMessage());
    }

    @Test
    void cipherAcceptingExtension_isRefused() {
        KeystoreConfigurationException e = refused(TrailingBytesIgnoringCipher.class.getName());
        assertTrue(e.getMessage().contains("accepts an extended ciphertext"), e.getMessage());
    }

    @Test
    void wrappingOfAnotherKeyUnderTheSameName_isNotAccepted() {
        Map<String, String> other = new HashMap<>(settings(ExampleAesGcmCipher.class.getName()).values());
        other.put("secret-key-hex", "fedcba9876543210".repeat(4));
        other.put("key-id", "other-key");
        try (CustomCipherKeystore a = CustomCipherKeystore.create(settings(ExampleAesGcmCipher.class.getName()));
             CustomCipherKeystore b = CustomCipherKeystore.create(KeystoreSettings.of("site", "custom", other))) {
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = b.generateDataKey(id)) {
                assertEquals("site", g.wrapping().keystoreName());
                assertFalse(a.canUnwrap(g.wrapping()));
                assertThrows(IllegalArgumentException.class, () -> a.unwrap(id, g.wrapping()));
                assertTrue(b.canUnwrap(g.wrapping()));
            }
        }
    }

    @Test
    void masterKeyIdentity_isClassAndKeyIdWhateverTheName() {
        Map<String, String> renamed = new HashMap<>(settings(ExampleAesGcmCipher.class.getName()).values());
        try (CustomCipherKeystore a = CustomCipherKeystore.create(settings(ExampleAesGcmCipher.class.getName()));
             CustomCipherKeystore b = CustomCipherKeystore.create(KeystoreSettings.of("renamed", "custom", renamed))) {
            assertEquals("custom:" + ExampleAesGcmCipher.class.getName() + "/example-key", a.masterKeyIdentity());
            assertEquals(a.masterKeyIdentity(), b.masterKeyIdentity());
        }
    }

    @Test
    void missingClass_saysAddTheJar() {
        KeystoreConfigurationException e = refused("com.example.NoSuchCipher");
        assertTrue(e.getMessage().contains("add the jar containing com.example.NoSuchCipher to the class path")
                || e.getMessage().contains("Add the jar containing com.example.NoSuchCipher to the class path"), e.getMessage());
    }

    @Test
    void missingClassSetting_namesSetting() {
        KeystoreConfigurationException e = refused(null);
        assertTrue(e.getMessage().contains("'class'"), e.getMessage());
    }

    @Test
    void classNotImplementingSpi_listsItsInterfaces() {
        KeystoreConfigurationException e = refused(StringBuilder.class.getName());
        assertTrue(e.getMessage().contains("does not implement dev.dataenc.custom.CustomCipher"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.CharSequence"), e.getMessage());
    }

    @Test
    void classWithoutNoArgConstructor_saysAddOne() {
        KeystoreConfigurationException e = refused(NoDefaultConstructorCipher.class.getName());
        assertTrue(e.getMessage().contains("no public no-argument constructor"), e.getMessage());
    }

    @Test
    void failingInit_isWrappedWithCause() {
        KeystoreConfigurationException e = refused(FailingInitCipher.class.getName());
        assertTrue(e.getMessage().contains("failed to initialise") && e.getMessage().contains("HSM slot 3"), e.getMessage());
        assertTrue(e.getCause() instanceof java.io.IOException);
    }

    @Test
    void disabledCipher_failsWithRemedy() {
        CustomCipherKeystore ks = CustomCipherKeystore.create(settings(ExampleAesGcmCipher.class.getName()));
        ((ExampleAesGcmCipher) ks.cipher()).setState(MasterKeyState.PENDING_DELETION);
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                () -> ks.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.PENDING_DELETION, e.state());
        assertTrue(e.getMessage().contains(MasterKeyState.PENDING_DELETION.remedy()), e.getMessage());
        assertEquals(MasterKeyState.PENDING_DELETION, ks.describe().state());
    }

    @Test
    void wrappingUnderOtherKey_failsAsWrappedKeyException() {
        CustomCipherKeystore a = CustomCipherKeystore.create(settings(ExampleAesGcmCipher.class.getName()));
        Map<String, String> other = new HashMap<>(settings(ExampleAesGcmCipher.class.getName()).values());
        other.put("secret-key-hex", "ff".repeat(32));
        CustomCipherKeystore b = CustomCipherKeystore.create(KeystoreSettings.of("site", "custom", other));
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = b.generateDataKey(id)) {
            assertThrows(WrappedKeyException.class, () -> a.unwrap(id, g.wrapping()));
            Wrapping wrongFormat = new Wrapping("site", "example-key", "", new byte[] {0x09, 1, 2, 3});
            WrappedKeyException e = assertThrows(WrappedKeyException.class, () -> a.unwrap(id, wrongFormat));
            assertTrue(e.getMessage().contains("format byte"), e.getMessage());
        }
    }
}
