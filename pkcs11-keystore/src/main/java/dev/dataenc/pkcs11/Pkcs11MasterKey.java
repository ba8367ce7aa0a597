package dev.dataenc.pkcs11;

import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * A master key on the token as the keystore holds it: its label, the provider's handle to it (never its bytes:
 * the key is sensitive and non-extractable) and its id {@code <label>/<fingerprint>}.
 *
 * @param label  the key's CKA_LABEL
 * @param handle the SunPKCS11 key object referring to it
 * @param id     the master key id recorded in wrappings
 */
record Pkcs11MasterKey(String label, SecretKey handle, String id) {

    Pkcs11MasterKey {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return "Pkcs11MasterKey[" + id + "]";
    }
}
