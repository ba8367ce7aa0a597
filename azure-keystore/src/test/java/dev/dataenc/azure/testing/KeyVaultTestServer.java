package dev.dataenc.azure.testing;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.dataenc.azure.AzureClients;
import dev.dataenc.azure.JdkAzureHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.KeyGenerator;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import reactor.core.publisher.Mono;

/**
 * A Key Vault REST test double on {@code https://127.0.0.1:<random port>} (self-signed certificate,
 * {@link SelfSignedCertificate}) for the real Azure SDK: {@link #clients()} gives a fixed-token credential and a JDK
 * HTTP client trusting the certificate. Shipped in azure-keystore's test-jar for integration-tests.
 *
 * <p>It is the project's own double, not an independent implementation (Lowkey Vault, the published Key Vault double,
 * does not resolve in this build); it implements exactly the calls the keystore makes, as the Key Vault REST reference
 * describes them:
 * <ul>
 *   <li>the bearer challenge: a request without {@code Authorization: Bearer <token>} is answered 401 with
 *       {@code WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>",
 *       resource="https://vault.azure.net"}; the SDK then asks the credential for a token and sends again;</li>
 *   <li>{@code GET /keys/{name}} (current version), {@code GET /keys/{name}/{version}}, {@code GET /deletedkeys/{name}},
 *       {@code GET /deletedkeys};</li>
 *   <li>{@code POST /keys/{name}/{version}/wrapkey} and {@code unwrapkey} with the JCE: RSA-OAEP-256 (SHA-256 and
 *       MGF1-SHA-256) for RSA keys, A256KW (RFC 3394) for oct-HSM keys as on a Managed HSM; another algorithm, or a
 *       ciphertext that does not decrypt, is 400 {@code BadParameter};</li>
 *   <li>a disabled version refuses every cryptographic operation (403, inner code {@code KeyDisabled}); an expired or
 *       not-yet-valid version refuses wrapKey but still unwraps, as Key Vault documents for date-controlled
 *       operations.</li>
 * </ul>
 * Admin hooks: {@link #createRsaKey}, {@link #createOctHsmKey}, {@link #rotate}, {@link #setEnabled}, {@link #setExpiresOn},
 * {@link #setNotBefore}, {@link #delete} (soft delete), {@link #purge}, {@link #recover}, {@link #forbid} (403 as for
 * a missing role), {@link #throttle} (429 with Retry-After). {@link #requests(String)} counts requests per operation.
 */
public final class KeyVaultTestServer implements AutoCloseable {

    /** The bearer token the server accepts. */
    public static final String TOKEN = "kv-test-token";
    /** The tenant named in the challenge. */
    public static final String TENANT = "00000000-0000-0000-0000-00000000kv00";

    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final HttpsServer https;
    private final ExecutorService executor;
    private final String base;
    private final Map<String, List<SimulatedKeyVersion>> keys = new HashMap<>();
    private final Map<String, List<SimulatedKeyVersion>> deleted = new HashMap<>();
    private final Map<String, OffsetDateTime> deletedOn = new HashMap<>();
    private final Set<String> forbidden = new HashSet<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;
    private volatile long lastThrottleNanos;
    private volatile long shortestWaitAfterThrottleNanos = Long.MAX_VALUE;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final KeyPairGenerator rsa;

    private KeyVaultTestServer(HttpsServer https, ExecutorService executor) throws GeneralSecurityException {
        this.https = https;
        this.executor = executor;
        this.base = "https://127.0.0.1:" + https.getAddress().getPort();
        this.rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
    }

