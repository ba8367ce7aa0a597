package dev.dataenc.cli;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc demo}: on the embedded default (an H2 registry and {@code local} keystores, all in
 * the work directory, described by a real {@code dataenc.properties} there) it encrypts sample values
 * and a BLOB under keystore A, rotates the CDK, runs {@code dataenc status}, the dry run and the switch
 * to keystore B, decrypts everything with only keystore B configured, then shows two unsafe changes
 * refused with nothing changed. Never prints key bytes. Starts fresh on every run.
 *
 * <p>With the options of {@link DemoKeystoreBOptions}, keystore B is an {@code aws-kms}, {@code pkcs11} or
 * {@code azure-key-vault} keystore instead ({@link KeystoreBMode}; credentials from the SDKs' default chains, the
 * PKCS#11 PIN from {@code $DATAENC_PKCS11_PIN}); the switch is then platform &rarr; keystore and passes the
 * cipher-type confirmation that {@code dataenc switch} requires.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Encrypt under keystore A, rotate, switch to keystore B (re-wrap), decrypt with B alone, "
                + "and show unsafe changes refused.")
final class DemoCommand implements Callable<Integer> {

    /** Environment variable the demo keystores read their password from, when set. */
    static final String PASSWORD_ENV = "DATAENC_LOCAL_KEYSTORE_PASSWORD";
    private static final String DEMO_PASSWORD = "dataenc-demo-only";
    /** The largest sample BLOB, in MiB: 1 GiB (it is written to the work directory). */
    static final int MAX_BLOB_MIB = 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--work-dir", defaultValue = "dataenc-work",
            description = "Directory for the demo's configuration, keystore files, registry and BLOB (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--blob-mib", defaultValue = "8",
            description = "Size of the sample BLOB in MiB, 0 to " + MAX_BLOB_MIB + " (default: ${DEFAULT-VALUE}).")
    private int blobMib;

    @Mixin
    private DemoKeystoreBOptions keystoreBOptions;

    private PrintWriter out;
    private DemoWorkDir files;
    private KeystoreBMode keystoreB;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        if (blobMib < 0 || blobMib > MAX_BLOB_MIB) {
            throw new ParameterException(spec.commandLine(), "--blob-mib must be from 0 to " + MAX_BLOB_MIB + ", was "
                    + blobMib);
        }
        keystoreB = keystoreBOptions.mode(spec.commandLine());
        files = new DemoWorkDir(workDir);
        files.clean();
        boolean envPassword = System.getenv(PASSWORD_ENV) != null;
        files.writeConfig(envPassword ? null : DEMO_PASSWORD, keystoreB);
        out.println("dataenc demo in " + files.dir() + " (started fresh)");
        if (!keystoreB.description().isEmpty()) {
            out.println(keystoreB.description());
        }
        if (!envPassword) {
            out.println("note: " + PASSWORD_ENV + " is not set, so the demo keystores use a fixed demo password"
                    + " (written into the demo's configuration). Set it for anything real.");
        }
        DataEncConfig config = ConfigLoader.load(files.config());
        try {
            createKeystores(config);
            Samples samples = encryptUnderA(config);
            runCli("3. what an admin sees", "status");
            runCli("4. plan the switch to keystore-b (dry run: changes nothing)", "switch", "keystore-b", "--dry-run");
            if (!keystoreB.keystoreCipher()) {
                runCli("5. switch to keystore-b: new ACTIVE CDK under B, every CDK re-wrapped under B, no data re-encrypted",
                        "switch", "keystore-b");
            } else {
                runCli("5. switch to keystore-b (" + keystoreB.type() + "; cipher type platform -> keystore): new ACTIVE"
                        + " CDK made by keystore-b, every CDK re-wrapped under B, no data re-encrypted",
                        "switch", "keystore-b", "--cipher-type", "keystore");
            }
            decryptWithOnlyB(ConfigLoader.load(files.config()), samples);
            refuseUnsafeChanges();
        } finally {
            DemoWorkDir.shutdownQuietly(config.registry());
        }
        out.println("demo finished: every value and the BLOB decrypted to its original with keystore-b alone;"
                + " the unsafe changes were refused and changed nothing.");
        String shown = workDir.resolve(DemoWorkDir.CONFIG).toString();
        out.println("try the admin commands on it (see docs/ADMIN.md):");
        out.println("  ./dataenc status --config " + shown);
        out.println("  ./dataenc verify --config " + shown);
        out.println("  ./dataenc audit --config " + shown);
        out.println("  ./dataenc switch keystore-a --dry-run --config " + shown);
        out.println("  ./dataenc remove-wrappings keystore-a --dry-run --config " + shown);
        return 0;
    }

    /**
     * Creates the local keystores' master keys explicitly (opening a keystore never creates one), and a pkcs11
     * keystore-b's key on its token when the token has none with that label.
     */
    private void createKeystores(DataEncConfig config) {
        out.println("0. create the local keystores' master keys (dataenc keystore create; opening never creates one)");
        for (String ks : DemoWorkDir.KEYSTORES) {
            if (config.keystores().get(ks).type().equals("local")) {
                require(runCli("", "keystore", "create", ks) == 0, "dataenc keystore create " + ks + " failed");
            }
        }
        if (keystoreB instanceof KeystoreBMode.Pkcs11 pkcs11) {
            createOnTokenIfMissing(config.keystores().get("keystore-b"), pkcs11.keyLabel());
        }
    }

    private void createOnTokenIfMissing(KeystoreSettings settings, String keyLabel) {
        try (Keystore existing = Keystores.create(settings)) {
            out.println("   keystore-b: the token has a key labelled '" + keyLabel + "' (" + existing.describe().masterKeyId()
                    + "); the demo uses it");
        } catch (KeystoreUnavailableException e) {
            if (e.state() != MasterKeyState.NOT_FOUND) {
                throw e;
            }
            out.println("   keystore-b: the token has no key labelled '" + keyLabel + "'; the demo creates it there"
                    + " (non-extractable AES-256)");
            require(runCli("", "keystore", "create", "keystore-b") == 0, "dataenc keystore create keystore-b failed");
        }
    }

    /** Values, their ciphertexts and the BLOB's digest, made under keystore A. */
    private record Samples(Map<String, String> plain, Map<String, String> encrypted, byte[] blobSha256) {
    }

    private Samples encryptUnderA(DataEncConfig config) throws IOException {
        out.println("1. encrypt under keystore-a   (configuration " + config.source() + ")");
        try (ControlPlane plane = ControlPlane.open(config, ControlPlane.Options.app().withTool("dataenc-demo"))) {
            for (String ks : DemoWorkDir.KEYSTORES) {
                out.println("   " + plane.keystores().describe(ks).state() + "  " + plane.keystores().describe(ks).summary()
                        .replaceFirst(": ENABLED - .*", "") + (ks.equals("keystore-b") ? keystoreB.where()
                        : " in " + ks + ".p12"));
            }
            out.println("   registry " + plane.status().registryUrl());
            Cdk first = plane.registry().findActive().orElseThrow();
            out.println("   first ACTIVE CDK " + describe(first));
            PropertyCipher properties = plane.propertyCipher();
            Map<String, String> plain = new LinkedHashMap<>();
            plain.put("Customer.email", "ada@example.com");
            plain.put("Customer.iban", "GB82 WEST 1234 5698 7654 32");
            plain.put("Customer.phone", "+44 20 7946 0000");
            Map<String, String> encrypted = new LinkedHashMap<>();
            plain.forEach((field, value) -> encrypted.put(field, encryptAndShow(properties, field, value)));
            try {
                properties.decryptString(encrypted.get("Customer.email"), "Customer.iban");
                throw new DataEncException("demo failed: a ciphertext decrypted under the wrong context");
            } catch (DecryptionFailedException expected) {
                out.println("   the email ciphertext pasted into the IBAN column is refused: "
                        + expected.getClass().getSimpleName());
            }
            long size = (long) blobMib << 20;
            long t0 = System.nanoTime();
            byte[] digest = DemoBlob.encrypt(plane.blobCipher(), files.blob(), size);
            byte[] header = new byte[64];
            try (var in = Files.newInputStream(files.blob())) {
                in.readNBytes(header, 0, header.length);
            }
            out.printf("   BLOB %d MiB -> %s (%,d bytes, streamed, CDK %s) in %d ms, SHA-256 %s%n", blobMib, DemoWorkDir.BLOB,
                    Files.size(files.blob()), cdkOfBlob(header), (System.nanoTime() - t0) / 1_000_000,
                    DemoBlob.shortHex(digest));

            out.println("2. rotate the CDK (dataenc rotate-cdk)");
            Cdk second = plane.rotateCdk("demo: scheduled rotation");
            out.println("   ACTIVE CDK " + first.id() + " -> " + second.id() + "; " + first.id() + " is now "
                    + plane.registry().find(first.id()).orElseThrow().status() + " (its data still decrypts)");
            String note = "prefers paper invoices";
            plain.put("Customer.note", note);
            encrypted.put("Customer.note", encryptAndShow(properties, "Customer.note", note));
            return new Samples(plain, encrypted, digest);
        }
    }

    private String encryptAndShow(PropertyCipher properties, String field, String value) {
        String ct = properties.encryptString(value, field);
        out.printf("   %-15s %-31s -> %s...%s  (CDK %s)%n", field, "\"" + value + "\"", ct.substring(0, 20),
                ct.substring(ct.length() - 8), PropertyCipher.cdkIdOf(ct));
        return ct;
    }

    private static String cdkOfBlob(byte[] header) {
        try {
            return String.valueOf(dev.dataenc.envelope.BlobCipher.cdkIdOf(header));
        } catch (DataEncException e) {
            return "?";
        }
    }

    /** Runs a real {@code dataenc} command in this process and prints its output indented. */
    private int runCli(String title, String... args) {
        if (!title.isEmpty()) {
            out.println(title);
        }
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = files.config().toString();
        out.println("   $ dataenc " + String.join(" ", args));
        StringWriter captured = new StringWriter();
        PrintWriter w = new PrintWriter(captured, true);
        int code = DataencCli.run(w, w, false, full);
        w.flush();
        captured.toString().lines().forEach(l -> out.println("     " + l));
        if (code != 0) {
            out.println("     (exit code " + code + ")");
        }
        return code;
    }

    private void decryptWithOnlyB(DataEncConfig fileConfig, Samples samples) throws IOException {
        out.println("6. decrypt everything with ONLY keystore-b configured (keystore-a's file is not even opened)");
        require(fileConfig.activeKeystore().equals("keystore-b"), "the switch did not write keystore-b into the configuration");
        out.println("   " + DemoWorkDir.CONFIG + " now says dataenc.keystore.active=" + fileConfig.activeKeystore());
        DataEncConfig onlyB = only(fileConfig, "keystore-b", "keystore-b");
        try (ControlPlane plane = ControlPlane.open(onlyB, ControlPlane.Options.admin("dataenc-demo"))) {
            for (Map.Entry<String, String> e : samples.encrypted().entrySet()) {
                String back = plane.propertyCipher().decryptString(e.getValue(), e.getKey());
                require(back.equals(samples.plain().get(e.getKey())), "decrypted " + e.getKey() + " differs");
            }
            out.println("   decrypted all " + samples.encrypted().size() + " values: identical to the originals");
            byte[] digest = DemoBlob.decrypt(plane.blobCipher(), files.blob());
            require(MessageDigest.isEqual(digest, samples.blobSha256()), "the BLOB's SHA-256 differs");
            out.println("   BLOB decrypted: SHA-256 matches the original (" + DemoBlob.shortHex(digest) + ")");
            out.println("   verify: " + plane.verify().lines().get(0));
        }
    }

    private void refuseUnsafeChanges() {
        out.println("7. unsafe changes are refused, and change nothing");
        DataEncConfig fileConfig = ConfigLoader.load(files.config());
        try (ControlPlane plane = ControlPlane.open(fileConfig, ControlPlane.Options.admin("dataenc-demo"))) {
            ((MasterKeyAdmin) plane.keystores().get("keystore-c").orElseThrow()).disableMasterKey();
            out.println("   keystore-c's master key was DISABLED (as an admin, or a KMS key scheduled for deletion, would be)");
            String before = snapshot(plane);
            byte[] fileBefore = readConfig();

            int code = !keystoreB.keystoreCipher() ? runCli("   a) switch to keystore-c", "switch", "keystore-c")
                    : runCli("   a) switch to keystore-c", "switch", "keystore-c", "--cipher-type", "platform");
            require(code == DataencCli.EXIT_FAILURE, "the switch to a disabled master key was not refused");

            out.println("   b) a configuration without keystore-b, which holds the only wrapping of the ACTIVE CDK");
            DataEncConfig withoutB = only(fileConfig, "keystore-a", "keystore-a", "keystore-c");
            boolean applied = plane.apply(withoutB);
            require(!applied, "removing keystore-b from the configuration was not refused");
            out.println("     refused: " + plane.status().lastRefusal().orElse("?"));

            require(before.equals(snapshot(plane)), "a refused change changed the registry");
            require(MessageDigest.isEqual(fileBefore, readConfig()), "a refused change changed the configuration file");
            out.println("   nothing changed: " + before + "; " + DemoWorkDir.CONFIG + " is byte-for-byte the same");
        }
    }

    private byte[] readConfig() {
        try {
            return Files.readAllBytes(files.config());
        } catch (IOException e) {
            throw new DataEncException("demo failed: cannot read " + files.config() + ": " + e.getMessage(), e);
        }
    }

    /** The registry's state in one line: active keystore and every CDK's status and wrappings. */
    private static String snapshot(ControlPlane plane) {
        List<Cdk> cdks = plane.registry().list();
        return "active keystore '" + plane.jobs().state().orElseThrow().activeKeystore() + "', " + cdks.size() + " CDKs "
                + cdks.stream().map(c -> c.status() + "[" + keystoresOf(c) + "]").collect(Collectors.joining(" "));
    }

    private static String describe(Cdk cdk) {
        return cdk.id() + " " + cdk.status() + ", wrapped by " + keystoresOf(cdk)
                + " (only wrapped bytes are stored; the plaintext CDK never is)";
    }

    private static String keystoresOf(Cdk cdk) {
        return cdk.wrappings().stream().map(Wrapping::keystoreName).distinct().collect(Collectors.joining(","));
    }

    /** {@code config} with only the named keystores, {@code active} active. */
    private static DataEncConfig only(DataEncConfig config, String active, String... keep) {
        Map<String, KeystoreSettings> kept = new LinkedHashMap<>();
        for (String k : keep) {
            kept.put(k, config.keystores().get(k));
        }
        return new DataEncConfig(config.source(), CipherType.ofKeystoreType(kept.get(active).type()), active, kept,
                config.registry(), config.cache(), config.rotation(), config.reloadInterval(), config.switchLease());
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new DataEncException("demo failed: " + what);
        }
    }

}
