package dev.dataenc.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dataenc.error.DataEncException;
import dev.dataenc.registry.RegistryUrlPolicy;
import dev.dataenc.registry.UnsafeRegistryUrlException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Jazzer targets for the configuration loader (real files, every key) and the registry URL policy: any input gives a
 * configuration or a typed error with a message ({@code DataEncConfigException}, {@code UnsafeRegistryUrlException}), never another
 * exception. See fuzz/README.md.
 */
class JazzerConfigFuzzTargets {

    static final Path DIR;
    static final Path FILE;
    static {
        try {
            DIR = Files.createTempDirectory("cfgfuzz", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            FILE = DIR.resolve("dataenc.properties");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    static final Function<String, String> ENV = n -> n.equals("PW") ? "secret" : n.equals("EMPTY") ? "" : null;

    static void checkMessage(String what, DataEncException e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            throw new AssertionError(what + ": no message", e);
        }
    }

    @FuzzTest(maxDuration = "4m")
    void config(byte[] data) throws IOException {
        String text = new String(data, UTF_8);
        // 1. the file path: ConfigLoader.load
        Files.writeString(FILE, text, UTF_8);
        Files.setPosixFilePermissions(FILE, PosixFilePermissions.fromString("rw-------"));
        try {
            ConfigLoader.load(FILE, ENV);
        } catch (DataEncConfigException e) {
            checkMessage("load", e);
        } catch (RuntimeException e) {
            throw new AssertionError("load: not DataEncConfigException: " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
        // 2. programmatic: fromMap over the same properties
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            return; // not properties syntax: load() above must have said so
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            map.put(name, p.getProperty(name));
        }
        try {
            ConfigLoader.fromMap(map, DIR, ENV);
        } catch (DataEncConfigException e) {
            checkMessage("fromMap", e);
        } catch (RuntimeException e) {
            throw new AssertionError("fromMap: not DataEncConfigException: " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
        // 3. every value as a registry URL
        for (String v : map.values()) {
            url(v);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void registryUrl(byte[] data) {
        url(new String(data, UTF_8));
    }

    static void url(String url) {
        try {
            RegistryUrlPolicy.check(url);
        } catch (UnsafeRegistryUrlException e) {
            checkMessage("check", e);
        } catch (RuntimeException e) {
            throw new AssertionError("RegistryUrlPolicy.check: untyped " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws Exception {
        Path root = Path.of(System.getProperty("fuzz.seedRoot"), "dev/dataenc/config/JazzerConfigFuzzTargetsInputs");
        Path c = root.resolve("config");
        Path u = root.resolve("registryUrl");
        Files.createDirectories(c);
        Files.createDirectories(u);
        try (var in = getClass().getResourceAsStream("/dev/dataenc/config/example-dataenc.properties")) {
            Files.write(c.resolve("example"), in.readAllBytes());
        }
        Files.writeString(c.resolve("min"), "dataenc.cipher-type=platform\ndataenc.keystore.active=primary\n"
                + "dataenc.keystores.primary.type=local\ndataenc.keystores.primary.path=ks.p12\n"
                + "dataenc.registry.url=jdbc:h2:file:/tmp/x/registry;CIPHER=AES\ndataenc.registry.password-env=PW\n"
                + "dataenc.cache.max-age=5m\ndataenc.cache.max-entries=100\ndataenc.cache.active-refresh=PT30S\n"
                + "dataenc.cache.legacy-cdks=decrypt-only\ndataenc.rotation.max-age=90d\ndataenc.rotation.max-messages=1_000\n"
                + "dataenc.reload.interval=10s\ndataenc.switch.lease=1m\ndataenc.keystore.switch-on-file-change=true\n"
                + "dataenc.cluster.stale-heartbeats=3\ndataenc.cluster.node-expiry=2h\n", UTF_8);
        Files.writeString(c.resolve("pg"), "dataenc.cipher-type=keystore\ndataenc.keystore.active=kms\n"
                + "dataenc.keystores.kms.type=aws-kms\ndataenc.keystores.kms.key-id=arn:x\n"
                + "dataenc.registry.url=jdbc:postgresql://localhost:5432/db?sslmode=require&user=a%20b\n"
                + "dataenc.registry.user=u\ndataenc.registry.password=p w\n", UTF_8);
        String[] urls = {"jdbc:h2:file:/var/lib/dataenc/registry", "jdbc:h2:file:./reg;CIPHER=AES;PASSWORD=a b;USER=x",
                "jdbc:postgresql://h:5432/d?ssl=true&socketFactory=x&%41=1", "jdbc:h2:mem:x", "jdbc:h2:file:zip:/a.zip!/r",
                "jdbc:mysql://h/d", "jdbc:h2:file:/r;INIT=RUNSCRIPT FROM 'x'"};
        for (int i = 0; i < urls.length; i++) {
            Files.writeString(u.resolve("u" + i), urls[i], UTF_8);
        }
    }
}
