package dev.dataenc.keystore;

import dev.dataenc.cdk.CdkId;

import java.util.Optional;

/**
 * Optional interface of a {@link Keystore} that can re-wrap a CDK from another keystore's
 * wrapping <em>inside the key service</em>, so the plaintext CDK never reaches this process
 * (for AWS KMS: {@code ReEncrypt} from one KMS key to another). The control plane tries it
 * first when it re-wraps a CDK under this keystore, and falls back to unwrap-then-{@link
 * Keystore#wrap(DataKey)} when it returns empty.
 */
public interface ReWrapper {

    /**
     * Re-wraps {@code wrapping} (made by another keystore for CDK {@code id}) under this
     * keystore's current master key, without exposing the plaintext key.
     *
     * @return the new wrapping, or empty if this keystore cannot re-wrap that source wrapping in
     *         place (the caller then unwraps and wraps)
     * @throws dev.dataenc.error.KeystoreUnavailableException if the key service or a master key is unusable
     * @throws dev.dataenc.error.WrappedKeyException if the source wrapping does not authenticate for {@code id}
     */
    default Optional<Wrapping> rewrapFrom(CdkId id, Wrapping wrapping) {
        return Optional.empty();
    }
}
