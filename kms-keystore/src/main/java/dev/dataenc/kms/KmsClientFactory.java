package dev.dataenc.kms;

import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * Builds the SDK {@link KmsClient} of an {@code aws-kms} keystore from its settings: region,
 * endpoint override, credentials (static or the SDK's default chain), the
 * {@code url-connection-client} HTTP client with connect/socket timeouts, API call and attempt
 * timeouts, and the SDK's <em>standard</em> retry strategy with {@code max-attempts} and
 * jittered exponential backoff (separate bases for throttling and other transient errors), and the
 * {@code max-requests-per-second} limit ({@link RequestPacer}) on every attempt.
 */
final class KmsClientFactory {

    private KmsClientFactory() {
    }

    static KmsClient create(AwsKmsSettings s) {
        return create(s, s.maxRequestsPerSecond() > 0 ? List.of(new RequestPacer(s.maxRequestsPerSecond())) : List.of());
    }

    /** As {@link #create(AwsKmsSettings)} with the given interceptors (the request pacer, if any) instead. */
    static KmsClient create(AwsKmsSettings s, List<ExecutionInterceptor> interceptors) {
        KmsClientBuilder b = KmsClient.builder()
                .region(Region.of(s.region()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(s.connectTimeout())
                        .socketTimeout(s.apiCallAttemptTimeout()))
                .overrideConfiguration(o -> o
                        .apiCallTimeout(s.apiTimeout())
                        .apiCallAttemptTimeout(s.apiCallAttemptTimeout())
                        .retryStrategy(retryStrategy(s))
                        .executionInterceptors(interceptors));
        s.endpoint().ifPresent(b::endpointOverride);
        s.credentials().ifPresent(c -> {
            AwsCredentials creds = c.sessionToken().isEmpty()
                    ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                    : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
            b.credentialsProvider(StaticCredentialsProvider.create(creds));
        });
        return b.build();
    }

    /**
     * The SDK's standard strategy (retries throttling, 5xx, {@code KMSInternalException},
     * {@code DependencyTimeoutException} and I/O errors; token-bucket circuit breaker) with our
     * attempts and full-jitter exponential backoff; also retries {@code LimitExceededException} (with the
     * throttling backoff) and an external key store's transient {@code KMSInvalidStateException}.
     */
    static RetryStrategy retryStrategy(AwsKmsSettings s) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(s.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(s.retryBaseDelay(), s.maxBackoff()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(s.throttlingBaseDelay(), s.maxBackoff()))
                .retryOnException(KmsErrors::isThrottlingLike)
                .retryOnException(KmsErrors::isTransientKeyStoreError)
                .treatAsThrottling(KmsErrors::isThrottlingLike)
                .build();
    }
}
