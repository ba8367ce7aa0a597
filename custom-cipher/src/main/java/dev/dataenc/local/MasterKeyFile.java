package dev.dataenc.local;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.DataKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The PKCS#12 file that holds the {@code local} keystore's master keys, and the only code that reads
 * or writes it.
 *
 * <p>Entries (PKCS#12 aliases are case-insensitive; dataenc uses lower case):
 * <ul>
 *   <li>{@code <master-key>.v1}, {@code <master-key>.v2}, ...: AES-256 {@code SecretKeyEntry}s, one per
 *       version; the highest number is current, none is ever removed.</li>
 *   <li>{@code <master-key>.disabled}: present only while the master key is disabled. PKCS#12 can
 *       only hold keys and certificates, so the marker is a random AES key that is never used.</li>
 * </ul>
 * Every entry is protected with the file's password. Changes take a lock ({@code <file>.lock},
 * {@link FileLock}, plus a lock per JVM), re-read the file, write a complete new file beside it,
 * {@code fsync} it and atomically rename it over the old one, so a reader sees either the old or
 * the new file, never a partial one, and no process loses another's change.
 */
final class MasterKeyFile {

    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] FINGERPRINT_LABEL = "dataenc local master key id".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final Path lockPath;
    private final String masterKey;
    private final char[] password;
    private final String passwordOrigin;
    private final Pattern versionAlias;
    private final String owner;

    /** Operations on a loaded PKCS#12 key store under the change lock. */
    interface Change {
        /** Changes {@code ks}; returns false when nothing needs writing. */
        boolean apply(KeyStore ks) throws GeneralSecurityException;
    }

    /** {@code owner} prefixes messages, e.g. {@code keystore 'a' (type local)}. */
    MasterKeyFile(String owner, Path path, String masterKey, char[] password, String passwordOrigin) {
        this.owner = owner;
        this.path = path.toAbsolutePath().normalize();
        this.lockPath = this.path.resolveSibling(this.path.getFileName() + ".lock");
        this.masterKey = masterKey;
        this.password = password;
        this.passwordOrigin = passwordOrigin;
        this.versionAlias = Pattern.compile(Pattern.quote(masterKey) + "\\.v([1-9][0-9]{0,8})");
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return Files.exists(path);
    }

    /**
     * Reads the master key's entries.
     *
     * @throws KeystoreConfigurationException if the file is missing, unreadable, corrupt or the password is wrong
     */
    MasterKeySet load() {
        try {
            FileStamp stamp = FileStamp.of(path);
            return read(readStore(), stamp);
        } catch (IOException e) {
            throw ioProblem(e);
        }
    }

    /** Applies a change under the lock and writes the file atomically; returns what is in the file afterwards. */
    MasterKeySet change(Change change) {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(path, p -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel lockChannel = openLockFile(); FileLock fileLock = lockChannel.lock()) {
            assert fileLock.isValid();
            KeyStore ks;
            if (Files.exists(path)) {
                ks = readStore();
            } else {
                ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
            }
            if (change.apply(ks)) {
                write(ks);
            }
            return read(ks, FileStamp.of(path));
        } catch (IOException e) {
            throw ioProblem(e);
        } catch (GeneralSecurityException e) {
            throw new KeystoreConfigurationException(owner + ": cannot change keystore file " + path + ": " + e.getMessage(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Adds version 1 if the master key has no version yet. */
    boolean ensureFirstVersion(KeyStore ks) throws GeneralSecurityException {
        if (!versions(ks).isEmpty()) {
            return false;
        }
        addKey(ks, alias(1));
        return true;
    }

    /** Adds the next version. */
    boolean addVersion(KeyStore ks) throws GeneralSecurityException {
        TreeMap<Integer, String> v = versions(ks);
        addKey(ks, alias(v.isEmpty() ? 1 : v.lastKey() + 1));
        return true;
    }

    /** Adds or removes the disabled marker. */
    boolean setDisabled(KeyStore ks, boolean disabled) throws GeneralSecurityException {
        boolean present = ks.containsAlias(disabledAlias());
        if (present == disabled) {
            return false;
        }
        if (disabled) {
            addKey(ks, disabledAlias());
        } else {
            ks.deleteEntry(disabledAlias());
        }
        return true;
    }

    private void addKey(KeyStore ks, String alias) throws GeneralSecurityException {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        try {
            ks.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(k, "AES")),
                    new KeyStore.PasswordProtection(password));
        } finally {
            DataKey.zeroize(k);
        }
    }

    private String alias(int version) {
        return masterKey + ".v" + version;
    }

    private String disabledAlias() {
        return masterKey + ".disabled";
    }

    private TreeMap<Integer, String> versions(KeyStore ks) throws GeneralSecurityException {
        TreeMap<Integer, String> found = new TreeMap<>();
        for (String alias : Collections.list(ks.aliases())) {
            Matcher m = versionAlias.matcher(alias);
            if (m.matches()) {
                found.put(Integer.parseInt(m.group(1)), alias);
            }
        }
        return found;
    }

    private MasterKeySet read(KeyStore ks, FileStamp stamp) {
        try {
            TreeMap<Integer, SecretKey> keys = new TreeMap<>();
            for (var e : versions(ks).entrySet()) {
                if (!(ks.getKey(e.getValue(), password) instanceof SecretKey key)) {
                    throw new KeystoreConfigurationException(owner + ": entry '" + e.getValue() + "' of keystore file " + path
                            + " is not a secret key; remove it or choose another 'master-key' name");
                }
                keys.put(e.getKey(), key);
            }
            String id = keys.isEmpty() ? "" : masterKey + "/" + fingerprint(keys.firstEntry().getValue());
            return new MasterKeySet(id, keys, ks.containsAlias(disabledAlias()), stamp);
        } catch (UnrecoverableKeyException e) {
            throw wrongPassword("an entry of master key '" + masterKey + "' cannot be decrypted");
        } catch (GeneralSecurityException e) {
            throw corrupt(e);
        }
    }

    /** A public, stable id of the master key: HMAC-SHA256(first version, label), first 8 bytes as hex. */
    private static String fingerprint(SecretKey first) throws GeneralSecurityException {
        byte[] k = first.getEncoded();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            byte[] tag = mac.doFinal(FINGERPRINT_LABEL);
            return HexFormat.of().formatHex(tag, 0, 8);
        } finally {
            DataKey.zeroize(k);
        }
    }

    private KeyStore readStore() throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw wrongPassword("its integrity check failed");
            }
            if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
                throw e;
            }
            throw corrupt(e);
        } catch (GeneralSecurityException e) {
            throw corrupt(e);
        }
    }

    private void write(KeyStore ks) throws IOException, GeneralSecurityException {
        Path dir = path.getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".p12.tmp"); // owner-only on POSIX
        try {
            if (Files.exists(path) && isPosix()) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(path));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                ks.store(out, password);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not possible on every OS (Windows); the rename itself is atomic
        }
    }

    private FileChannel openLockFile() throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (isPosix()) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return FileChannel.open(lockPath, options, ownerOnly);
        }
        return FileChannel.open(lockPath, options);
    }

    private boolean isPosix() {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private KeystoreConfigurationException wrongPassword(String why) {
        return new KeystoreConfigurationException(owner + ": the password for keystore file " + path + " (from "
                + passwordOrigin + ") is wrong: " + why + ". Make " + passwordOrigin
                + " hold the password the file was created with.");
    }

    private KeystoreConfigurationException corrupt(Exception e) {
        return new KeystoreConfigurationException(owner + ": keystore file " + path + " is unreadable or corrupt (not a PKCS#12"
                + " file dataenc can read: " + e.getClass().getSimpleName() + "). Restore it from a backup or fix 'path'.", e);
    }

    private KeystoreConfigurationException ioProblem(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new KeystoreConfigurationException(owner + ": keystore file " + path + " does not exist (or its directory "
                    + path.getParent() + " does not). Fix 'path', or create the directory.", e);
        }
        if (e instanceof AccessDeniedException) {
            return new KeystoreConfigurationException(owner + ": keystore file " + path + " (or its lock file) cannot be accessed:"
                    + " permission denied. Run as the file's owner or fix the permissions.", e);
        }
        return new KeystoreConfigurationException(owner + ": cannot read or write keystore file " + path + ": " + e, e);
    }
}
