package dev.dataenc.config;

import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.envelope.LegacyCdkPolicy;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.registry.RegistryDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final Function<String, String> ENV = Map.of(
            "REG_PW", "registry-secret-1")::get;

    /** A minimal valid file: one local keystore. */
    private static final List<String> MINIMAL = List.of(
            "dataenc.cipher-type=platform",
            "dataenc.keystore.active=primary",
            "dataenc.keystores.primary.type=local",
            "dataenc.keystores.primary.path=primary.p12");

    @TempDir
    Path dir;

    private Path write(List<String> lines) throws IOException {
        Path f = dir.resolve("dataenc.properties");
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    private Path write(String... lines) throws IOException {
        return write(List.of(lines));
    }

    private Path minimalPlus(String... extra) throws IOException {
        List<String> lines = new java.util.ArrayList<>(MINIMAL);
        lines.addAll(List.of(extra));
        return write(lines);
    }

    private DataEncConfigException rejected(Path file) {
        return assertThrows(DataEncConfigException.class, () -> ConfigLoader.load(file, ENV));
    }

    private static void assertProblem(DataEncConfigException e, String key, String... fragments) {
        DataEncConfigException.Problem p = e.problems().stream().filter(x -> key.equals(x.key())).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + key + " in: " + e.getMessage()));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        for (String f : fragments) {
            assertTrue(p.message().contains(f), "expected '" + f + "' in: " + p.message());
        }
    }

    @Test
    void fullValidFile_loadsEveryValue() throws IOException {
        Path file = write(
                "# comment",
                "other.app.key = ignored, not ours",
                "dataenc.cipher-type = custom",
                "dataenc.keystore.active = site",
                "dataenc.keystores.primary.type = local",
                "dataenc.keystores.primary.path = keys/primary.p12",
                "dataenc.keystores.primary.password-env = PRIMARY_PW",
                "dataenc.keystores.primary.master-key = main",
                "dataenc.keystores.primary.wrap-algorithm = aes-kwp",
                "dataenc.keystores.primary.create = false",
                "dataenc.keystores.backup.type = local",
                "dataenc.keystores.backup.path = /srv/keys/backup.p12",
                "dataenc.keystores.site.type = custom",
                "dataenc.keystores.site.class = com.example.SiteCipher",
                "dataenc.keystores.site.labels = a,b,c",
                "dataenc.keystores.site.template = ${not.interpolated}",
                "dataenc.registry.url = jdbc:postgresql://db.example.com:5432/dataenc?ssl=true&sslmode=verify-full",
                "dataenc.registry.user = dataenc",
                "dataenc.registry.password-env = REG_PW",
                "dataenc.registry.connect-timeout = 1500ms",
                "dataenc.cache.max-age = PT2M",
                "dataenc.cache.max-entries = 500",
                "dataenc.cache.active-refresh = 3s",
                "dataenc.rotation.max-age = 30d",
                "dataenc.rotation.max-messages = 1000000",
                "dataenc.reload.interval = 2s",
                "dataenc.switch.lease = 1m");

        DataEncConfig c = ConfigLoader.load(file, ENV);

        KeystoreSettings primary = c.keystores().get("primary");
        KeystoreSettings site = c.keystores().get("site");
        assertAll(
                () -> assertEquals(file.toAbsolutePath(), c.source()),
                () -> assertEquals(CipherType.CUSTOM, c.cipherType()),
                () -> assertEquals("site", c.activeKeystore()),
                () -> assertEquals(List.of("primary", "backup", "site"), List.copyOf(c.keystores().keySet())),
                () -> assertEquals("local", primary.type()),
                () -> assertEquals(dir.toAbsolutePath().resolve("keys/primary.p12").toString(), primary.values().get("path")),
                () -> assertEquals(Map.of("path", dir.toAbsolutePath().resolve("keys/primary.p12").toString(),
                        "password-env", "PRIMARY_PW", "master-key", "main", "wrap-algorithm", "aes-kwp", "create", "false"),
                        primary.values()),
                () -> assertEquals("/srv/keys/backup.p12", c.keystores().get("backup").values().get("path")),
                () -> assertEquals(Map.of("class", "com.example.SiteCipher", "labels", "a,b,c",
                        "template", "${not.interpolated}"), site.values()),
                () -> assertEquals("jdbc:postgresql://db.example.com:5432/dataenc?ssl=true&sslmode=verify-full", c.registry().url()),
                () -> assertEquals("dataenc", c.registry().user()),
                () -> assertEquals("registry-secret-1", c.registry().password()),
                () -> assertEquals(Duration.ofMillis(1500), c.registry().connectTimeout()),
                () -> assertEquals(new CacheLimits(Duration.ofMinutes(2), 500, Duration.ofSeconds(3)), c.cache()),
                () -> assertEquals(new RotationPolicy(Duration.ofDays(30), 1_000_000), c.rotation()),
                () -> assertEquals(Duration.ofSeconds(2), c.reloadInterval()),
                () -> assertEquals(Duration.ofMinutes(1), c.switchLease()),
                () -> assertFalse(c.toString().contains("registry-secret-1"), c.toString()));
    }

    @Test
    void minimalFile_getsDocumentedDefaults() throws IOException {
        DataEncConfig c = ConfigLoader.load(write(MINIMAL), ENV);

        assertAll(
                () -> assertEquals(RegistryDatabase.h2Url(dir), c.registry().url()),
                () -> assertEquals(ConfigLoader.defaultRegistryUrl(dir), c.registry().url()),
                () -> assertNull(c.registry().user()),
                () -> assertNull(c.registry().password()),
                () -> assertEquals(Duration.ofSeconds(5), c.registry().connectTimeout()),
                () -> assertEquals(CacheLimits.defaults(), c.cache()),
                () -> assertEquals(RotationPolicy.defaults(), c.rotation()),
                () -> assertEquals(Duration.ofSeconds(10), c.reloadInterval()),
                () -> assertEquals(Duration.ofSeconds(30), c.switchLease()));
    }

    @Test
    void inlineSecrets_neverAppearInMessagesOrToString() throws IOException {
        Path file = minimalPlus(
                "dataenc.keystores.primary.password = keystore-secret-2",
                "dataenc.registry.password = registry-secret-3",
                "dataenc.registry.password-env = REG_PW",
                "dataenc.cache.max-age = soon");

        DataEncConfigException e = rejected(file);

        assertProblem(e, ConfigLoader.REGISTRY_PASSWORD_ENV, "set only one");
        assertFalse(e.getMessage().contains("secret"), e.getMessage());

        DataEncConfig ok = ConfigLoader.load(minimalPlus("dataenc.keystores.primary.password = keystore-secret-2",
                "dataenc.registry.password = registry-secret-3"), ENV);
        assertEquals("keystore-secret-2", ok.activeKeystoreSettings().values().get("password"));
        assertFalse(ok.toString().contains("secret"), ok.toString());
    }

    @Test
    void unknownTopLevelKey_isRejectedWithSuggestion() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.cache.max-ages = 5m"));

        assertProblem(e, "dataenc.cache.max-ages", "unknown key", "did you mean `dataenc.cache.max-age`?",
                "dataenc.cache.max-entries");
        assertEquals("dataenc.cache.max-ages", e.key());
    }

    @Test
    void unknownKeyWithoutCloseMatch_listsValidKeys() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.colour = blue"));

        assertProblem(e, "dataenc.colour", "unknown key", ConfigLoader.CIPHER_TYPE, ConfigLoader.SWITCH_LEASE);
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void legacyCdkPolicy_readInEitherSpelling_defaultWarn_otherValuesRejected() throws IOException {
        assertEquals(LegacyCdkPolicy.WARN, ConfigLoader.load(minimalPlus(), ENV).cache().legacyCdks());
        assertEquals(LegacyCdkPolicy.DECRYPT_ONLY,
                ConfigLoader.load(minimalPlus("dataenc.cache.legacy-cdks = decrypt-only"), ENV).cache().legacyCdks());
        assertEquals(LegacyCdkPolicy.REFUSE,
                ConfigLoader.load(minimalPlus("dataenc.cache.legacy-cdks = REFUSE"), ENV).cache().legacyCdks());

        DataEncConfigException e = rejected(minimalPlus("dataenc.cache.legacy-cdks = strict"));
        assertProblem(e, ConfigLoader.CACHE_LEGACY_CDKS, "'strict'", "warn, decrypt-only or refuse");
    }

    @Test
    void singularKeystorePrefix_pointsToPluralForm() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.keystore.backup.type = local"));

        assertProblem(e, "dataenc.keystore.backup.type", "dataenc.keystores.backup.type");
    }

    @Test
    void unknownKeystoreType_listsRegisteredTypes() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.keystores.backup.type = hsm"));

        assertProblem(e, "dataenc.keystores.backup.type", "unknown keystore type 'hsm'", "registered types:", "local",
                "custom");
    }

    @Test
    void misspeltKeystoreType_suggestsRegisteredOne() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.keystores.backup.type = locl"));

        assertProblem(e, "dataenc.keystores.backup.type", "did you mean `local`?");
    }

    @Test
    void keystoreWithoutType_isRejected() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.keystores.backup.path = backup.p12"));

        assertProblem(e, "dataenc.keystores.backup.type", "missing", "local");
    }

    @Test
    void activeKeystoreNotConfigured_isRejected() throws IOException {
        DataEncConfigException e = rejected(write(
                "dataenc.cipher-type=platform",
                "dataenc.keystore.active=primray",
                "dataenc.keystores.primary.type=local",
                "dataenc.keystores.primary.path=primary.p12"));

        assertProblem(e, ConfigLoader.KEYSTORE_ACTIVE, "'primray'", "not configured", "did you mean `primary`?",
                "configured keystores: primary");
    }

    @Test
    void noKeystoreAtAll_isRejected() throws IOException {
        DataEncConfigException e = rejected(write("dataenc.cipher-type=platform", "dataenc.keystore.active=primary"));

        assertProblem(e, "dataenc.keystores.<name>.type", "no keystore is configured");
        assertProblem(e, ConfigLoader.KEYSTORE_ACTIVE, "not configured");
    }

    @Test
    void requiredKeysMissing_areRejected() throws IOException {
        DataEncConfigException e = rejected(write("dataenc.keystores.primary.type=local"));

        assertProblem(e, ConfigLoader.CIPHER_TYPE, "missing", "platform, custom, keystore");
        assertProblem(e, ConfigLoader.KEYSTORE_ACTIVE, "missing", "primary");
    }

    @Test
    void cipherTypeMismatch_namesBothKeysAndTheFix() throws IOException {
        DataEncConfigException e = rejected(write(
                "dataenc.cipher-type=keystore",
                "dataenc.keystore.active=primary",
                "dataenc.keystores.primary.type=local",
                "dataenc.keystores.primary.path=primary.p12"));

        assertProblem(e, ConfigLoader.CIPHER_TYPE, "'keystore'", ConfigLoader.KEYSTORE_ACTIVE, "type 'local'",
                "set dataenc.cipher-type=platform");
    }

    @Test
    void invalidCipherType_listsValidValues() throws IOException {
        DataEncConfigException e = rejected(write(
                "dataenc.cipher-type=platfrom",
                "dataenc.keystore.active=primary",
                "dataenc.keystores.primary.type=local"));

        assertProblem(e, ConfigLoader.CIPHER_TYPE, "'platfrom'", "did you mean `platform`?", "platform, custom, keystore");
    }

    @Test
    void badDuration_isRejectedWithAcceptedForms() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.cache.max-age = 5 minutes"));

        assertProblem(e, ConfigLoader.CACHE_MAX_AGE, "'5 minutes' is not a duration", "300s", "PT5M");
    }

    @Test
    void registryConnectTimeout_outOfRangeOrNotADuration_isRejected() throws IOException {
        assertProblem(rejected(minimalPlus("dataenc.registry.connect-timeout = 100ms")),
                ConfigLoader.REGISTRY_CONNECT_TIMEOUT, "100ms", "out of range", "250ms", "10m");
        assertProblem(rejected(minimalPlus("dataenc.registry.connect-timeout = 1h")),
                ConfigLoader.REGISTRY_CONNECT_TIMEOUT, "out of range");
        assertProblem(rejected(minimalPlus("dataenc.registry.connect-timeout = fast")),
                ConfigLoader.REGISTRY_CONNECT_TIMEOUT, "'fast' is not a duration", "default 5s");
    }

    @Test
    void rotationMaxAgeTenDays_isOutOfRange() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.rotation.max-age = 10d"));

        assertProblem(e, ConfigLoader.ROTATION_MAX_AGE, "10d", "allowed 30d to 365d");
    }

    @Test
    void numbersOutOfRange_areRejected() throws IOException {
        DataEncConfigException e = rejected(minimalPlus(
                "dataenc.rotation.max-messages = 4294967297",
                "dataenc.cache.max-entries = 0",
                "dataenc.reload.interval = 500ms",
                "dataenc.switch.lease = 0s"));

        assertProblem(e, ConfigLoader.ROTATION_MAX_MESSAGES, "1 to 4294967296");
        assertProblem(e, ConfigLoader.CACHE_MAX_ENTRIES, "1 to ");
        assertProblem(e, ConfigLoader.RELOAD_INTERVAL, "at least 1s");
        assertProblem(e, ConfigLoader.SWITCH_LEASE, "at least 1s");
    }

    @Test
    void clusterKeys_defaultToRegistryDecides_andAreRead() throws IOException {
        DataEncConfig defaults = ConfigLoader.load(minimalPlus(), ENV);
        assertEquals(ClusterSettings.defaults(), defaults.cluster());

        DataEncConfig set = ConfigLoader.load(minimalPlus("dataenc.keystore.switch-on-file-change = TRUE",
                "dataenc.cluster.stale-heartbeats = 5", "dataenc.cluster.node-expiry = 2h"), ENV);

        assertEquals(new ClusterSettings(true, 5, java.time.Duration.ofHours(2)), set.cluster());
        assertEquals(set.cluster(), set.withActiveKeystore("primary").cluster(), "kept across a change of active keystore");
    }

    @Test
    void clusterKeys_badValues_areRejectedWithWhatIsValid() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.keystore.switch-on-file-change = yes",
                "dataenc.cluster.stale-heartbeats = 0", "dataenc.cluster.node-expiry = 10s"));

        assertProblem(e, ConfigLoader.SWITCH_ON_FILE_CHANGE, "'yes'", "true or false");
        assertProblem(e, ConfigLoader.CLUSTER_STALE_HEARTBEATS, "1 to 1000");
        assertProblem(e, ConfigLoader.CLUSTER_NODE_EXPIRY, "at least 1m");
    }

    @Test
    void unknownLocalSetting_suggestsCorrectSetting() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.keystores.primary.wrap-algoritm = aes-kwp"));

        assertProblem(e, "dataenc.keystores.primary.wrap-algoritm", "unknown setting for keystore type 'local'",
                "did you mean `wrap-algorithm`?", "master-key");
    }

    @Test
    void customKeystoreSettings_areNotValidated() throws IOException {
        DataEncConfig c = ConfigLoader.load(write(
                "dataenc.cipher-type=custom",
                "dataenc.keystore.active=site",
                "dataenc.keystores.site.type=custom",
                "dataenc.keystores.site.class=com.example.Cipher",
                "dataenc.keystores.site.anything.goes=yes"), ENV);

        assertEquals("yes", c.activeKeystoreSettings().values().get("anything.goes"));
    }

    @Test
    void missingPasswordEnvVariable_isNamed() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.registry.password-env = DATAENC_REG_PW_UNSET"));

        assertProblem(e, ConfigLoader.REGISTRY_PASSWORD_ENV, "DATAENC_REG_PW_UNSET", "not set");
    }

    @Test
    void invalidKeystoreName_isRejected() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.keystores.Backup.type = local"));

        assertProblem(e, "dataenc.keystores.Backup.type", "keystore name 'Backup' is not valid");
    }

    @Test
    void duplicateKey_isRejected() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.cache.max-age = 5m", "dataenc.cache.max-age = 6m"));

        assertProblem(e, ConfigLoader.CACHE_MAX_AGE, "set 2 times");
    }

    @Test
    void registryUrlNotJdbc_isRejected() throws IOException {
        DataEncConfigException e = rejected(minimalPlus("dataenc.registry.url = postgres://db/x"));

        assertProblem(e, ConfigLoader.REGISTRY_URL, "not a JDBC URL", "jdbc:postgresql://");
    }

    @Test
    void missingFile_namesPathAndReason() {
        Path missing = dir.resolve("nope.properties");

        DataEncConfigException e = assertThrows(DataEncConfigException.class, () -> ConfigLoader.load(missing, ENV));

        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void directoryInsteadOfFile_namesPathAndReason() throws IOException {
        Path d = Files.createDirectory(dir.resolve("conf.properties"));

        DataEncConfigException e = assertThrows(DataEncConfigException.class, () -> ConfigLoader.load(d, ENV));

        assertTrue(e.getMessage().contains(d.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void severalProblems_areAllReportedAtOnce() throws IOException {
        Path file = write(
                "dataenc.cipher-type=keystore",
                "dataenc.keystore.active=primary",
                "dataenc.keystores.primary.type=local",
                "dataenc.keystores.primary.wrap-algoritm=aes-gcm",
                "dataenc.keystores.backup.type=hsm",
                "dataenc.cache.max-age=soon",
                "dataenc.rotation.max-age=10d",
                "dataenc.registry.password-env=NOT_SET_ANYWHERE",
                "dataenc.swich.lease=30s");

        DataEncConfigException e = rejected(file);

        assertEquals(7, e.problems().size(), e.getMessage());
        assertProblem(e, ConfigLoader.CIPHER_TYPE, "platform");
        assertProblem(e, "dataenc.keystores.primary.wrap-algoritm", "wrap-algorithm");
        assertProblem(e, "dataenc.keystores.backup.type", "hsm");
        assertProblem(e, ConfigLoader.CACHE_MAX_AGE, "soon");
        assertProblem(e, ConfigLoader.ROTATION_MAX_AGE, "10d");
        assertProblem(e, ConfigLoader.REGISTRY_PASSWORD_ENV, "NOT_SET_ANYWHERE");
        assertProblem(e, "dataenc.swich.lease", "did you mean `dataenc.switch.lease`?");
        String[] lines = e.getMessage().split("\\R");
        assertEquals(8, lines.length, e.getMessage());
        assertTrue(lines[0].contains(file.toAbsolutePath().toString()) && lines[0].contains("7 problems"), lines[0]);
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("  dataenc.properties: dataenc."), lines[i]);
        }
    }
}
