package dev.dataenc.pkcs11;

import java.security.Provider;
import java.util.List;
import java.util.TreeSet;

/**
 * The mechanisms the keystore needs from the token, and the check that it offers them. SunPKCS11 registers a
 * cipher only when the token lists its mechanism ({@code C_GetMechanismList}), so the provider's services say
 * what the token can do.
 *
 * <p>Wrapping is AES-256-GCM on the token ({@code CKM_AES_GCM}) with the CDK id as additional authenticated data.
 * AES key wrap ({@code CKM_AES_KEY_WRAP_PAD}) is not used: Java 17's SunPKCS11 does not offer it (nor does Java 25's
 * for SoftHSM2 2.6, which lists it for {@code C_WrapKey} only), and it has no associated data to bind the CDK id with.
 */
final class WrapMechanism {

    /** The JCA transformation of {@code CKM_AES_GCM}. */
    static final String GCM = "AES/GCM/NoPadding";
    /** The mechanism name shown in messages and in {@code describe()}. */
    static final String NAME = "CKM_AES_GCM";

    private WrapMechanism() {
    }

    /**
     * Refuses a token without AES-GCM (wrapping) or, when {@code toCreate}, without AES key generation.
     *
     * @throws Pkcs11MechanismMissingException naming what the token lacks and what it offers
     */
    static void require(Provider provider, String describe, String where, boolean toCreate) {
        if (provider.getService("Cipher", GCM) == null) {
            throw new Pkcs11MechanismMissingException(describe + ": token " + where + " lacks " + NAME + " (it offers "
                    + offered(provider) + "); the pkcs11 keystore wraps CDKs with AES-GCM on the token, binding each to"
                    + " its CDK id: enable " + NAME + " in the HSM's policy or use a token that has it");
        }
        if (toCreate && provider.getService("KeyGenerator", "AES") == null) {
            throw new Pkcs11MechanismMissingException(describe + ": token " + where + " lacks CKM_AES_KEY_GEN, so dataenc"
                    + " cannot generate the master key on it; generate an AES-256 key (sensitive, non-extractable) with"
                    + " the HSM's own tool under the configured 'key-label'");
        }
    }

    /** The AES ciphers and key wraps the token offers, sorted, e.g. {@code [AES/CBC/NoPadding, ...]}. */
    static List<String> offered(Provider provider) {
        TreeSet<String> names = new TreeSet<>();
        for (Provider.Service s : provider.getServices()) {
            if (s.getType().equals("Cipher") && s.getAlgorithm().startsWith("AES")) {
                names.add(s.getAlgorithm());
            }
        }
        return List.copyOf(names);
    }
}
