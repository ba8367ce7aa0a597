package dev.dataenc.azure.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed TLS certificate for {@code 127.0.0.1}/{@code localhost}, made once per JVM with the JDK's
 * {@code keytool} in a temporary directory, with the server's and the client's SSL contexts.
 */
public final class SelfSignedCertificate {

    private static final char[] PASSWORD = "test-only-keystore".toCharArray();
    private static volatile SelfSignedCertificate instance;

    private final SSLContext server;
    private final SSLContext client;

    private SelfSignedCertificate(SSLContext server, SSLContext client) {
        this.server = server;
        this.client = client;
    }

    /** The JVM's certificate, made on first use. */
    public static SelfSignedCertificate get() {
        SelfSignedCertificate c = instance;
        if (c == null) {
            synchronized (SelfSignedCertificate.class) {
                if (instance == null) {
                    instance = make();
                }
                c = instance;
            }
        }
        return c;
    }

    /** The server side: presents the certificate. */
    public SSLContext serverContext() {
        return server;
    }

    /** The client side: trusts exactly this certificate. */
    public SSLContext clientContext() {
        return client;
    }

    private static SelfSignedCertificate make() {
        try {
            Path dir = Files.createTempDirectory("dataenc-kv-tls");
            Path p12 = dir.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "kv", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                ks.load(in, PASSWORD);
            }
            Files.delete(p12);
            Files.delete(dir);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            Certificate cert = ks.getCertificate("kv");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("kv", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new SelfSignedCertificate(server, client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
