package dev.dataenc.blob.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into the typed {@link S3BlobStoreException}s, with one line saying what to do. Only the
 * operation, location, HTTP status and S3 error code go into messages (never object content, never credentials).
 */
final class S3Errors {

    private S3Errors() {
    }

    static S3BlobStoreException map(SdkException e, String operation, String location, S3BlobStoreSettings s) {
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null || s3.awsErrorDetails().errorCode() == null ? "HTTP " + status
                    : s3.awsErrorDetails().errorCode();
            if (e instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
                return new S3BucketNotFoundException("S3 bucket '" + s.bucket() + "' does not exist"
                        + s.region().map(r -> " in region " + r).orElse("")
                        + s.endpoint().map(u -> " at " + u).orElse("") + " (" + operation + "): check --s3-bucket,"
                        + " --s3-region and --s3-endpoint", e);
            }
            if ("InvalidObjectState".equals(code)) {
                return new S3BlobStoreException("S3 cannot " + operation + " " + location + " (" + code + "): the object"
                        + " is archived (Glacier / Deep Archive storage class); restore it (RestoreObject) and run the"
                        + " migration again, which resumes", e);
            }
            if (status == 403) {
                return new S3AccessDeniedException("S3 denied " + operation + " on " + location + " (" + code + "): the"
                        + " credentials of the SDK default chain need s3:ListBucket on bucket " + s.bucket()
                        + " and s3:GetObject and s3:PutObject on its objects" + (s.prefix().isEmpty() ? ""
                        : " under " + s.prefix()) + " (and kms:Decrypt/kms:GenerateDataKey for SSE-KMS objects)", e);
            }
            if (s3.isThrottlingException() || status == 503 || status == 429) {
                return new S3ThrottledException("S3 kept throttling " + operation + " on " + location + " after the"
                        + " SDK's retries (" + code + "): run the migration again later (it resumes where it"
                        + " stopped), or with a smaller --batch-size", e);
            }
            if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
                return new S3BlobStoreException("S3 bucket '" + s.bucket() + "' is not in region "
                        + s.region().orElse("(the default chain's)") + " (" + code + "): give its region with"
                        + " --s3-region", e);
            }
            return new S3BlobStoreException("S3 failed " + operation + " on " + location + ": HTTP " + status + " "
                    + code + "; nothing was changed by this request, the migration can be run again", e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().startsWith("Unable to load credentials")) {
            return new S3BlobStoreException("no AWS credentials for S3 bucket '" + s.bucket() + "': the SDK default"
                    + " chain found none; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with"
                    + " a web identity, container or instance role", e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("region")
                && s.region().isEmpty()) {
            return new S3BlobStoreException("no AWS region for S3 bucket '" + s.bucket() + "': give --s3-region (or"
                    + " set AWS_REGION)", e);
        }
        return new S3BlobStoreException("cannot reach S3 for " + operation + " on " + location
                + s.endpoint().map(u -> " at " + u).orElse("") + ": " + firstLine(e.getMessage())
                + "; check the network, the endpoint and the credentials chain, then run again", e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
