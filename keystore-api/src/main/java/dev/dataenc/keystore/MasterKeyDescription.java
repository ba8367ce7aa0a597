package dev.dataenc.keystore;

import java.util.Objects;

/**
 * What a keystore reports about its current master key.
 *
 * @param keystoreName   configured name of the keystore
 * @param masterKeyId    stable id of the master key (for AWS KMS the resolved key ARN)
 * @param masterKeyVersion version of the master key new wrappings use (empty if the keystore has no versions)
 * @param state          state of the master key
 * @param detail         extra human-readable detail (may be empty, never secret)
 */
public record MasterKeyDescription(String keystoreName, String masterKeyId, String masterKeyVersion,
                                   MasterKeyState state, String detail) {

    public MasterKeyDescription {
        Objects.requireNonNull(keystoreName, "keystoreName");
        Objects.requireNonNull(masterKeyId, "masterKeyId");
        masterKeyVersion = masterKeyVersion == null ? "" : masterKeyVersion;
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
    }

    /** One line for logs and the CLI, e.g. {@code keystore 'a' master key 'k' (v2): DISABLED}. */
    public String summary() {
        return "keystore '" + keystoreName + "' master key '" + masterKeyId + "'"
                + (masterKeyVersion.isEmpty() ? "" : " (version " + masterKeyVersion + ")")
                + ": " + state + (detail.isEmpty() ? "" : " - " + detail);
    }
}
