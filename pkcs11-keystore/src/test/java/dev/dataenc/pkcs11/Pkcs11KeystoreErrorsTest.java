package dev.dataenc.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.pkcs11.testing.SoftHsm;
import dev.dataenc.pkcs11.testing.TokenAdmin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a pkcs11 keystore can fail to open or to work, on SoftHSM2: a typed error with one actionable line. */
class Pkcs11KeystoreErrorsTest {

    private static final Function<String, String> ENV = System::getenv;

    private SoftHsm hsm;
    private String label;

    @BeforeEach
    void createKey() {
        hsm = SoftHsm.get();
        label = "errors-" + UUID.randomUUID().toString().substring(0, 8);
        Pkcs11Keystore.createMasterKey(hsm.settings("errors", SoftHsm.MAIN, label, Map.of()), ENV);
    }

    @Test
    void wrongPin_onTokenNotYetLoggedIn_isRefusedByTheToken_namingTheVariable() {
        String fresh = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        KeystoreSettings s = hsm.settings("fresh", SoftHsm.FRESH, fresh, Map.of());
        Pkcs11PinIncorrectException e = assertThrows(Pkcs11PinIncorrectException.class,
                () -> Pkcs11Keystore.open(s, env("not-the-pin")));
        assertTrue(e.getMessage().contains("refused the PIN in environment variable " + SoftHsm.PIN_ENV), e.getMessage());
        assertTrue(e.getMessage().contains("CKR_PIN_INCORRECT"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-pin"), "never shows the PIN: " + e.getMessage());
        assertFalse(e.getMessage().contains(System.getenv(SoftHsm.PIN_ENV)), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        // the right PIN afterwards logs in, creates and opens
        Pkcs11Keystore.createMasterKey(s, ENV);
        try (Pkcs11Keystore ks = Pkcs11Keystore.open(s, ENV)) {
            assertEquals(MasterKeyState.ENABLED, ks.describe().state());
        }
    }

    @Test
    void wrongPin_onTokenAlreadyLoggedIn_isStillRefused() {
        KeystoreSettings s = hsm.settings("errors", SoftHsm.MAIN, label, Map.of());
        Pkcs11Keystore.open(s, ENV).close();
        Pkcs11PinIncorrectException e = assertThrows(Pkcs11PinIncorrectException.class,
                () -> Pkcs11Keystore.open(s, env("123456")));
        assertTrue(e.getMessage().contains("is not the PIN this process logged in"), e.getMessage());
    }

    @Test
    void pinVariableUnset_saysWhichVariableToSet() {
        KeystoreSettings s = hsm.settings("errors", SoftHsm.MAIN, label, Map.of("pin-env", "DATAENC_NO_SUCH_PIN_VAR"));
        Pkcs11PinIncorrectException e = assertThrows(Pkcs11PinIncorrectException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertTrue(e.getMessage().contains("environment variable DATAENC_NO_SUCH_PIN_VAR (setting 'pin-env') is not set"),
                e.getMessage());
    }

    @Test
    void missingKeyLabel_isNotFound_namingLabelAndCreateCommand() {
        KeystoreSettings s = hsm.settings("nokey", SoftHsm.MAIN, "no-such-key", Map.of());
        Pkcs11KeyNotFoundException e = assertThrows(Pkcs11KeyNotFoundException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertEquals(MasterKeyState.NOT_FOUND, e.state());
        assertEquals("nokey", e.keystoreName());
        assertTrue(e.getMessage().contains("no AES secret key labelled 'no-such-key' (setting 'key-label')")
                && e.getMessage().contains("dataenc keystore create nokey"), e.getMessage());
    }

    @Test
    void missingFormerKeyLabel_isNotFound_namingTheSetting() {
        KeystoreSettings s = hsm.settings("errors", SoftHsm.MAIN, label, Map.of("former-key-labels", "gone-key"));
        Pkcs11KeyNotFoundException e = assertThrows(Pkcs11KeyNotFoundException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertTrue(e.getMessage().contains("'gone-key' (setting 'former-key-labels')"), e.getMessage());
    }

    @Test
    void tokenLabelAbsent_isUnreachable_listingTheTokensPresent() {
        KeystoreSettings s = hsm.settings("absent", "no-such-token", label, Map.of());
        Pkcs11TokenAbsentException e = assertThrows(Pkcs11TokenAbsentException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertEquals(MasterKeyState.UNREACHABLE, e.state());
        assertTrue(e.getMessage().contains("no token labelled 'no-such-token'") && e.getMessage().contains(SoftHsm.MAIN),
                e.getMessage());
    }

    @Test
    void slotIdAbsent_isUnreachable_namingTheSlot() {
        KeystoreSettings s = hsm.settings("absent", "", label, Map.of("slot", "4242"));
        Pkcs11TokenAbsentException e = assertThrows(Pkcs11TokenAbsentException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertTrue(e.getMessage().contains("no token in slot '4242'") && e.getMessage().contains("CKR_SLOT_ID_INVALID"),
                e.getMessage());
    }

    @Test
    void slotIndexBeyondTheList_isUnreachable() {
        KeystoreSettings s = hsm.settings("absent", "", label, Map.of("slot-index", "99"));
        Pkcs11TokenAbsentException e = assertThrows(Pkcs11TokenAbsentException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertTrue(e.getMessage().contains("no token in slot-index '99'"), e.getMessage());
    }

    @Test
    void slotId_selectsTheSameTokenAsItsLabel() {
        KeystoreSettings byLabel = hsm.settings("errors", SoftHsm.MAIN, label, Map.of());
        KeystoreSettings bySlot = hsm.settings("errors", "", label, Map.of("slot", Long.toString(hsm.slot(SoftHsm.MAIN))));
        CdkId id = CdkId.random();
        try (Pkcs11Keystore a = Pkcs11Keystore.open(byLabel, ENV); Pkcs11Keystore b = Pkcs11Keystore.open(bySlot, ENV);
             GeneratedDataKey g = a.generateDataKey(id); DataKey back = b.unwrap(id, g.wrapping())) {
            assertEquals(a.describe().masterKeyId(), b.describe().masterKeyId());
            assertTrue(back.sameKeyAs(g.key()));
        }
    }

    @Test
    void libraryMissing_isTyped_sayingWhatToInstall(@TempDir Path dir) {
        KeystoreSettings s = hsm.settings("nolib", SoftHsm.MAIN, label, Map.of("library", dir.resolve("libnone.so").toString()));
        Pkcs11LibraryMissingException e = assertThrows(Pkcs11LibraryMissingException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("'library'"), e.getMessage());
    }

    @Test
    void libraryNotAPkcs11Module_isTyped(@TempDir Path dir) throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("libfake.so"), "not a shared object");
        KeystoreSettings s = hsm.settings("badlib", "", label, Map.of("library", notALibrary.toString(), "slot", "0"));
        Pkcs11LibraryMissingException e = assertThrows(Pkcs11LibraryMissingException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertTrue(e.getMessage().contains("cannot be used as a PKCS#11 library"), e.getMessage());
    }

    @Test
    void keyDeletedWhileOpen_describeSaysNotFound_unwrapFailsNotFound() {
        KeystoreSettings s = hsm.settings("errors", SoftHsm.MAIN, label, Map.of());
        try (Pkcs11Keystore ks = Pkcs11Keystore.open(s, ENV)) {
            CdkId id = CdkId.random();
            Wrapping w;
            try (GeneratedDataKey g = ks.generateDataKey(id)) {
                w = g.wrapping();
            }
            new TokenAdmin(hsm.library(), hsm.slot(SoftHsm.MAIN)).delete(label);

            MasterKeyDescription d = ks.describe();
            assertEquals(MasterKeyState.NOT_FOUND, d.state(), d.summary());
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, w));
            assertEquals(MasterKeyState.NOT_FOUND, e.state(), e.getMessage());
            assertTrue(e.getMessage().contains(MasterKeyState.NOT_FOUND.remedy()), e.getMessage());
        }
        assertThrows(Pkcs11KeyNotFoundException.class, () -> Pkcs11Keystore.open(s, ENV));
    }

    @Test
    void disabledKeyAtOpen_isDisabledWithTheAttributeToSet() {
        TokenAdmin admin = new TokenAdmin(hsm.library(), hsm.slot(SoftHsm.MAIN));
        admin.setUsable(label, false);
        KeystoreSettings s = hsm.settings("errors", SoftHsm.MAIN, label, Map.of());
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> Pkcs11Keystore.open(s, ENV));
        assertEquals(MasterKeyState.DISABLED, e.state());
        assertTrue(e.getMessage().contains("CKA_ENCRYPT") && e.getMessage().contains("CKR_KEY_FUNCTION_NOT_PERMITTED"),
                e.getMessage());
        admin.setUsable(label, true);
        Pkcs11Keystore.open(s, ENV).close();
    }

    private static Function<String, String> env(String pin) {
        return name -> name.equals(SoftHsm.PIN_ENV) ? pin : System.getenv(name);
    }
}
