package dev.dataenc.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.testing.TinyFileSystem;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the {@code local} keystore protects its file: iterations, password length, permissions, older files. */
class LocalKeystoreFileProtectionTest {

    private static final String PASSWORD = "protection-test-password";

    @TempDir
    Path dir;

    private KeystoreSettings settings(Path file, String password) {
        return KeystoreSettings.of("prot", "local", Map.of("path", file.toString(), "password", password));
    }

    @Test
    void createdAndChangedFile_has600000IterationsInEveryKeyBagAndTheMac() throws Exception {
        Path file = dir.resolve("k.p12");
        LocalKeystore.createMasterKey(settings(file, PASSWORD), n -> null);
        try (LocalKeystore ks = LocalKeystore.open(settings(file, PASSWORD), n -> null)) {
            ks.rotateMasterKey();
            ks.disableMasterKey();
        }
        List<Integer> bags = Pkcs12Inspection.keyBagIterations(file);
        assertEquals(List.of(600_000, 600_000, 600_000), bags, "v1, v2 and the disabled marker");
        assertEquals(600_000, Pkcs12Mac.iterations(Files.readAllBytes(file)));
        Assumptions.assumeTrue(Pkcs12Inspection.opensslAvailable(), "openssl not installed: MAC checked by the JDK only");
        assertEquals("sha256 600000", Pkcs12Inspection.opensslMac(file, PASSWORD));
    }

    @Test
    void createdFile_isOwnerOnly() throws Exception {
        Path file = dir.resolve("k.p12");
        LocalKeystore.createMasterKey(settings(file, PASSWORD), n -> null);
        Assumptions.assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (LocalKeystore ks = LocalKeystore.open(settings(file, PASSWORD), n -> null)) {
            ks.rotateMasterKey();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /** A real full file system: a 64 KiB tmpfs (needs root; skipped where it cannot be mounted). */
    @Test
    void rotateOnAFullFileSystem_typedOneLineError_fileUnchanged_noTemporaryFile() throws Exception {
        try (TinyFileSystem tiny = TinyFileSystem.mount(dir.resolve("tiny"), "64k")) {
            Path mnt = tiny.root();
            Path file = mnt.resolve("k.p12");
            LocalKeystore.createMasterKey(settings(file, PASSWORD), n -> null);
            CdkId cdk = CdkId.random();
            Wrapping wrapping;
            String version;
            try (LocalKeystore ks = LocalKeystore.open(settings(file, PASSWORD), n -> null)) {
                GeneratedDataKey g = ks.generateDataKey(cdk);
                wrapping = g.wrapping();
                g.key().destroy();
                version = ks.describe().masterKeyVersion();
            }
            byte[] before = Files.readAllBytes(file);
            List<Path> entries;
            try (var list = Files.list(mnt)) {
                entries = list.sorted().toList();
            }
            tiny.fill();

            try (LocalKeystore ks = LocalKeystore.open(settings(file, PASSWORD), n -> null)) {
                dev.dataenc.error.DataEncException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.dataenc.error.DataEncException.class, ks::rotateMasterKey);
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("No space left on device"),
                        e.getMessage());
                assertEquals(version, ks.describe().masterKeyVersion(), "the failed rotation changed nothing");
            }
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the keystore file changed");
            try (var list = Files.list(mnt)) {
                List<Path> expected = new java.util.ArrayList<>(entries);
                expected.add(tiny.filler());
                assertEquals(expected.stream().sorted().toList(), list.sorted().toList(), "no temporary file left");
            }
            tiny.free();
            try (LocalKeystore ks = LocalKeystore.open(settings(file, PASSWORD), n -> null)) {
                try (DataKey k = ks.unwrap(cdk, wrapping)) {
                    assertEquals(32, k.getEncoded().length, "the key made before still unwraps");
                }
                ks.rotateMasterKey();
                assertFalse(version.equals(ks.describe().masterKeyVersion()), "with space again the rotation works");
            }
        }
    }


    /**
     * A file exactly as dataenc wrote it before this change: JDK default protection (10,000 iterations) and a
     * password shorter than new files need. It opens, its wrappings unwrap, and its next change upgrades it.
     */
    @Test
    void olderFileWithShortPassword_opensKeepsItsWrappingsAndIsUpgradedAtNextChange() throws Exception {
        Path file = dir.resolve("old.p12");
        String shortPassword = "old-pw";
        writeAsBefore(file, shortPassword.toCharArray());
        assertEquals(10_000, Pkcs12Mac.iterations(Files.readAllBytes(file)));
        assertEquals(List.of(10_000), Pkcs12Inspection.keyBagIterations(file));

        CdkId id = CdkId.random();
        Wrapping before;
        String idBefore;
        byte[] key;
        try (LocalKeystore ks = LocalKeystore.open(settings(file, shortPassword), n -> null);
             GeneratedDataKey g = ks.generateDataKey(id)) {
            before = g.wrapping();
            key = g.key().getEncoded();
            idBefore = ks.describe().masterKeyId();
            assertEquals(MasterKeyState.ENABLED, ks.describe().state());
            ks.rotateMasterKey();
        }
        assertEquals(600_000, Pkcs12Mac.iterations(Files.readAllBytes(file)));
        assertEquals(List.of(600_000, 600_000), Pkcs12Inspection.keyBagIterations(file));
        MasterKeyCache.clear();
        try (LocalKeystore ks = LocalKeystore.open(settings(file, shortPassword), n -> null);
             DataKey back = ks.unwrap(id, before)) {
            assertEquals(idBefore, ks.describe().masterKeyId());
            assertTrue(java.security.MessageDigest.isEqual(key, back.getEncoded()));
        } finally {
            DataKey.zeroize(key);
        }
    }

    @Test
    void reMac_isVerifiedByTheJdkAndAWrongPasswordStillFails() throws Exception {
        Path file = dir.resolve("k.p12");
        LocalKeystore.createMasterKey(settings(file, PASSWORD), n -> null);
        MasterKeyCache.clear();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        assertTrue(ks.containsAlias("dataenc-master.v1"));
        KeyStore wrong = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            assertFalse(loads(wrong, in, "not-the-password"));
        }
    }

    private static boolean loads(KeyStore ks, java.io.InputStream in, String password) {
        try {
            ks.load(in, password.toCharArray());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** What MasterKeyFile wrote before: setEntry with plain PasswordProtection, store with the JDK's defaults. */
    private static void writeAsBefore(Path file, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        ks.setEntry("dataenc-master.v1", new KeyStore.SecretKeyEntry(new SecretKeySpec(k, "AES")),
                new KeyStore.PasswordProtection(password));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
    }
}
