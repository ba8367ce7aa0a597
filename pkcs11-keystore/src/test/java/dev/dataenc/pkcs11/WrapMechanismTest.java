package dev.dataenc.pkcs11;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.pkcs11.testing.SoftHsm;

import java.security.Provider;
import java.security.Security;

import org.junit.jupiter.api.Test;

/**
 * Detecting what the token offers, on SoftHSM2 through SunPKCS11. A token without a mechanism is made by
 * configuring the provider with {@code disabledMechanisms}, which hides it exactly as a token that lacks it would.
 */
class WrapMechanismTest {

    @Test
    void softHsm_offersGcmAndKeyGeneration() {
        Provider p = provider("");
        assertDoesNotThrow(() -> WrapMechanism.require(p, "test", "softhsm", true));
        assertTrue(WrapMechanism.offered(p).contains("AES/GCM/NoPadding"), WrapMechanism.offered(p).toString());
    }

    @Test
    void tokenWithoutGcm_isRefused_sayingWhatItLacksAndWhatItOffers() {
        Provider p = provider("disabledMechanisms = {\n  CKM_AES_GCM\n}\n");
        Pkcs11MechanismMissingException e = assertThrows(Pkcs11MechanismMissingException.class,
                () -> WrapMechanism.require(p, "pkcs11 keystore 'x'", "softhsm", false));
        assertTrue(e.getMessage().contains("lacks CKM_AES_GCM (it offers [AES/CBC/NoPadding"), e.getMessage());
        assertFalse(e.getMessage().substring(e.getMessage().indexOf("offers")).contains("GCM/"), e.getMessage());
    }

    @Test
    void tokenWithoutAesKeyGeneration_opensButCannotCreate() {
        Provider p = provider("disabledMechanisms = {\n  CKM_AES_KEY_GEN\n}\n");
        assertDoesNotThrow(() -> WrapMechanism.require(p, "test", "softhsm", false));
        Pkcs11MechanismMissingException e = assertThrows(Pkcs11MechanismMissingException.class,
                () -> WrapMechanism.require(p, "pkcs11 keystore 'x'", "softhsm", true));
        assertTrue(e.getMessage().contains("lacks CKM_AES_KEY_GEN"), e.getMessage());
    }

    private static Provider provider(String extra) {
        SoftHsm hsm = SoftHsm.get();
        return Security.getProvider("SunPKCS11").configure("--name = mechanism-test\nlibrary = " + hsm.library()
                + "\nslot = " + hsm.slot(SoftHsm.MAIN) + "\n" + extra);
    }
}
