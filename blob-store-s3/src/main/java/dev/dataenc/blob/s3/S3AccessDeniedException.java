package dev.dataenc.blob.s3;

/** S3 refused the request for these credentials (HTTP 403): they lack a permission the store needs. */
public final class S3AccessDeniedException extends S3BlobStoreException {

    public S3AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
