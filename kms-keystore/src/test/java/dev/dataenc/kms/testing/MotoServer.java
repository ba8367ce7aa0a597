package dev.dataenc.kms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * moto (a Python AWS emulator written independently of dataenc, {@code python3 -m moto.server}) as a KMS for
 * tests: started on a free loopback port, waited for until it answers, killed on {@link #close()}. The real SDK
 * talks to it like to {@link KmsTestServer}. Shipped in kms-keystore's test-jar for integration-tests.
 *
 * <p>moto is laxer than AWS KMS: it decrypts and generates data keys with disabled keys, answers HTTP 500 to
 * {@code DisableKey} by ARN and to {@code DescribeCustomKeyStores}, reports {@code EXTERNAL} keys Enabled, and answers
 * {@code AccessDeniedException} where KMS says {@code IncorrectKeyException}/{@code InvalidCiphertextException} for a
 * ciphertext whose key-id bytes were altered. Key-state and fault cases therefore stay on {@link KmsTestServer}.
 *
 * <p>{@link #startOrSkip()}: without moto, a test fails when the environment variable {@code CI} is {@code true},
 * and is skipped with the reason otherwise.
 */
public final class MotoServer implements AutoCloseable {

    /** The region used for moto's keys. */
    public static final String REGION = "us-east-1";
    /** moto's default account id. */
    public static final String ACCOUNT = "123456789012";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static volatile Boolean installed;

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final KmsClient client;

    /**
     * A KMS key of moto.
     *
     * @param keyId the key id (a UUID)
     * @param arn   the key ARN
     */
    public record Key(String keyId, String arn) {
    }

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        this.client = KmsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOTO", "moto-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** True when {@code python3 -c 'import moto.server'} works (asked once per JVM). */
    public static boolean isInstalled() {
        Boolean known = installed;
        if (known == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import moto.server").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                known = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                known = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                known = false;
            }
            installed = known;
        }
        return known;
    }

    /**
     * Starts moto; without it, fails under {@code CI=true} and skips the test otherwise (JUnit assumption).
     */
    public static MotoServer startOrSkip() {
        if (!isInstalled()) {
            String why = "moto is not installed (python3 -c 'import moto.server' failed); install it with"
                    + " pip install 'moto[server]==5.2.1' (.ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + "; CI=true, so the tests against moto must run");
            }
            Assumptions.abort(why + "; skipped because CI is not true");
        }
        return start();
    }

    /** Starts moto on a free loopback port and waits until it answers. */
    public static MotoServer start() {
        Path log = null;
        Process process = null;
        try {
            log = Files.createTempFile("moto-", ".log");
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitAnswer(process, endpoint, log);
            return new MotoServer(process, endpoint, log);
        } catch (IOException e) {
            stop(process);
            throw new UncheckedIOException("cannot start moto" + tail(log), e);
        } catch (RuntimeException | Error e) {
            stop(process);
            throw e;
        }
    }

    private static void awaitAnswer(Process process, URI endpoint, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + " before answering" + tail(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status > 0) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto", e);
            }
        }
        throw new IllegalStateException("moto did not answer on " + endpoint + " within " + START_TIMEOUT.toSeconds()
                + " s" + tail(log));
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Creates an enabled symmetric key ({@code CreateKey}). */
    public Key createKey() {
        KeyMetadata m = client.createKey(b -> b.description("dataenc test key")).keyMetadata();
        return new Key(m.keyId(), m.arn());
    }

    /** Creates an alias ({@code alias/NAME}) for a key id. */
    public void createAlias(String aliasName, String keyId) {
        client.createAlias(b -> b.aliasName(aliasName).targetKeyId(keyId));
    }

    /** Points an alias at another key id. */
    public void updateAlias(String aliasName, String keyId) {
        client.updateAlias(b -> b.aliasName(aliasName).targetKeyId(keyId));
    }

    /**
     * Settings of an {@code aws-kms} keystore using moto: {@code key-id}, {@code region}, {@code endpoint}, static
     * credentials, short retry backoff. Mutable.
     */
    public Map<String, String> keystoreSettings(String keyId) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("key-id", keyId);
        s.put("region", REGION);
        s.put("endpoint", endpoint.toString());
        s.put("access-key-id", "AKIDMOTO");
        s.put("secret-access-key", "moto-secret");
        s.put("retry-base-delay", "5ms");
        s.put("throttling-base-delay", "10ms");
        s.put("max-backoff", "200ms");
        return s;
    }

    /** Kills moto (and waits for it). */
    @Override
    public void close() {
        client.close();
        stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static String tail(Path log) {
        if (log == null) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "; moto's output ends: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "MotoServer[" + endpoint + ", region " + REGION + ", account " + ACCOUNT + "]";
    }
}
