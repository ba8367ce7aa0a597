package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkGenerator;
import dev.dataenc.cdk.CdkRegistry;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.envelope.CdkCache;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.JdbcCdkRegistry;
import dev.dataenc.registry.RegistryDatabase;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc demo}: encrypts sample property values and a BLOB with a {@code local} keystore
 * (master key in a PKCS#12 file under the work directory) and the embedded H2 CDK registry, decrypts them, rotates the CDK and
 * shows that old ciphertexts still decrypt. Prints what it did; never prints key bytes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Encrypt and decrypt sample values and a BLOB with a local keystore, then rotate the CDK.")
final class DemoCommand implements Callable<Integer> {

    /** Environment variable the demo reads the local keystore password from, when set. */
    static final String PASSWORD_ENV = "DATAENC_LOCAL_KEYSTORE_PASSWORD";

    @Spec
    private CommandSpec spec;

    @Option(names = "--work-dir", defaultValue = "dataenc-work",
            description = "Directory for the demo's keystore file and BLOB files (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--blob-mib", defaultValue = "8",
            description = "Size of the sample BLOB in MiB (default: ${DEFAULT-VALUE}).")
    private int blobMib;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(workDir);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("path", workDir.resolve("demo-local.p12").toString());
        if (System.getenv(PASSWORD_ENV) == null) {
            settings.put("password", "dataenc-demo-only");
            out.println("note: " + PASSWORD_ENV + " is not set, so the demo keystore uses a fixed demo password."
                    + " Set it for anything real.");
        }
        try (RegistryDatabase db = RegistryDatabase.open(RegistryDatabase.h2Url(workDir), "sa", "");
             Keystore keystore = Keystores.create(KeystoreSettings.of("demo-local", "local", settings));
             CdkCache cache = new CdkCache(new JdbcCdkRegistry(db), List.of(keystore), CacheLimits.defaults())) {
            CdkRegistry registry = new JdbcCdkRegistry(db);
            out.println("1. keystore   " + keystore.describe().summary());
            out.println("   file       " + settings.get("path"));
            out.println("   registry   " + db.displayUrl() + " (embedded H2; "
                    + registry.list().size() + " CDKs from earlier runs)");

            CdkGenerator generator = new CdkGenerator(registry);
            Cdk first = generator.generateActive(keystore);
            printCdk(out, "2. new CDK  ", first);

            PropertyCipher properties = new PropertyCipher(cache);
            Map<String, String> samples = new LinkedHashMap<>();
            samples.put("Customer.email", "ada@example.com");
            samples.put("Customer.phone", "+44 20 7946 0000");
            samples.put("Customer.note", "prefers paper invoices — ünïcödé ok");
            Map<String, String> encrypted = new LinkedHashMap<>();
            out.println("3. properties (plaintext -> text-form ciphertext, context = field)");
            for (Map.Entry<String, String> e : samples.entrySet()) {
                String ct = properties.encryptString(e.getValue(), e.getKey());
                encrypted.put(e.getKey(), ct);
                out.printf("   %-15s %-40s -> %s...%s%n", e.getKey(), "\"" + e.getValue() + "\"", ct.substring(0, 24), ct.substring(ct.length() - 12));
            }
            for (Map.Entry<String, String> e : encrypted.entrySet()) {
                String back = properties.decryptString(e.getValue(), e.getKey());
                require(back.equals(samples.get(e.getKey())), "decrypted " + e.getKey() + " differs");
            }
            out.println("   decrypted all " + encrypted.size() + " values: identical to the originals");
            try {
                properties.decryptString(encrypted.get("Customer.email"), "Customer.phone");
                throw new DataEncException("demo failed: a ciphertext decrypted under the wrong context");
            } catch (DecryptionFailedException expected) {
                out.println("   the email ciphertext pasted into the phone column is refused: "
                        + expected.getClass().getSimpleName());
            }

            out.println("4. BLOB       " + blobMib + " MiB, streamed (segmented AES-256-GCM, per-BLOB HKDF key)");
            blobRoundTrip(out, new BlobCipher(cache));

            Cdk second = generator.generateActive(keystore);
            cache.invalidateActive();
            printCdk(out, "5. rotated  ", second);
            String fresh = properties.encryptString("new value after rotation", "Customer.note");
            require(PropertyCipher.cdkIdOf(fresh).equals(second.id()), "new ciphertext does not name the new CDK");
            for (Map.Entry<String, String> e : encrypted.entrySet()) {
                require(properties.decryptString(e.getValue(), e.getKey()).equals(samples.get(e.getKey())),
                        "old ciphertext no longer decrypts after rotation");
                require(PropertyCipher.cdkIdOf(e.getValue()).equals(first.id()), "old ciphertext lost its CDK id");
            }
            out.println("   new values name CDK " + second.id() + "; the " + encrypted.size()
                    + " old values still decrypt with CDK " + first.id() + " (now "
                    + registry.find(first.id()).orElseThrow().status() + ")");
            out.println("6. cache      " + cache.stats());
            out.println("demo finished: every value and the BLOB decrypted to its original.");
        }
        return 0;
    }

    private void blobRoundTrip(PrintWriter out, BlobCipher blobs) throws IOException {
        Path encrypted = workDir.resolve("sample-blob.enc");
        long size = (long) blobMib << 20;
        MessageDigest sourceDigest = sha256();
        MessageDigest resultDigest = sha256();
        long t0 = System.nanoTime();
        try (InputStream source = new DigestInputStream(new SampleData(size), sourceDigest);
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(encrypted))) {
            blobs.encrypt(source, file, "Invoice.pdf");
        }
        long t1 = System.nanoTime();
        long restored;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(encrypted));
             OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), resultDigest)) {
            restored = blobs.decrypt(file, sink, "Invoice.pdf");
        }
        long t2 = System.nanoTime();
        byte[] a = sourceDigest.digest();
        byte[] b = resultDigest.digest();
        require(MessageDigest.isEqual(a, b) && restored == size, "BLOB round trip differs");
        long encSize = Files.size(encrypted);
        out.printf("   encrypted %,d -> %,d bytes (+%,d overhead) in %d ms; decrypted in %d ms%n",
                size, encSize, encSize - size, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        out.println("   SHA-256 of original and decrypted BLOB match: " + HexFormat.of().formatHex(a, 0, 8) + "...");
        Files.delete(encrypted);
    }

    private static void printCdk(PrintWriter out, String label, Cdk cdk) {
        Wrapping w = cdk.wrappings().get(0);
        out.println(label + " " + cdk.id() + " " + cdk.status() + ", wrapped by keystore '" + w.keystoreName()
                + "' master key " + w.masterKeyId() + (w.masterKeyVersion().isEmpty() ? "" : " v" + w.masterKeyVersion())
                + " (" + w.wrappedKey().length + " wrapped bytes; the plaintext CDK is never stored)");
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new DataEncException("demo failed: " + what);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deterministic pseudo-random bytes generated on the fly, so any size needs no memory. */
    private static final class SampleData extends InputStream {
        private final SplittableRandom random = new SplittableRandom(42);
        private long remaining;

        SampleData(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            remaining -= n;
            return n;
        }
    }

}
