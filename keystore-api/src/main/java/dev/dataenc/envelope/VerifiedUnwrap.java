package dev.dataenc.envelope;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkCheckValue;
import dev.dataenc.error.CdkCheckFailedException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;

import java.util.Objects;

/**
 * The one way dataenc turns a wrapping into a plaintext CDK: unwrap with a keystore, then prove
 * the key is the CDK's own: the same CDK id and, when the CDK has a {@link CdkCheckValue}, a
 * matching check value (compared in constant time). A key that fails is destroyed before the
 * exception is thrown. The data plane ({@link CdkUnwrapper}, {@link CdkCache}) and the control
 * plane (verify, switch re-wrap, guards, wrapping removal) all go through here, so a wrapping
 * written into the registry by someone else can never "prove" itself by merely unwrapping.
 */
public final class VerifiedUnwrap {

    private VerifiedUnwrap() {
    }

    /**
     * Unwraps {@code wrapping} of {@code cdk} with {@code keystore} and verifies the result.
     * The caller owns the returned key and must destroy it.
     *
     * @throws CdkCheckFailedException if the key does not match the CDK's check value
     * @throws WrappedKeyException if the keystore returned the key of another CDK, or the bytes do not unwrap
     * @throws dev.dataenc.error.KeystoreUnavailableException if the keystore or its master key is unusable
     * @throws IllegalArgumentException if the keystore cannot unwrap this wrapping at all
     */
    public static DataKey unwrap(Keystore keystore, Cdk cdk, Wrapping wrapping) {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(cdk, "cdk");
        DataKey key = keystore.unwrap(cdk.id(), Objects.requireNonNull(wrapping, "wrapping"));
        if (key == null) {
            throw new WrappedKeyException("keystore '" + keystore.name() + "' returned no key for CDK " + cdk.id());
        }
        try {
            if (!cdk.id().equals(key.cdkId())) {
                throw new WrappedKeyException("keystore '" + keystore.name() + "' returned the key of CDK " + key.cdkId()
                        + " when unwrapping " + describe(wrapping) + " of CDK " + cdk.id());
            }
            check(cdk, key, "keystore '" + keystore.name() + "' unwrapping " + describe(wrapping));
            return key;
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    /**
     * Verifies a plaintext key obtained some other way (for example the result of a re-wrap's
     * verification round trip) against the CDK's check value. Does nothing for a legacy CDK
     * (no check value); the caller keeps owning {@code key} either way.
     *
     * @param source who produced the key, for the message (e.g. "keystore 'kms' after re-wrapping")
     * @throws CdkCheckFailedException if the key is not the CDK's (id or check value)
     */
    public static void check(Cdk cdk, DataKey key, String source) {
        if (!cdk.id().equals(key.cdkId())) {
            throw new CdkCheckFailedException(cdk.id(), source + " gave the key of CDK " + key.cdkId() + " for CDK "
                    + cdk.id());
        }
        CdkCheckValue expected = cdk.checkValue();
        if (expected != null && !expected.matches(key)) {
            throw new CdkCheckFailedException(cdk.id(), source + " gave a key that does not match the check value"
                    + " stored with CDK " + cdk.id() + ": the wrapping does not hold this CDK's key (it was added or"
                    + " altered in the registry, or the keystore is faulty). The key was not used. Remove that wrapping"
                    + " ('dataenc remove-wrappings') and find out who wrote it: writers of the registry are key custodians.");
        }
    }

    static String describe(Wrapping w) {
        return "wrapping by keystore '" + w.keystoreName() + "' (master key '" + w.masterKeyId() + "'"
                + (w.masterKeyVersion().isEmpty() ? "" : ", version " + w.masterKeyVersion()) + ")";
    }
}
