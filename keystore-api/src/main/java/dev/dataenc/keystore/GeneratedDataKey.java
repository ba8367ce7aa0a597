package dev.dataenc.keystore;

import dev.dataenc.cdk.CdkId;

import java.util.Objects;
import java.util.function.Function;

/**
 * A new CDK as a keystore generated it: the plaintext key (to use now, then destroy) and its
 * first wrapping (to store). Closing it destroys the plaintext key.
 */
public record GeneratedDataKey(DataKey key, Wrapping wrapping) implements AutoCloseable {

    public GeneratedDataKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(wrapping, "wrapping");
    }

    /**
     * A fresh random CDK {@code cdkId} wrapped by {@code wrap}: what a keystore that cannot generate keys itself
     * returns from {@link Keystore#generateDataKey}. The plaintext key is destroyed if the wrap fails.
     */
    public static GeneratedDataKey wrapNew(CdkId cdkId, Function<DataKey, Wrapping> wrap) {
        DataKey key = DataKey.generate(cdkId);
        try {
            return new GeneratedDataKey(key, wrap.apply(key));
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    @Override
    public void close() {
        key.destroy();
    }
}
