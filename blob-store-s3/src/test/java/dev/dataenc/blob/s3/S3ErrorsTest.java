package dev.dataenc.blob.s3;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The mapping of S3's answers that moto cannot be made to give (it enforces no IAM policy and never throttles):
 * exceptions as the SDK builds them from a response.
 */
class S3ErrorsTest {

    private static final S3BlobStoreSettings SETTINGS = S3BlobStoreSettings.of(Map.of("bucket", "app-docs",
            "prefix", "att", "region", "eu-west-1"));

    private static S3Exception answer(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).message("secret object body must not leak")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("detail").build()).build();
    }

    @Test
    void accessDenied_namesThePermissionsNeeded() {
        S3BlobStoreException e = S3Errors.map(answer(403, "AccessDenied"), "PutObject", "s3://app-docs/att/x", SETTINGS);
        assertInstanceOf(S3AccessDeniedException.class, e);
        assertTrue(e.getMessage().contains("s3:ListBucket") && e.getMessage().contains("s3:GetObject")
                && e.getMessage().contains("s3:PutObject"), e.getMessage());
        assertFalse(e.getMessage().contains("secret object body"));
    }

    @Test
    void archivedObject_saysRestoreItRatherThanAccessDenied() {
        S3BlobStoreException e = S3Errors.map(answer(403, "InvalidObjectState"), "GetObject", "s3://app-docs/att/x",
                SETTINGS);
        assertFalse(e instanceof S3AccessDeniedException);
        assertTrue(e.getMessage().contains("restore it"), e.getMessage());
    }

    @Test
    void noCredentialsInTheDefaultChain_shortLineSayingWhereToPutThem() {
        S3BlobStoreException e = S3Errors.map(SdkClientException.create("Unable to load credentials from any of the"
                + " providers in the chain AwsCredentialsProviderChain(credentialsProviders=[...]) : [...]"),
                "ListObjectsV2", "s3://app-docs/att/", SETTINGS);
        assertTrue(e.getMessage().startsWith("no AWS credentials for S3 bucket 'app-docs'"), e.getMessage());
        assertFalse(e.getMessage().contains("AwsCredentialsProviderChain"), e.getMessage());
    }

    @Test
    void slowDown_throttledSayingToRunAgain() {
        S3BlobStoreException e = S3Errors.map(answer(503, "SlowDown"), "GetObject", "s3://app-docs/att/x", SETTINGS);
        assertInstanceOf(S3ThrottledException.class, e);
        assertTrue(e.getMessage().contains("run the migration again later"), e.getMessage());
    }

    @Test
    void wrongRegion_namesTheRegionOption() {
        S3BlobStoreException e = S3Errors.map(answer(301, "PermanentRedirect"), "ListObjectsV2", "s3://app-docs/att/",
                SETTINGS);
        assertTrue(e.getMessage().contains("--s3-region"), e.getMessage());
    }
}
