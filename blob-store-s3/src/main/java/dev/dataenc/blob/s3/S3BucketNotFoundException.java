package dev.dataenc.blob.s3;

/** The bucket does not exist (at that endpoint, in that region): the bucket name or region is wrong. */
public final class S3BucketNotFoundException extends S3BlobStoreException {

    public S3BucketNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
