package dev.dataenc.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the {@code local} keystore beyond the contract, with real PKCS#12 files. */
class LocalKeystoreTest {

    private static final String PASSWORD = "s3cret-Pa55word-xyz";

    @TempDir
    Path dir;

    private final List<LocalKeystore> opened = new java.util.ArrayList<>();

    /** The default master key's file, as {@code dataenc keystore create} leaves it (a copy: see LocalKeystoreFiles). */
    @BeforeEach
    void masterKeyFile() {
        LocalKeystoreFiles.provide(KeystoreSettings.of("local-a", "local", settings()));
    }

    @AfterEach
    void closeAll() {
        opened.forEach(LocalKeystore::close);
    }

    private Path file() {
        return dir.resolve("master.p12");
    }

    private Map<String, String> settings(String... extra) {
        Map<String, String> m = new HashMap<>();
        m.put("path", file().toString());
        m.put("password", PASSWORD);
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                m.remove(extra[i]);
            } else {
                m.put(extra[i], extra[i + 1]);
            }
        }
        return m;
    }

    private LocalKeystore open(Map<String, String> values) {
        return open(values, name -> null);
    }

    private LocalKeystore open(Map<String, String> values, Function<String, String> env) {
        LocalKeystore ks = LocalKeystore.open(KeystoreSettings.of("local-a", "local", values), env);
        opened.add(ks);
        return ks;
    }

    private KeystoreConfigurationException configError(Map<String, String> values) {
        return configError(values, name -> null);
    }

    private KeystoreConfigurationException configError(Map<String, String> values, Function<String, String> env) {
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> open(values, env));
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-password"), e.getMessage());
        return e;
    }

    private MasterKeyDescription create(Map<String, String> values) {
        return LocalKeystore.createMasterKey(KeystoreSettings.of("local-a", "local", values), name -> null);
    }

    @Test
    void create_makesOwnerOnlyFileThatOpens() throws Exception {
        Files.delete(file());
        MasterKeyDescription created = create(settings());
        assertTrue(Files.isRegularFile(file()));
        assertEquals("1", created.masterKeyVersion());
        assertEquals(created.masterKeyId(), open(settings()).describe().masterKeyId());
        Assumptions.assumeTrue(file().getFileSystem().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("master.p12.lock"))));
    }

    @Test
    void secondInstance_unwrapsWhatFirstWrapped() {
        LocalKeystore first = open(settings());
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = first.generateDataKey(id)) {
            first.close();
            LocalKeystore second = open(settings());
            assertTrue(second.canUnwrap(g.wrapping()));
            try (DataKey back = second.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
    }

    @Test
    void passwordFromEnvironment_opensFile() {
        open(settings("password", null), name -> name.equals("DATAENC_LOCAL_KEYSTORE_PASSWORD") ? PASSWORD : null);
        LocalKeystore custom = open(settings("password", null, "password-env", "MY_PW"),
                name -> name.equals("MY_PW") ? PASSWORD : null);
        assertEquals(MasterKeyState.ENABLED, custom.describe().state());
    }

    @Test
    void rotation_keepsOldVersionsAndNewWrappingsUseNewVersion() {
        LocalKeystore ks = open(settings());
        CdkId oldId = CdkId.random();
        try (GeneratedDataKey old = ks.generateDataKey(oldId)) {
            assertEquals("1", old.wrapping().masterKeyVersion());
            String idBefore = ks.describe().masterKeyId();
            MasterKeyDescription rotated = ks.rotateMasterKey();
            assertEquals("2", rotated.masterKeyVersion());
            assertEquals(idBefore, rotated.masterKeyId());
            CdkId newId = CdkId.random();
            try (GeneratedDataKey fresh = ks.generateDataKey(newId)) {
                assertEquals("2", fresh.wrapping().masterKeyVersion());
                LocalKeystore other = open(settings());
                try (DataKey a = other.unwrap(oldId, old.wrapping()); DataKey b = other.unwrap(newId, fresh.wrapping())) {
                    assertTrue(a.sameKeyAs(old.key()));
                    assertTrue(b.sameKeyAs(fresh.key()));
                }
                Wrapping relabelled = new Wrapping(old.wrapping().keystoreName(), old.wrapping().masterKeyId(), "2",
                        old.wrapping().wrappedKey());
                assertThrows(WrappedKeyException.class, () -> ks.unwrap(oldId, relabelled));
            }
        }
    }

    @Test
    void rotationByAnotherInstance_isPickedUp() {
        LocalKeystore a = open(settings());
        LocalKeystore b = open(settings());
        b.rotateMasterKey();
        try (GeneratedDataKey g = a.generateDataKey(CdkId.random())) {
            assertEquals("2", g.wrapping().masterKeyVersion());
        }
        assertEquals("2", a.describe().masterKeyVersion());
    }

    @Test
    void disable_persistsAcrossInstances() {
        LocalKeystore a = open(settings());
        CdkId id = CdkId.random();
        Wrapping w;
        try (GeneratedDataKey g = a.generateDataKey(id)) {
            w = g.wrapping();
        }
        a.disableMasterKey();
        LocalKeystore b = open(settings());
        assertEquals(MasterKeyState.DISABLED, b.describe().state());
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> b.unwrap(id, w));
        assertEquals(MasterKeyState.DISABLED, e.state());
        assertTrue(e.getMessage().contains(MasterKeyState.DISABLED.remedy()), e.getMessage());
        assertThrows(KeystoreUnavailableException.class, b::rotateMasterKey);

        b.enableMasterKey();
        assertEquals(MasterKeyState.ENABLED, a.describe().state());
        try (DataKey back = a.unwrap(id, w)) {
            assertEquals(id, back.cdkId());
        }
    }

    @Test
    void eitherAlgorithm_unwrapsRegardlessOfSetting() {
        LocalKeystore kwp = open(settings("wrap-algorithm", "aes-kwp"));
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = kwp.generateDataKey(id)) {
            assertEquals(LocalWrappedKey.KWP_LENGTH, g.wrapping().wrappedKey().length);
            LocalKeystore gcm = open(settings("wrap-algorithm", "aes-gcm"));
            try (DataKey back = gcm.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
    }

    @Test
    void sameAliasInTwoFiles_hasDistinctMasterKeyIds() {
        LocalKeystore a = open(settings());
        create(settings("path", dir.resolve("other.p12").toString()));
        LocalKeystore b = open(settings("path", dir.resolve("other.p12").toString()));
        assertNotEquals(a.describe().masterKeyId(), b.describe().masterKeyId());
        assertTrue(a.describe().masterKeyId().startsWith("dataenc-master/"));
        try (GeneratedDataKey g = b.generateDataKey(CdkId.random())) {
            assertFalse(a.canUnwrap(g.wrapping()));
            assertThrows(IllegalArgumentException.class, () -> a.unwrap(g.key().cdkId(), g.wrapping()));
        }
    }

    @Test
    void masterKeyIdentity_followsTheKeyNotTheKeystoreName() throws Exception {
        LocalKeystore a = open(settings());
        String fingerprintId = a.describe().masterKeyId();
        assertEquals("local:" + fingerprintId, a.masterKeyIdentity());
        assertTrue(fingerprintId.matches("dataenc-master/[0-9a-f]{16}"), fingerprintId);
        LocalKeystore renamed = LocalKeystore.open(KeystoreSettings.of("renamed", "local", settings()), name -> null);
        opened.add(renamed);
        assertEquals(a.masterKeyIdentity(), renamed.masterKeyIdentity());
        Path copy = dir.resolve("copy.p12");
        Files.copy(file(), copy);
        assertEquals(a.masterKeyIdentity(), open(settings("path", copy.toString())).masterKeyIdentity());
        create(settings("path", dir.resolve("new.p12").toString()));
        assertNotEquals(a.masterKeyIdentity(), open(settings("path", dir.resolve("new.p12").toString())).masterKeyIdentity());
    }

    @Test
    void unknownVersion_failsWithClearMessage() {
        LocalKeystore ks = open(settings());
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            Wrapping w = g.wrapping();
            for (String v : List.of("7", "zero", "0", "")) {
                Wrapping bad = new Wrapping(w.keystoreName(), w.masterKeyId(), v, w.wrappedKey());
                WrappedKeyException e = assertThrows(WrappedKeyException.class, () -> ks.unwrap(id, bad));
                assertTrue(e.getMessage().contains("version"), e.getMessage());
            }
        }
    }

    @Test
    void unknownFormatByte_failsNamingValidFormats() {
        LocalKeystore ks = open(settings());
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            byte[] bytes = g.wrapping().wrappedKey();
            bytes[0] = 0x7f;
            Wrapping bad = new Wrapping(g.wrapping().keystoreName(), g.wrapping().masterKeyId(), "1", bytes);
            WrappedKeyException e = assertThrows(WrappedKeyException.class, () -> ks.unwrap(id, bad));
            assertTrue(e.getMessage().contains("0x7f") && e.getMessage().contains("aes-kwp"), e.getMessage());
        }
    }

    @Test
    void wrongPassword_failsNamingFileAndSource() {
        open(settings()).close();
        KeystoreConfigurationException e = configError(settings("password", "wrong-password"));
        assertTrue(e.getMessage().contains("password") && e.getMessage().contains("wrong"), e.getMessage());
        assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("setting 'password'"), e.getMessage());

        KeystoreConfigurationException fromEnv = configError(settings("password", null),
                name -> name.equals("DATAENC_LOCAL_KEYSTORE_PASSWORD") ? "wrong-password" : null);
        assertTrue(fromEnv.getMessage().contains("environment variable DATAENC_LOCAL_KEYSTORE_PASSWORD"),
                fromEnv.getMessage());
    }

    @Test
    void missingPassword_failsTellingToSetEnvironmentVariable() throws Exception {
        Files.delete(file());
        KeystoreConfigurationException e = configError(settings("password", null));
        assertTrue(e.getMessage().contains("DATAENC_LOCAL_KEYSTORE_PASSWORD"), e.getMessage());
        assertFalse(Files.exists(file()));
        KeystoreConfigurationException named = configError(settings("password", null, "password-env", "SITE_PW"));
        assertTrue(named.getMessage().contains("SITE_PW"), named.getMessage());
    }

    @Test
    void bothPasswordSettings_areRefused() {
        KeystoreConfigurationException e = configError(settings("password-env", "SITE_PW"));
        assertTrue(e.getMessage().contains("password-env"), e.getMessage());
    }

    @Test
    void missingPath_failsNamingSetting() {
        KeystoreConfigurationException e = configError(settings("path", null));
        assertTrue(e.getMessage().contains("'path'"), e.getMessage());
    }

    @Test
    void missingDirectory_failsNamingIt() {
        KeystoreConfigurationException e = configError(settings("path", dir.resolve("no/such/dir/ks.p12").toString()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void corruptFile_failsNamingFile() throws Exception {
        Files.write(file(), "this is not a PKCS#12 file".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        KeystoreConfigurationException e = configError(settings());
        assertTrue(e.getMessage().contains(file().toString()) && e.getMessage().contains("corrupt"), e.getMessage());
        Files.write(file(), new byte[0]);
        assertTrue(configError(settings()).getMessage().contains(file().toString()));
    }

    @Test
    void missingFile_failsNotFoundSayingHowToCreateAndCopyIt() throws Exception {
        Files.delete(file());
        for (String create : new String[] {null, "true", "false"}) {
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                    () -> open(settings("create", create)));
            assertEquals(MasterKeyState.NOT_FOUND, e.state());
            assertEquals("local-a", e.keystoreName());
            assertTrue(e.getMessage().contains("master key file " + file() + " does not exist")
                    && e.getMessage().contains("`dataenc keystore create local-a` on ONE node and copy it to the others"),
                    e.getMessage());
            assertFalse(Files.exists(file()), "opening created the file");
        }
    }

    @Test
    void missingMasterKeyInExistingFile_failsNotFoundAndChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(file());
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                () -> open(settings("master-key", "other")));
        assertEquals(MasterKeyState.NOT_FOUND, e.state());
        assertTrue(e.getMessage().contains("no master key 'other'") && e.getMessage().contains("dataenc keystore create"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file()));
    }

    @Test
    void createSetting_isStillAcceptedButCreatesNothing() {
        assertEquals(MasterKeyState.ENABLED, open(settings("create", "false")).describe().state());
        assertEquals(MasterKeyState.ENABLED, open(settings("create", "true")).describe().state());
    }

    @Test
    void createOfExistingMasterKey_isRefusedAndChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(file());
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> create(settings()));
        assertTrue(e.getMessage().contains("already holds master key 'dataenc-master'") && e.getMessage().contains("nothing"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file()));
    }

    @Test
    void createWithShortPassword_isRefusedAndCreatesNothing() throws Exception {
        Files.delete(file());
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class,
                () -> create(settings("password", "elevenchars")));
        assertTrue(e.getMessage().contains("11 characters") && e.getMessage().contains("at least 12"), e.getMessage());
        assertFalse(e.getMessage().contains("elevenchars"), e.getMessage());
        assertFalse(Files.exists(file()));
        assertEquals("1", create(settings("password", "twelve-chars")).masterKeyVersion());
    }

    @Test
    void secondMasterKeyInSameFile_isIndependent() {
        LocalKeystore a = open(settings());
        create(settings("master-key", "Reports-Key"));
        LocalKeystore b = open(settings("master-key", "Reports-Key"));
        assertTrue(b.describe().masterKeyId().startsWith("reports-key/"));
        b.disableMasterKey();
        assertEquals(MasterKeyState.ENABLED, a.describe().state());
        assertEquals(MasterKeyState.DISABLED, b.describe().state());
    }

    @Test
    void unknownWrapAlgorithm_listsValidValues() {
        KeystoreConfigurationException e = configError(settings("wrap-algorithm", "aes-cbc"));
        assertTrue(e.getMessage().contains("aes-cbc") && e.getMessage().contains("aes-gcm, aes-kwp"), e.getMessage());
    }

    @Test
    void invalidCreateAndMasterKey_areRefused() {
        assertTrue(configError(settings("create", "yes")).getMessage().contains("true, false"));
        assertTrue(configError(settings("master-key", "bad name!")).getMessage().contains("master-key"));
    }

    @Test
    void deletedFile_makesKeystoreUnreachable() throws Exception {
        LocalKeystore ks = open(settings());
        Files.delete(file());
        assertEquals(MasterKeyState.UNREACHABLE, ks.describe().state());
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                () -> ks.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.UNREACHABLE, e.state());
    }

    @Test
    void toStringAndDescribe_neverShowPasswordOrKeyBytes() {
        LocalKeystore ks = open(settings());
        try (GeneratedDataKey g = ks.generateDataKey(CdkId.random())) {
            String hex = HexFormat.of().formatHex(g.key().getEncoded());
            KeystoreSettings s = KeystoreSettings.of("local-a", "local", settings());
            for (String text : List.of(ks.toString(), ks.describe().summary(), g.wrapping().toString(), s.toString(),
                    LocalKeystoreConfig.parse(s, n -> null).toString())) {
                assertFalse(text.contains(PASSWORD), text);
                assertFalse(text.contains(hex.substring(0, 16)), text);
            }
        }
    }

    @Test
    void closedKeystore_refusesUse() {
        LocalKeystore ks = open(settings());
        ks.close();
        assertThrows(IllegalStateException.class, () -> ks.generateDataKey(CdkId.random()));
    }
}
