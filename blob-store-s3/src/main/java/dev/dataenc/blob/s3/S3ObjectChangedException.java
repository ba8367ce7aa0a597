package dev.dataenc.blob.s3;

import java.nio.file.NoSuchFileException;

/**
 * The object version that was read is gone: a conditional {@code GetObject} ({@code If-Match} on its ETag) found
 * another object under the key. A {@link java.nio.file.NoSuchFileException} because the
 * {@link dev.dataenc.migrate.BlobStore.Version} it was opened from no longer exists: the migration reads the key
 * again and decides anew.
 */
public final class S3ObjectChangedException extends NoSuchFileException {

    private static final long serialVersionUID = 1L;

    public S3ObjectChangedException(String location) {
        super(location, null, "changed since it was read (its ETag no longer matches)");
    }
}
