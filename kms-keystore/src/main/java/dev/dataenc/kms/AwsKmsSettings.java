package dev.dataenc.kms;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed settings of one {@code aws-kms} keystore (see {@link AwsKmsKeystore} for what each means).
 * Secret values are never part of {@link #toString()}.
 *
 * @param keystoreName          configured keystore name
 * @param keyId                 KMS key id, key ARN, alias name ({@code alias/x}) or alias ARN
 * @param region                AWS region, e.g. {@code eu-west-1}
 * @param endpoint              endpoint override (VPC endpoint, FIPS endpoint, test server), if set
 * @param credentials           static credentials, if set; otherwise the SDK's default provider chain
 * @param apiTimeout            time limit of one whole API call including retries
 * @param apiCallAttemptTimeout time limit of one HTTP attempt
 * @param connectTimeout        time limit to open a connection
 * @param maxAttempts           attempts per call including the first (1 = no retries)
 * @param retryBaseDelay        base of the jittered exponential backoff for transient errors
 * @param throttlingBaseDelay   base of the jittered exponential backoff after {@code ThrottlingException}
 * @param maxBackoff            longest wait between two attempts
 */
public record AwsKmsSettings(String keystoreName, String keyId, String region, Optional<URI> endpoint,
                             Optional<StaticCredentials> credentials, Duration apiTimeout,
                             Duration apiCallAttemptTimeout, Duration connectTimeout, int maxAttempts,
                             Duration retryBaseDelay, Duration throttlingBaseDelay, Duration maxBackoff) {

    /** Setting: KMS key id, key ARN, alias name or alias ARN (required). */
    public static final String KEY_ID = "key-id";
    /** Setting: AWS region (required). */
    public static final String REGION = "region";
    /** Setting: endpoint override URI (optional). */
    public static final String ENDPOINT = "endpoint";
    /** Setting: static access key id (optional, with {@link #SECRET_ACCESS_KEY}). */
    public static final String ACCESS_KEY_ID = "access-key-id";
    /** Setting: static secret access key (optional, with {@link #ACCESS_KEY_ID}). */
    public static final String SECRET_ACCESS_KEY = "secret-access-key";
    /** Setting: session token of temporary static credentials (optional). */
    public static final String SESSION_TOKEN = "session-token";
    /** Setting: time limit of a whole API call with its retries; default 30s. */
    public static final String API_TIMEOUT = "api-timeout";
    /** Setting: time limit of one attempt; default 5s. */
    public static final String API_CALL_ATTEMPT_TIMEOUT = "api-call-attempt-timeout";
    /** Setting: connection timeout; default 2s. */
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    /** Setting: attempts per call including the first; default 3 (the SDK's standard mode). */
    public static final String MAX_ATTEMPTS = "max-attempts";
    /** Setting: backoff base for transient errors; default 100ms (the SDK's standard mode). */
    public static final String RETRY_BASE_DELAY = "retry-base-delay";
    /** Setting: backoff base after throttling; default 1s (the SDK's standard mode). */
    public static final String THROTTLING_BASE_DELAY = "throttling-base-delay";
    /** Setting: longest backoff; default 20s (the SDK's standard mode). */
    public static final String MAX_BACKOFF = "max-backoff";

    /** Every setting name this keystore type reads. */
    public static final List<String> NAMES = List.of(KEY_ID, REGION, ENDPOINT, ACCESS_KEY_ID, SECRET_ACCESS_KEY,
            SESSION_TOKEN, API_TIMEOUT, API_CALL_ATTEMPT_TIMEOUT, CONNECT_TIMEOUT, MAX_ATTEMPTS, RETRY_BASE_DELAY,
            THROTTLING_BASE_DELAY, MAX_BACKOFF);

    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /**
     * Static AWS credentials. {@link #toString()} shows the access key id only.
     *
     * @param accessKeyId     access key id
     * @param secretAccessKey secret access key
     * @param sessionToken    session token, or empty
     */
    public record StaticCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "StaticCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****"
                    + (sessionToken.isEmpty() ? "" : ", sessionToken=****") + "]";
        }
    }

    /**
     * Reads and validates the settings.
     *
     * @throws KeystoreConfigurationException naming the setting that is missing or wrong and what is valid
     */
    public static AwsKmsSettings parse(KeystoreSettings s) {
        String keyId = s.require(KEY_ID);
        checkKeyId(s, keyId);
        String region = s.require(REGION).toLowerCase(Locale.ROOT);
        if (!REGION_PATTERN.matcher(region).matches()) {
            throw error(s, REGION, "must be an AWS region name such as us-east-1 or eu-west-1, got '" + region + "'");
        }
        KeyArn.parse(keyId).ifPresent(arn -> {
            if (!arn.region().equals(region)) {
                throw error(s, KEY_ID, "is an ARN in region " + arn.region() + " but setting 'region' is " + region
                        + "; use the same region (a KMS key is regional)");
            }
        });
        Optional<URI> endpoint = s.get(ENDPOINT).map(e -> endpoint(s, e));
        Optional<String> access = s.get(ACCESS_KEY_ID);
        Optional<String> secret = s.get(SECRET_ACCESS_KEY);
        if (access.isPresent() != secret.isPresent()) {
            throw error(s, access.isPresent() ? SECRET_ACCESS_KEY : ACCESS_KEY_ID, "is missing: set both '"
                    + ACCESS_KEY_ID + "' and '" + SECRET_ACCESS_KEY + "', or neither to use the AWS default credentials chain");
        }
        Optional<StaticCredentials> creds = access.map(a -> new StaticCredentials(a, secret.get(), s.get(SESSION_TOKEN, "")));
        Duration apiTimeout = duration(s, API_TIMEOUT, Duration.ofSeconds(30));
        Duration attemptTimeout = duration(s, API_CALL_ATTEMPT_TIMEOUT, Duration.ofSeconds(5));
        Duration connectTimeout = duration(s, CONNECT_TIMEOUT, Duration.ofSeconds(2));
        int maxAttempts = s.getInt(MAX_ATTEMPTS, 3, 1, 20);
        Duration base = duration(s, RETRY_BASE_DELAY, Duration.ofMillis(100));
        Duration throttlingBase = duration(s, THROTTLING_BASE_DELAY, Duration.ofSeconds(1));
        Duration maxBackoff = duration(s, MAX_BACKOFF, Duration.ofSeconds(20));
        return new AwsKmsSettings(s.name(), keyId, region, endpoint, creds, apiTimeout, attemptTimeout, connectTimeout,
                maxAttempts, base, throttlingBase, maxBackoff);
    }

    private static void checkKeyId(KeystoreSettings s, String keyId) {
        if (keyId.startsWith("arn:")) {
            if (KeyArn.parse(keyId).isEmpty()) {
                throw error(s, KEY_ID, "looks like an ARN but is not a KMS key or alias ARN"
                        + " (arn:aws:kms:REGION:ACCOUNT:key/ID or arn:aws:kms:REGION:ACCOUNT:alias/NAME): '" + keyId + "'");
            }
        } else if (keyId.startsWith("alias/aws/")) {
            throw error(s, KEY_ID, "names an AWS managed key ('" + keyId + "'); use a customer managed key or its alias");
        } else if (keyId.contains(":") || keyId.contains(" ")) {
            throw error(s, KEY_ID, "must be a key id, key ARN, alias name (alias/NAME) or alias ARN, got '" + keyId + "'");
        }
    }

    private static URI endpoint(KeystoreSettings s, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw new URISyntaxException(value, "need http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw error(s, ENDPOINT, "must be a URI such as https://kms.eu-west-1.amazonaws.com or http://127.0.0.1:4566,"
                    + " got '" + value + "'");
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}); must be positive. */
    static Duration duration(KeystoreSettings s, String key, Duration defaultValue) {
        Optional<String> v = s.get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String text = v.get().toLowerCase(Locale.ROOT);
        Duration d = null;
        Matcher m = SIMPLE_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(v.get().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // below
            }
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw error(s, key, "must be a positive duration such as 500ms, 30s, 2m or PT30S, got '" + v.get() + "'");
        }
        return d;
    }

    private static KeystoreConfigurationException error(KeystoreSettings s, String key, String what) {
        return new KeystoreConfigurationException(s.describe() + ": setting '" + key + "' " + what);
    }
}
