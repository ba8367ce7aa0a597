package dev.dataenc.keystore;

import java.util.Objects;

/**
 * A new CDK as a keystore generated it: the plaintext key (to use now, then destroy) and its
 * first wrapping (to store). Closing it destroys the plaintext key.
 */
public record GeneratedDataKey(DataKey key, Wrapping wrapping) implements AutoCloseable {

    public GeneratedDataKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(wrapping, "wrapping");
    }

    @Override
    public void close() {
        key.destroy();
    }
}
