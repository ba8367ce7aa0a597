package dev.dataenc.blob.s3;

/** S3 kept throttling the requests (SlowDown, HTTP 503/429) after the SDK's retries: run again later. */
public final class S3ThrottledException extends S3BlobStoreException {

    public S3ThrottledException(String message, Throwable cause) {
        super(message, cause);
    }
}
