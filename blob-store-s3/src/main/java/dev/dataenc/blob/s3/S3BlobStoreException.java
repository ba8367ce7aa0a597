package dev.dataenc.blob.s3;

import dev.dataenc.migrate.RecordSourceException;

/**
 * An S3 blob store is misconfigured or S3 refused or failed a request; the message says what to change. Messages
 * name the bucket, key and S3 error code, never object content. Subclasses mark the cases an operator acts on
 * differently: {@link S3BucketNotFoundException}, {@link S3AccessDeniedException}, {@link S3ThrottledException}.
 */
public class S3BlobStoreException extends RecordSourceException {

    public S3BlobStoreException(String message) {
        super(message);
    }

    public S3BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
