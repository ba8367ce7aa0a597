package dev.dataenc.migrate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A verified re-encrypted binary value waiting in a temporary file (0600) to be written by compare-and-set
 * against the SHA-256 of the value it was made from. {@link #close()} deletes the file. {@link #toString()}
 * never shows values or digests.
 *
 * @param key       the record's key
 * @param column    index into {@link RecordSource#columns()}
 * @param expected  SHA-256 of the bytes that were decrypted
 * @param file      the new ciphertext
 */
record BinaryWrite(String key, int column, byte[] expected, Path file) implements AutoCloseable {

    BinaryWrite {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(file, "file");
    }

    @Override
    public void close() {
        try {
            OwnedTempFiles.migration().delete(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    @Override
    public String toString() {
        return "BinaryWrite[key=" + key + ", column=" + column + "]";
    }
}
