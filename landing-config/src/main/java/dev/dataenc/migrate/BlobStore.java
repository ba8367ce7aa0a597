package dev.dataenc.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where an application keeps BLOBs outside a database: named objects (files under a directory, objects in a
 * bucket), each holding one binary ciphertext. A small SPI so that {@link BlobStoreRecordSource} can migrate them
 * like a binary column. {@link FileSystemBlobStore} is the ready implementation; others (S3, module
 * {@code blob-store-s3}) come through {@link BlobStoreProvider}.
 */
public interface BlobStore {

    /** A stable name identifying the store across processes (e.g. {@code file:/srv/app/blobs}). */
    String name();

    /** Every key now, in {@link String#compareTo} order. Keys are {@code /}-separated relative names. */
    List<String> keys() throws IOException;

    /** A handle on one object as it is now. */
    interface Version {
        /** Its length in bytes. */
        long length();

        /**
         * Its bytes; the caller closes the stream.
         *
         * @throws java.nio.file.NoSuchFileException if this version is gone (deleted, or replaced since it was read,
         *                                           where the store can tell)
         */
        InputStream open() throws IOException;
    }

    /** The object under {@code key} as it is now, or empty if there is none. */
    Optional<Version> get(String key) throws IOException;

    /**
     * Replaces the object under {@code key} with the bytes of {@code content}, atomically: a reader (or a crash)
     * sees the old object or the new one, never a part of either.
     *
     * @param expected the version the caller read and compared; the store refuses the replace (returns false)
     *                 where it can tell that the object changed since (another object under the same key)
     * @return false if the object is gone or was replaced since {@code expected}
     */
    boolean replace(String key, Version expected, Path content) throws IOException;
}
