package dev.dataenc.kms.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A KMS-protocol server on {@code 127.0.0.1} (random port) for tests: the real AWS SDK talks to it over HTTP
 * with {@code endpointOverride(server.endpoint())}, any static credentials and region {@value #REGION}.
 * Shipped in kms-keystore's test-jar for integration-tests.
 *
 * <h2>Operations</h2>
 * CreateKey (symmetric; origins AWS_KMS, EXTERNAL = PendingImport, EXTERNAL_KEY_STORE in a simulated custom key
 * store), DescribeKey, GenerateDataKey, GenerateDataKeyWithoutPlaintext, Encrypt, Decrypt (with or without
 * {@code KeyId}; another key's id is {@code IncorrectKeyException}), ReEncrypt, EnableKey, DisableKey,
 * ScheduleKeyDeletion (window 7-30 days, else {@code ValidationException}), CancelKeyDeletion (key returns
 * Disabled), EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand (new backing key,
 * old ciphertexts still decrypt, at most 10 per key), CreateAlias, UpdateAlias, DeleteAlias, ListAliases,
 * CreateCustomKeyStore, DescribeCustomKeyStores, ConnectCustomKeyStore, DisconnectCustomKeyStore.
 * Key ids resolve from key id, key ARN, alias name and alias ARN.
 *
 * <h2>KMS behaviour reproduced</h2>
 * Ciphertexts are real AES-256-GCM under per-key backing keys, bound to the encryption context (a different
 * context is {@code InvalidCiphertextException}). Cryptographic operations on a Disabled key fail with
 * {@code DisabledException}; on a key PendingDeletion, PendingImport or Unavailable with
 * {@code KMSInvalidStateException}. A key in a custom key store whose {@code ConnectionState} is not CONNECTED
 * has key state {@code Unavailable} (unless it is PendingDeletion) and returns to its previous state when the
 * store reconnects, as the KMS developer guide describes for custom key stores.
 *
 * <h2>Faults and counts</h2>
 * {@link #throttle}, {@link #dropConnections}, {@link #answer} (scripted error answers), {@link #latency}, and {@link #disconnectCustomKeyStore} /
 * {@link #failCustomKeyStore}. {@link #callCount(String)} counts every request received per operation,
 * including throttled and dropped ones (so SDK retries show).
 */
public final class KmsTestServer implements AutoCloseable {

    /** The region the server's keys live in. */
    public static final String REGION = "us-east-1";
    /** The account id in the server's ARNs. */
    public static final String ACCOUNT = "111122223333";

    static {
        // The JDK server writes the status line/headers and the body as separate small packets; with Nagle's
        // algorithm on, each response then waits for the client's delayed ACK (~40 ms). Read once by the JDK
        // when its HTTP server first starts, so set before any HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Requests handled at the same time at most (each waits out the injected latency on its own thread). */
    public static final int HANDLER_THREADS = 64;

    private final HttpServer http;
    private final ExecutorService executor;
    private final KmsKeyRegistry keys;
    private final KmsFaults faults;
    private final KmsRequestRouter router;

    /**
     * A KMS key of the server.
     *
     * @param keyId the key id (a UUID)
     * @param arn   the key ARN
     */
    public record Key(String keyId, String arn) {
    }

    private KmsTestServer(long seed) throws IOException {
        ObjectMapper json = new ObjectMapper();
        keys = new KmsKeyRegistry(REGION, ACCOUNT);
        faults = new KmsFaults(seed);
        router = new KmsRequestRouter(json, new KmsOperations(json, keys), faults);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(HANDLER_THREADS, r -> {
            Thread t = new Thread(r, "kms-test-server-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        http.createContext("/", router);
        http.setExecutor(executor);
        http.start();
    }

    /** Starts a server on a random loopback port. */
    public static KmsTestServer start() {
        return start(42);
    }

    /** Starts a server whose fault decisions come from a random generator with this seed. */
    public static KmsTestServer start(long faultSeed) {
        try {
            return new KmsTestServer(faultSeed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the KMS test server on loopback", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    // ---- keys, as an administrator would set them up (no HTTP, not counted, never throttled)

    /** Creates an enabled symmetric key with origin AWS_KMS. */
    public Key createKey() {
        return key(keys.createKey("dataenc test key", "AWS_KMS", null, null));
    }

    /** Creates a key with origin EXTERNAL, which stays in state PendingImport. */
    public Key createPendingImportKey() {
        return key(keys.createKey("dataenc test key without key material", "EXTERNAL", null, null));
    }

    /** Creates a connected external key store ({@code EXTERNAL_KEY_STORE}); returns its id. */
    public String createExternalKeyStore(String name) {
        SimulatedCustomKeyStore s = keys.createStore(name, "EXTERNAL_KEY_STORE");
        keys.connect(s);
        return s.id;
    }

    /** Creates a key in an external key store (origin EXTERNAL_KEY_STORE); the store must be connected. */
    public Key createKeyInCustomKeyStore(String customKeyStoreId) {
        return key(keys.createKey("dataenc test key in " + customKeyStoreId, "EXTERNAL_KEY_STORE", customKeyStoreId,
                "xks-" + UUID.randomUUID()));
    }

    /** Disconnects a custom key store: its keys become Unavailable. */
    public void disconnectCustomKeyStore(String customKeyStoreId) {
        keys.disconnect(keys.store(customKeyStoreId));
    }

    /** Connects a custom key store again: its keys return to their previous states. */
    public void connectCustomKeyStore(String customKeyStoreId) {
        keys.connect(keys.store(customKeyStoreId));
    }

    /** Makes a custom key store's connection FAILED with the given {@code ConnectionErrorCode}. */
    public void failCustomKeyStore(String customKeyStoreId, String connectionErrorCode) {
        keys.fail(keys.store(customKeyStoreId), connectionErrorCode);
    }

    /** Creates an alias ({@code alias/NAME}) for a key. */
    public void createAlias(String aliasName, String keyId) {
        keys.createAlias(aliasName, keys.resolveKey(keyId));
    }

    /** Points an existing alias at another key. */
    public void updateAlias(String aliasName, String keyId) {
        keys.updateAlias(aliasName, keys.resolveKey(keyId));
    }

    /** Disables a key. */
    public void disableKey(String keyId) {
        keys.disable(keys.resolveKey(keyId));
    }

    /** Enables a key. */
    public void enableKey(String keyId) {
        keys.enable(keys.resolveKey(keyId));
    }

    /** Schedules a key's deletion (7-30 days). */
    public void scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
        keys.scheduleDeletion(keys.resolveKey(keyId), pendingWindowInDays);
    }

    /** What KMS's scheduled automatic rotation does: new key material for new ciphertexts. */
    public void rotateAutomatically(String keyId) {
        keys.rotateAutomatically(keys.resolveKey(keyId));
    }

    /** The key state KMS would report (Enabled, Disabled, PendingDeletion, PendingImport, Unavailable). */
    public String keyState(String keyId) {
        return keys.stateOf(keys.resolve(keyId));
    }

    /** Number of backing key versions of a key (1 + rotations). */
    public int backingKeyVersions(String keyId) {
        synchronized (keys) {
            return keys.resolve(keyId).currentVersion();
        }
    }

    private static Key key(SimulatedKey k) {
        return new Key(k.id.toString(), k.arn);
    }

    // ---- faults

    /** Answers this fraction of requests (of the given operations; all if none) with {@code ThrottlingException}. */
    public KmsTestServer throttle(double fraction, String... operations) {
        faults.throttle(fraction, Set.of(operations));
        return this;
    }

    /** Closes this fraction of connections (of the given operations; all if none) without any response. */
    public KmsTestServer dropConnections(double fraction, String... operations) {
        faults.drop(fraction, Set.of(operations));
        return this;
    }

    /**
     * Answers the next {@code times} requests of {@code operation} with the KMS error {@code errorType} (e.g.
     * {@code KMSInvalidStateException}, {@code LimitExceededException}) and {@code message}, HTTP 400, before
     * anything else is checked: for answers that real KMS gives and the simulated keys cannot reach (an external key
     * store proxy's errors, a key pending deletion answering {@code DisabledException}, quotas).
     */
    public KmsTestServer answer(String operation, String errorType, String message, int times) {
        faults.answer(operation, new KmsError(errorType, message), times);
        return this;
    }

    /**
     * Delays every response by this much (e.g. 20 ms, a remote KMS's round trip), counted as in flight; up to
     * {@value #HANDLER_THREADS} requests wait at the same time, so concurrent clients overlap their waits.
     */
    public KmsTestServer latency(Duration latency) {
        faults.latency(latency);
        return this;
    }

    /** Removes throttling, dropping, scripted answers and latency (not custom key store states). */
    public void clearFaults() {
        faults.clear();
    }

    // ---- counts

    /** Requests received for one operation (e.g. {@code "Decrypt"}) since start or {@link #resetCounts()}. */
    public int callCount(String operation) {
        return router.count(operation);
    }

    /** Requests received per operation. */
    public Map<String, Integer> callCounts() {
        return router.counts();
    }

    /**
     * The most requests in flight at the same moment (received and not yet answered, injected latency included)
     * since start or {@link #resetCounts()}: what a client's concurrency limit must bound.
     */
    public int peakInFlight() {
        return router.peakInFlight();
    }

    /** Requests received in all. */
    public int totalCalls() {
        return router.counts().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Sets every count to zero and the {@linkplain #peakInFlight() peak} to the requests in flight now. */
    public void resetCounts() {
        router.resetCounts();
    }

    // ---- clients

    /** A real SDK {@link KmsClient} for this server (static test credentials, no retries beyond the SDK default). */
    public KmsClient newClient() {
        return KmsClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTSERVER", "test-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /**
     * Settings of an {@code aws-kms} keystore using this server: {@code key-id}, {@code region}, {@code endpoint},
     * static credentials, and short retry backoff (5ms base, 10ms after throttling, 200ms max) so fault tests run
     * fast. Mutable: add or override settings.
     */
    public Map<String, String> keystoreSettings(String keyId) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("key-id", keyId);
        s.put("region", REGION);
        s.put("endpoint", endpoint().toString());
        s.put("access-key-id", "AKIDTESTSERVER");
        s.put("secret-access-key", "test-secret");
        s.put("retry-base-delay", "5ms");
        s.put("throttling-base-delay", "10ms");
        s.put("max-backoff", "200ms");
        return s;
    }

    /** Stops the server. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "KmsTestServer[" + endpoint() + ", region " + REGION + ", account " + ACCOUNT + "]";
    }
}