    /** Starts a server on a random loopback port. */
    public static KeyVaultTestServer start() {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(SelfSignedCertificate.get().serverContext()));
            ExecutorService ex = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "kv-test-server");
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(ex);
            KeyVaultTestServer server = new KeyVaultTestServer(s, ex);
            s.createContext("/", server::handle);
            s.start();
            RUNNING.add(server.base);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The vault URL ({@code vault-url} setting). */
    public String vaultUrl() {
        return base;
    }

    /** A fixed-token credential and a JDK HTTP client that trusts the server's certificate. */
    public static AzureClients clients() {
        TokenCredential credential = ctx -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
        return new AzureClients(credential, JdkAzureHttpClient.create(SelfSignedCertificate.get().clientContext()));
    }

    /** Creates an RSA-2048 key (or a new version of it) and returns its version. */
    public synchronized String createRsaKey(String name) {
        return add(name, new SimulatedKeyVersion(newVersion(), rsa.generateKeyPair(), null, OffsetDateTime.now()));
    }

    /** Creates an oct-HSM AES-256 key, as on a Managed HSM (or a new version of it), and returns its version. */
    public synchronized String createOctHsmKey(String name) {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            return add(name, new SimulatedKeyVersion(newVersion(), null, g.generateKey(), OffsetDateTime.now()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String add(String name, SimulatedKeyVersion v) {
        keys.computeIfAbsent(name, n -> new ArrayList<>()).add(v);
        return v.version;
    }

    private static String newVersion() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Adds a new current version to an existing key (what a key rotation does) and returns it. */
    public synchronized String rotate(String name) {
        require(name);
        return require(name).get(0).aes != null ? createOctHsmKey(name) : createRsaKey(name);
    }

    /** The full key id of a version. */
    public String keyId(String name, String version) {
        return base + "/keys/" + name + "/" + version;
    }

    /** Enables or disables every version of a key. */
    public synchronized void setEnabled(String name, boolean enabled) {
        require(name).forEach(v -> v.enabled = enabled);
    }

    /** Enables or disables one version of a key. */
    public synchronized void setEnabled(String name, String version, boolean enabled) {
        require(name).stream().filter(v -> v.version.equals(version)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no version " + version)).enabled = enabled;
    }

    /** Sets the expiry of every version of a key (null = none). */
    public synchronized void setExpiresOn(String name, OffsetDateTime when) {
        require(name).forEach(v -> v.expiresOn = when);
    }

    /** Sets the activation date of every version of a key (null = none). */
    public synchronized void setNotBefore(String name, OffsetDateTime when) {
        require(name).forEach(v -> v.notBefore = when);
    }

    /** Soft-deletes a key: it is found among the deleted keys until purged or recovered. */
    public synchronized void delete(String name) {
        deleted.put(name, require(name));
        keys.remove(name);
        deletedOn.put(name, OffsetDateTime.now());
    }

    /** Purges a soft-deleted key: gone for good. */
    public synchronized void purge(String name) {
        if (deleted.remove(name) == null) {
            throw new IllegalArgumentException("no deleted key " + name);
        }
    }

    /** Recovers a soft-deleted key. */
    public synchronized void recover(String name) {
        List<SimulatedKeyVersion> v = deleted.remove(name);
        if (v == null) {
            throw new IllegalArgumentException("no deleted key " + name);
        }
        keys.put(name, v);
    }

    /** Answers every request about a key 403 (as for an identity without a role or access policy), or stops it. */
    public synchronized void forbid(String name, boolean on) {
        if (on) {
            forbidden.add(name);
        } else {
            forbidden.remove(name);
        }
    }

    /** Answers the next {@code n} authorized requests 429 with {@code Retry-After: seconds}; resets {@link #shortestWaitAfterThrottleMillis}. */
    public void throttle(int n, int seconds) {
        retryAfterSeconds = seconds;
        lastThrottleNanos = 0;
        shortestWaitAfterThrottleNanos = Long.MAX_VALUE;
        throttled.set(n);
    }

    /**
     * The shortest time between a 429 answer and the next authorized request, in milliseconds (a lower bound the
     * client must keep: Retry-After), or -1 when no request followed a 429 yet.
     */
    public long shortestWaitAfterThrottleMillis() {
        long n = shortestWaitAfterThrottleNanos;
        return n == Long.MAX_VALUE ? -1 : n / 1_000_000;
    }

    /** Requests received for an operation ({@code getKey}, {@code wrapKey}, {@code unwrapKey}, {@code getDeletedKey}, {@code challenge}, {@code throttled}). */
    public int requests(String operation) {
        AtomicInteger c = counts.get(operation);
        return c == null ? 0 : c.get();
    }

    private List<SimulatedKeyVersion> require(String name) {
        List<SimulatedKeyVersion> v = keys.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no key " + name);
        }
        return v;
    }

    private void count(String op) {
        counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + TOKEN)) {
                count("challenge");
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                        + TENANT + "\", resource=\"https://vault.azure.net\"");
                send(ex, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."));
                return;
            }
            String query = ex.getRequestURI().getRawQuery();
            if (query == null || !query.contains("api-version=")) {
                send(ex, 400, error("BadParameter", "The api-version query parameter is missing"));
                return;
            }
            String[] path = ex.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            // path[0] is empty: /keys/{name}[/{version}[/{op}]] or /deletedkeys[/{name}]
            String method = ex.getRequestMethod();
            synchronized (this) {
                if (path.length >= 3 && forbidden.contains(path[2])) {
                    count("forbidden");
                    send(ex, 403, error("Forbidden", "Caller is not authorized to perform action on resource. Action:"
                            + " 'Microsoft.KeyVault/vaults/keys/read' (Assignment: not found)", "ForbiddenByRbac"));
                    return;
                }
            }
            long last = lastThrottleNanos;
            if (last != 0) {
                shortestWaitAfterThrottleNanos = Math.min(shortestWaitAfterThrottleNanos, System.nanoTime() - last);
                lastThrottleNanos = 0;
            }
            if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                count("throttled");
                lastThrottleNanos = System.nanoTime();
                ex.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
                send(ex, 429, error("Throttled", "Request was not processed because too many requests were received."
                        + " Reason: VaultRequestTypeLimitReached"));
                return;
            }
            if (path.length >= 2 && path[1].equals("keys") && method.equals("GET") && (path.length == 3 || path.length == 4)) {
                count("getKey");
                getKey(ex, path[2], path.length == 4 ? path[3] : null);
            } else if (path.length == 5 && path[1].equals("keys") && method.equals("POST")
                    && (path[4].equals("wrapkey") || path[4].equals("unwrapkey"))) {
                boolean wrap = path[4].equals("wrapkey");
                count(wrap ? "wrapKey" : "unwrapKey");
                crypt(ex, path[2], path[3], wrap, JSON.readTree(body));
            } else if (path.length == 3 && path[1].equals("deletedkeys") && method.equals("GET")) {
                count("getDeletedKey");
                getDeleted(ex, path[2]);
            } else if (path.length == 2 && path[1].equals("deletedkeys") && method.equals("GET")) {
                count("listDeletedKeys");
                listDeleted(ex);
            } else {
                send(ex, 400, error("BadParameter", "unsupported by the test double: " + method + " " + ex.getRequestURI().getPath()));
            }
        } catch (RuntimeException | GeneralSecurityException e) {
            send(ex, 500, error("InternalError", e.toString()));
        }
    }

    private synchronized void getKey(HttpExchange ex, String name, String version) throws IOException {
        SimulatedKeyVersion v = find(name, version);
        if (v == null) {
            send(ex, 404, notFound(name, version));
            return;
        }
        send(ex, 200, bundle(name, v));
    }

    private void crypt(HttpExchange ex, String name, String version, boolean wrap, JsonNode req)
            throws IOException, GeneralSecurityException {
        SimulatedKeyVersion v;
        String refusal = null;
        synchronized (this) {
            v = find(name, version);
            if (v != null) {
                OffsetDateTime now = OffsetDateTime.now();
                String op = wrap ? "wrapKey" : "unwrapKey";
                if (!v.enabled) {
                    refusal = "Operation " + op + " is not allowed on a disabled key.";
                } else if (wrap && v.expiresOn != null && !now.isBefore(v.expiresOn)) {
                    refusal = "Operation wrapKey is not allowed on an expired key.";
                } else if (wrap && v.notBefore != null && now.isBefore(v.notBefore)) {
                    refusal = "Operation wrapKey is not allowed on a key that is not yet valid.";
                }
            }
        }
        if (v == null) {
            send(ex, 404, notFound(name, version));
            return;
        }
        if (refusal != null) {
            send(ex, 403, error("Forbidden", refusal, "KeyDisabled"));
            return;
        }
        String alg = req.path("alg").asText();
        if (!(v.aes == null ? "RSA-OAEP-256" : "A256KW").equals(alg)) {
            send(ex, 400, error("BadParameter", "Algorithm " + alg + " is not supported for this key"));
            return;
        }
        byte[] in;
        try {
            in = B64D.decode(req.path("value").asText());
        } catch (IllegalArgumentException e) {
            send(ex, 400, error("BadParameter", "The value is not base64url"));
            return;
        }
        byte[] out;
        try {
            Cipher c;
            if (v.aes != null) {
                c = Cipher.getInstance("AES/KW/NoPadding");
                c.init(wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, v.aes);
            } else {
                c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                        PSource.PSpecified.DEFAULT);
                c.init(wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, wrap ? v.pair.getPublic() : v.pair.getPrivate(),
                        oaep);
            }
            out = c.doFinal(in);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            send(ex, 400, error("BadParameter", "Invalid value for the ciphertext"));
            return;
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("kid", keyId(name, v.version));
        r.put("value", B64.encodeToString(out));
        send(ex, 200, r);
    }

    private synchronized void getDeleted(HttpExchange ex, String name) throws IOException {
        List<SimulatedKeyVersion> v = deleted.get(name);
        if (v == null) {
            send(ex, 404, error("KeyNotFound", "Deleted Key not found: " + name));
            return;
        }
        send(ex, 200, deletedBundle(name, v));
    }

    private synchronized void listDeleted(HttpExchange ex) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode list = r.putArray("value");
        deleted.forEach((name, v) -> list.add(deletedBundle(name, v)));
        r.putNull("nextLink");
        send(ex, 200, r);
    }

    private ObjectNode deletedBundle(String name, List<SimulatedKeyVersion> versions) {
        ObjectNode b = bundle(name, versions.get(versions.size() - 1));
        OffsetDateTime when = deletedOn.get(name);
        b.put("recoveryId", base + "/deletedkeys/" + name);
        b.put("deletedDate", when.toEpochSecond());
        b.put("scheduledPurgeDate", when.plusDays(90).toEpochSecond());
        return b;
    }

    private SimulatedKeyVersion find(String name, String version) {
        List<SimulatedKeyVersion> versions = keys.get(name);
        if (versions == null) {
            return null;
        }
        if (version == null || version.isEmpty()) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(v -> v.version.equals(version)).findFirst().orElse(null);
    }

    private ObjectNode bundle(String name, SimulatedKeyVersion v) {
        ObjectNode b = JSON.createObjectNode();
        ObjectNode key = b.putObject("key");
        key.put("kid", keyId(name, v.version));
        key.put("kty", v.aes == null ? "RSA" : "oct-HSM");
        ArrayNode ops = key.putArray("key_ops");
        List.of("encrypt", "decrypt", "wrapKey", "unwrapKey").forEach(ops::add);
        if (v.aes == null) {
            RSAPublicKey pub = (RSAPublicKey) v.pair.getPublic();
            key.put("n", B64.encodeToString(unsigned(pub.getModulus())));
            key.put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
        }
        ObjectNode a = b.putObject("attributes");
        a.put("enabled", v.enabled);
        if (v.notBefore != null) {
            a.put("nbf", v.notBefore.toEpochSecond());
        }
        if (v.expiresOn != null) {
            a.put("exp", v.expiresOn.toEpochSecond());
        }
        a.put("created", v.created.toEpochSecond());
        a.put("updated", v.created.toEpochSecond());
        a.put("recoveryLevel", "Recoverable+Purgeable");
        a.put("recoverableDays", 90);
        b.putObject("tags");
        return b;
    }

    private static byte[] unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        return b[0] == 0 && b.length > 1 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private ObjectNode notFound(String name, String version) {
        return error("KeyNotFound", "A key with (name/id) " + name + (version == null ? "" : "/" + version)
                + " was not found in this key vault. If you recently deleted this key you may be able to recover it"
                + " using the correct recovery command.");
    }

    private static ObjectNode error(String code, String message) {
        return error(code, message, null);
    }

    private static ObjectNode error(String code, String message, String inner) {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode e = r.putObject("error");
        e.put("code", code);
        e.put("message", message);
        if (inner != null) {
            e.putObject("innererror").put("code", inner);
        }
        return r;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().add("x-ms-request-id", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** True when a server of this JVM is running at the vault URL. */
    public static boolean isRunning(String vaultUrl) {
        return RUNNING.contains(vaultUrl);
    }

    @Override
    public void close() {
        RUNNING.remove(base);
        https.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "KeyVaultTestServer[" + base + "]";
    }


}
