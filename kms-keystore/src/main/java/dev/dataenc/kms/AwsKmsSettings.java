package dev.dataenc.kms;

import dev.dataenc.keystore.LoopbackHost;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.net.URI;
import java.net.URISyntaxException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The parsed settings of one {@code aws-kms} keystore (see {@link AwsKmsKeystore} for what each means).
 * Secret values are never part of {@link #toString()}.
 *
 * @param keystoreName          configured keystore name
 * @param keyId                 KMS key id, key ARN, alias name ({@code alias/x}) or alias ARN
 * @param region                AWS region, e.g. {@code eu-west-1}: the {@code region} setting, else the region of
 *                              a {@code key-id} ARN, else the SDK's region chain ({@code AWS_REGION}, profile)
 * @param endpoint              endpoint override (VPC endpoint, FIPS endpoint, test server), if set; {@code http}
 *                              only for a loopback host
 * @param formerKeyArns         key ARNs besides the configured key whose wrappings this keystore also unwraps and
 *                              re-encrypts from (setting {@code former-key-arns}); same partition and region
 * @param credentials           static credentials, if set; otherwise the SDK's default provider chain
 * @param apiTimeout            time limit of one whole API call including retries
 * @param apiCallAttemptTimeout time limit of one HTTP attempt
 * @param connectTimeout        time limit to open a connection
 * @param maxAttempts           attempts per call including the first (1 = no retries)
 * @param retryBaseDelay        base of the jittered exponential backoff for transient errors
 * @param throttlingBaseDelay   base of the jittered exponential backoff after {@code ThrottlingException}
 * @param maxBackoff            longest wait between two attempts
 * @param failureCacheTtl       how long a failed unwrap of one wrapping is remembered and rethrown without a KMS
 *                              call (doubling for repeated failures, at most 8 times); zero turns it off
 * @param rewrapConcurrency     KMS calls the control plane may have in flight at once when it re-wraps many CDKs
 *                              (a keystore switch); see {@link dev.dataenc.keystore.Keystore#rewrapConcurrency()}
 * @param maxRequestsPerSecond  HTTP requests (attempts, retries included) this keystore sends per second at most,
 *                              spaced evenly; 0 = no limit
 */
public record AwsKmsSettings(String keystoreName, String keyId, String region, Optional<URI> endpoint,
                             List<KeyArn> formerKeyArns, Optional<StaticCredentials> credentials, Duration apiTimeout,
                             Duration apiCallAttemptTimeout, Duration connectTimeout, int maxAttempts,
                             Duration retryBaseDelay, Duration throttlingBaseDelay, Duration maxBackoff,
                             Duration failureCacheTtl, int rewrapConcurrency, int maxRequestsPerSecond) {

    /** Canonical constructor: copies the list. */
    public AwsKmsSettings {
        formerKeyArns = List.copyOf(formerKeyArns);
    }

    /** Setting: KMS key id, key ARN, alias name or alias ARN (required). */
    public static final String KEY_ID = "key-id";
    /** Setting: AWS region (optional: else the region of a key ARN, else the SDK's region chain). */
    public static final String REGION = "region";
    /** Setting: endpoint override URI (optional; {@code http://} only for loopback hosts). */
    public static final String ENDPOINT = "endpoint";
    /** Setting: comma-separated key ARNs of former keys whose wrappings are still unwrapped (optional). */
    public static final String FORMER_KEY_ARNS = "former-key-arns";
    /** Setting: how long a failed unwrap is remembered; default 5s, {@code 0} turns it off. */
    public static final String FAILURE_CACHE_TTL = "failure-cache-ttl";
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
    /** Setting: KMS calls in flight at once while the control plane re-wraps many CDKs; default 16, 1-256. */
    public static final String REWRAP_CONCURRENCY = "rewrap-concurrency";
    /** Setting: HTTP requests per second at most (every attempt counts); default 0 = no limit. */
    public static final String MAX_REQUESTS_PER_SECOND = "max-requests-per-second";
    /** Default of {@link #REWRAP_CONCURRENCY}. */
    public static final int DEFAULT_REWRAP_CONCURRENCY = 16;

    /** Every setting name this keystore type reads. */
    public static final List<String> NAMES = List.of(KEY_ID, REGION, ENDPOINT, FORMER_KEY_ARNS, ACCESS_KEY_ID,
            SECRET_ACCESS_KEY, SESSION_TOKEN, API_TIMEOUT, API_CALL_ATTEMPT_TIMEOUT, CONNECT_TIMEOUT, MAX_ATTEMPTS,
            RETRY_BASE_DELAY, THROTTLING_BASE_DELAY, MAX_BACKOFF, FAILURE_CACHE_TTL, REWRAP_CONCURRENCY,
            MAX_REQUESTS_PER_SECOND);

    /**
     * The shape of a region name, not a list: lower-case words joined by dashes, ending in a number
     * ({@code us-east-1}, {@code us-gov-west-1}, {@code cn-north-1}, {@code eusc-de-east-1}). New regions need no
     * change here.
     */
    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z]{2,10}(-[a-z]{1,15}){1,4}-\\d{1,3}");
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
        return parse(s, AwsKmsSettings::sdkRegion);
    }

    /**
     * Reads and validates the settings; {@code defaultRegion} is asked only when neither {@code region} nor a
     * {@code key-id} ARN names one (tests pass their own instead of the SDK's region chain).
     */
    static AwsKmsSettings parse(KeystoreSettings s, Supplier<Optional<String>> defaultRegion) {
        String keyId = s.require(KEY_ID);
        checkKeyId(s, keyId);
        Optional<KeyArn> keyArn = KeyArn.parse(keyId);
        String region = s.get(REGION).map(r -> r.trim().toLowerCase(Locale.ROOT))
                .or(() -> keyArn.map(KeyArn::region))
                .or(defaultRegion)
                .orElseThrow(() -> error(s, REGION, "is not set and the AWS SDK's region chain found none (environment"
                        + " AWS_REGION, system property aws.region, profile 'region'); set '" + REGION + "' to the key's"
                        + " region, e.g. eu-west-1"));
        if (!REGION_PATTERN.matcher(region).matches()) {
            throw error(s, REGION, "must be an AWS region name such as us-east-1 or eu-west-1, got '" + region + "'");
        }
        keyArn.ifPresent(arn -> {
            if (!arn.region().equals(region)) {
                throw error(s, KEY_ID, "is an ARN in region " + arn.region() + " but the region is " + region
                        + "; use the same region (a KMS key is regional)");
            }
        });
        List<KeyArn> former = formerKeyArns(s, region, keyArn);
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
        Duration failureTtl = s.get(FAILURE_CACHE_TTL).map(String::trim).filter(v -> v.equals("0")).isPresent()
                ? Duration.ZERO : duration(s, FAILURE_CACHE_TTL, Duration.ofSeconds(5));
        int rewrapConcurrency = s.getInt(REWRAP_CONCURRENCY, DEFAULT_REWRAP_CONCURRENCY, 1, 256);
        int maxRequestsPerSecond = s.getInt(MAX_REQUESTS_PER_SECOND, 0, 0, 1_000_000);
        return new AwsKmsSettings(s.name(), keyId, region, endpoint, former, creds, apiTimeout, attemptTimeout,
                connectTimeout, maxAttempts, base, throttlingBase, maxBackoff, failureTtl, rewrapConcurrency,
                maxRequestsPerSecond);
    }

    /** The SDK's default region chain (environment, system property, profile, instance metadata); empty if none. */
    private static Optional<String> sdkRegion() {
        try {
            return Optional.of(new DefaultAwsRegionProviderChain().getRegion().id());
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }

    private static List<KeyArn> formerKeyArns(KeystoreSettings s, String region, Optional<KeyArn> keyArn) {
        List<KeyArn> out = new ArrayList<>();
        for (String item : s.get(FORMER_KEY_ARNS, "").split(",")) {
            String text = item.trim();
            if (text.isEmpty()) {
                continue;
            }
            KeyArn arn = KeyArn.parse(text).filter(KeyArn::isKey).orElseThrow(() -> error(s, FORMER_KEY_ARNS,
                    "must list KMS key ARNs (arn:aws:kms:REGION:ACCOUNT:key/ID, no aliases: an alias can move),"
                    + " separated by commas; got '" + text + "'"));
            if (!arn.region().equals(region)) {
                throw error(s, FORMER_KEY_ARNS, "lists " + arn + " in region " + arn.region() + " but the keystore's region"
                        + " is " + region + "; list only keys of the same region");
            }
            keyArn.filter(k -> !k.sameAccountAndRegion(arn)).ifPresent(k -> {
                throw error(s, FORMER_KEY_ARNS, "lists " + arn + " of account " + arn.account() + " but key-id is in"
                        + " account " + k.account() + " (partition " + k.partition() + "); list only keys of the same"
                        + " account and partition");
            });
            if (!out.contains(arn)) {
                out.add(arn);
            }
        }
        return out;
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
        URI uri;
        try {
            uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw new URISyntaxException(value, "need http(s)://host[:port]");
            }
        } catch (URISyntaxException e) {
            throw error(s, ENDPOINT, "must be a URI such as https://kms.eu-west-1.amazonaws.com or http://127.0.0.1:4566,"
                    + " got '" + value + "'");
        }
        if (uri.getScheme().equals("http") && !LoopbackHost.is(uri.getHost())) {
            throw error(s, ENDPOINT, "uses http:// for host '" + uri.getHost() + "': KMS requests carry plaintext keys"
                    + " and credentials, so http is accepted only for loopback hosts (127.0.0.0/8, localhost, [::1]);"
                    + " use https://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath()));
        }
        return uri;
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
