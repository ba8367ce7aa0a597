package dev.dataenc.keystore;

import java.util.Arrays;
import java.util.Objects;

/**
 * One wrapped (encrypted) copy of a CDK, made by one keystore's master key. A CDK can have
 * several wrappings, one per keystore/master key that can unwrap it. The wrapped bytes are
 * not secret, but they are opaque: only the keystore that made them can use them.
 *
 * @param keystoreName     configured name of the keystore that made the wrapping
 * @param masterKeyId      master key id (for AWS KMS the resolved key ARN, never only an alias)
 * @param masterKeyVersion master key version used (empty if the keystore has no versions)
 * @param wrappedKey       the wrapped key bytes (copied in and out)
 */
public record Wrapping(String keystoreName, String masterKeyId, String masterKeyVersion, byte[] wrappedKey) {

    public Wrapping {
        Objects.requireNonNull(keystoreName, "keystoreName");
        Objects.requireNonNull(masterKeyId, "masterKeyId");
        masterKeyVersion = masterKeyVersion == null ? "" : masterKeyVersion;
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        wrappedKey = wrappedKey.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    /** True when both wrappings come from the same keystore, master key and version. */
    public boolean sameMasterKey(Wrapping other) {
        return keystoreName.equals(other.keystoreName) && masterKeyId.equals(other.masterKeyId)
                && masterKeyVersion.equals(other.masterKeyVersion);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Wrapping w && sameMasterKey(w) && Arrays.equals(wrappedKey, w.wrappedKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keystoreName, masterKeyId, masterKeyVersion, Arrays.hashCode(wrappedKey));
    }

    @Override
    public String toString() {
        return "Wrapping[keystore=" + keystoreName + ", masterKey=" + masterKeyId
                + (masterKeyVersion.isEmpty() ? "" : ", version=" + masterKeyVersion)
                + ", " + wrappedKey.length + " bytes]";
    }
}
