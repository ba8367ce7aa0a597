package dev.dataenc.keystore;

import dev.dataenc.cdk.CdkId;

/**
 * A configured keystore: holds one master key (CMK) that never leaves it, and uses it to
 * wrap and unwrap customer data keys (CDKs). Implementations are created by a
 * {@link KeystoreProvider} and must be safe for use by many threads.
 *
 * <p>Every wrapping is bound to its CDK id (as AES-GCM AAD, KMS encryption context, ...), so a
 * wrapped key copied onto another CDK does not unwrap.
 *
 * <p>Failures are typed: {@link dev.dataenc.error.KeystoreUnavailableException} when the keystore
 * or its master key is unusable (with the {@link MasterKeyState}),
 * {@link dev.dataenc.error.WrappedKeyException} when wrapped bytes are wrong,
 * {@link dev.dataenc.error.KeystoreConfigurationException} for bad settings.
 */
public interface Keystore extends AutoCloseable {

    /** The configured name of this keystore instance (unique within a configuration). */
    String name();

    /** The provider type that made it, e.g. {@code local} or {@code aws-kms}. */
    String type();

    /** Generates a new random 256-bit CDK with the given id and wraps it under the current master key. */
    GeneratedDataKey generateDataKey(CdkId cdkId);

    /** Wraps an existing CDK (for example one re-wrapped from another keystore) under the current master key. */
    Wrapping wrap(DataKey key);

    /**
     * Unwraps a wrapping this keystore made. The caller owns the returned key and must destroy it.
     *
     * @throws dev.dataenc.error.WrappedKeyException if the bytes do not authenticate for this CDK id
     * @throws IllegalArgumentException if {@link #canUnwrap(Wrapping)} is false
     */
    DataKey unwrap(CdkId cdkId, Wrapping wrapping);

    /** The current master key and its state. Makes a call to the keystore; does not throw for a bad state. */
    MasterKeyDescription describe();

    /**
     * A stable, non-secret identity of the master key, independent of the name the keystore is
     * configured under: two configured keystores with the same identity use the same master key (for
     * example a keystore renamed in the configuration). By default {@code <type>:<master key id>} from
     * {@link #describe()}: for {@code local} the id holds a fingerprint of the key itself, for
     * {@code aws-kms} the key ARN; {@code custom} adds the cipher class. Makes the same call as
     * {@link #describe()}; where the keystore cannot be reached the id may be only the configured one.
     */
    default String masterKeyIdentity() {
        return type() + ":" + describe().masterKeyId();
    }

    /**
     * How many wrap, unwrap and re-wrap calls the control plane may have in flight at once on this keystore when
     * it re-wraps many CDKs (a keystore switch, a cipher transition): the largest hint of the target and of the
     * keystores holding the CDKs' current wrappings bounds its worker threads. By default 1 (one CDK after the
     * other), right for an in-process keystore whose calls take microseconds; a remote key service whose calls
     * wait on the network (e.g. {@code aws-kms}, setting {@code rewrap-concurrency}) returns more. Must be at
     * least 1; makes no call to the keystore.
     */
    default int rewrapConcurrency() {
        return 1;
    }

    /** True when the wrapping was made by this keystore (by default: same keystore name). */
    default boolean canUnwrap(Wrapping wrapping) {
        return name().equals(wrapping.keystoreName());
    }

    /** Releases clients, files and key material held by this keystore. */
    @Override
    default void close() {
    }
}
