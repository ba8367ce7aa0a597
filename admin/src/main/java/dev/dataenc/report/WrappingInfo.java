package dev.dataenc.report;

import dev.dataenc.keystore.Wrapping;

/**
 * One wrapping of a CDK: which keystore and master key can unwrap it. Never the wrapped bytes.
 *
 * @param keystore         the configured keystore name
 * @param masterKeyId      the master key id (for AWS KMS the key ARN)
 * @param masterKeyVersion the master key version, {@code ""} when the keystore has none
 */
public record WrappingInfo(String keystore, String masterKeyId, String masterKeyVersion) {

    /** The JSON view of {@code w}. */
    public static WrappingInfo of(Wrapping w) {
        return new WrappingInfo(w.keystoreName(), w.masterKeyId(), w.masterKeyVersion());
    }
}
