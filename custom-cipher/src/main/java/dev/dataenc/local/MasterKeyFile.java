package dev.dataenc.local;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.DataKey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.DestroyFailedException;

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
 * Every entry is protected with the file's password ({@link Pkcs12Protection}: PBKDF2, 600,000 iterations;
 * the file's MAC likewise, see {@link Pkcs12Mac}). Nothing here creates a file except {@link #create()}. Changes take a lock ({@code <file>.lock},
 * {@link FileLock}, plus a lock per JVM), re-read the file, write a complete new file beside it,
 * {@code fsync} it and atomically rename it over the old one, so a reader sees either the old or
 * the new file, never a partial one, and no process loses another's change.
 */
final class MasterKeyFile {

    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] FINGERPRINT_LABEL = "dataenc local master key id".getBytes(StandardCharsets.US_ASCII);
    /** The largest keystore file read: 16 MiB (a file of master keys is a few KiB, even with many versions). */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final Path lockPath;
    private final String masterKey;
    private final char[] password;
    private final String passwordOrigin;
    private final Pattern versionAlias;
    private final String owner;
    /** Keys added by the change in progress (used only under the change lock), so they need not be decrypted again. */
    private final Map<String, SecretKey> added = new HashMap<>();

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
     * Reads the master key's entries (from {@link MasterKeyCache} when this JVM read the same bytes with
     * the same password before).
     *
     * @throws KeystoreConfigurationException if the file is missing, unreadable, corrupt or the password is wrong
     */
    MasterKeySet load() {
        try {
            FileStamp stamp = FileStamp.of(path);
            byte[] bytes = readFile();
            byte[] digest = MasterKeyCache.digest(bytes);
            Optional<MasterKeySet> cached = MasterKeyCache.get(digest, masterKey, password);
            if (cached.isPresent()) {
                return cached.get().withStamp(stamp);
            }
            MasterKeySet keys = read(loadStore(bytes), stamp, macIterations(bytes));
            MasterKeyCache.put(digest, masterKey, password, keys);
            return keys;
        } catch (IOException e) {
            throw ioProblem(e);
        }
    }

    /**
     * Applies a change to the existing file under the lock and writes it atomically; returns what is in the
     * file afterwards. A file written with fewer than {@link Pkcs12Protection#ITERATIONS} iterations is
     * upgraded by any change: its key bags are protected again, and its MAC made, with the current iterations.
     *
     * @throws KeystoreConfigurationException if the file does not exist (changes never create it)
     */
    MasterKeySet change(Change change) {
        return locked(() -> {
            Loaded file = loadForChange(readFile());
            boolean changed = change.apply(file.ks());
            if (file.weak() && changed) {
                reprotect(file.ks());
            }
            return changed ? write(file.ks(), file.known()) : keySet(file.ks(), FileStamp.of(path), file.macIterations(),
                    file.known(), added);
        });
    }

    /**
     * A file read under the change lock. When this JVM verified exactly these bytes with this password before
     * ({@link MasterKeyCache}), they are not verified again and the keys known then are reused; else the MAC
     * is checked as on every load.
     */
    private record Loaded(KeyStore ks, int macIterations, Optional<MasterKeySet> known) {
        boolean weak() {
            return macIterations < Pkcs12Protection.ITERATIONS;
        }
    }

    private Loaded loadForChange(byte[] bytes) {
        Optional<MasterKeySet> known = MasterKeyCache.get(MasterKeyCache.digest(bytes), masterKey, password);
        return new Loaded(known.isPresent() ? loadVerifiedBefore(bytes) : loadStore(bytes), macIterations(bytes), known);
    }

    /**
     * Creates the master key's first version: a new file (owner-only) when there is none, else a new entry in
     * the existing file. Refuses when the file already holds this master key.
     *
     * @throws KeystoreConfigurationException if the master key exists already (nothing is changed)
     */
    MasterKeySet create() {
        return locked(() -> {
            Loaded file;
            if (Files.exists(path)) {
                file = loadForChange(readFile());
                if (!versions(file.ks()).isEmpty()) {
                    throw new KeystoreConfigurationException(owner + ": keystore file " + path + " already holds master key '"
                            + masterKey + "'; nothing was changed. Use the existing key (copy this file to the other nodes),"
                            + " or choose another 'master-key' name or 'path' for a new one.");
                }
            } else {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                file = new Loaded(ks, Pkcs12Protection.ITERATIONS, Optional.empty());
            }
            addKey(file.ks(), alias(1));
            if (file.weak()) {
                reprotect(file.ks());
            }
            return write(file.ks(), file.known());
        });
    }

    /**
     * The file's bytes. What cannot be a keystore file is refused before it is read: a directory, a device or pipe
     * (reading {@code /dev/zero} would never end), a file larger than {@value #MAX_FILE_BYTES} bytes (a PKCS#12 file
     * of master keys is a few KiB; a wrong 'path' to a large file would exhaust the memory).
     */
    private byte[] readFile() throws IOException {
        requireRegularFileIfPresent();
        try (java.io.InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new KeystoreConfigurationException(owner + ": keystore file " + path + " is larger than "
                        + MAX_FILE_BYTES + " bytes, far larger than a PKCS#12 file of master keys; fix 'path'");
            }
            return bytes;
        }
    }

    /** Refuses a path that exists but is not a regular file (before anything, even its lock file, is created). */
    private void requireRegularFileIfPresent() {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new KeystoreConfigurationException(owner + ": keystore file " + path + " is "
                    + (Files.isDirectory(path) ? "a directory" : "not a regular file (a device or a pipe)")
                    + ", not a PKCS#12 file; fix 'path'");
        }
    }

    private interface LockedWork {
        MasterKeySet run() throws IOException, GeneralSecurityException;
    }

    private MasterKeySet locked(LockedWork work) {
        requireRegularFileIfPresent();
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(path, p -> new ReentrantLock());
        jvmLock.lock();
        added.clear();
        try (FileChannel lockChannel = openLockFile(); FileLock fileLock = lockChannel.lock()) {
            assert fileLock.isValid();
            return work.run();
        } catch (IOException e) {
            throw ioProblem(e);
        } catch (GeneralSecurityException e) {
            throw new KeystoreConfigurationException(owner + ": cannot change keystore file " + path + ": " + e.getMessage(), e);
        } finally {
            added.clear();
            jvmLock.unlock();
        }
    }

    /** Adds the next version. */
    boolean addVersion(KeyStore ks) throws GeneralSecurityException {
        TreeMap<Integer, String> v = versions(ks);
        if (v.isEmpty()) {
            throw new KeystoreConfigurationException(owner + ": keystore file " + path + " has no master key '" + masterKey
                    + "' to rotate; create it first");
        }
        addKey(ks, alias(v.lastKey() + 1));
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
            SecretKey key = new SecretKeySpec(k, "AES");
            setSecretKey(ks, alias, key);
            added.put(alias, key);
        } finally {
            DataKey.zeroize(k);
        }
    }

    private void setSecretKey(KeyStore ks, String alias, SecretKey key) throws GeneralSecurityException {
        KeyStore.PasswordProtection protection = Pkcs12Protection.forNewEntry(password);
        try {
            ks.setEntry(alias, new KeyStore.SecretKeyEntry(key), protection);
        } finally {
            try {
                protection.destroy();
            } catch (DestroyFailedException e) {
                // PasswordProtection clears its copy; cannot fail
            }
        }
    }

    /** Protects every secret key the password opens again, with the current iterations. */
    private void reprotect(KeyStore ks) throws GeneralSecurityException {
        for (String alias : Collections.list(ks.aliases())) {
            if (!ks.isKeyEntry(alias)) {
                continue;
            }
            Key key;
            try {
                key = ks.getKey(alias, password);
            } catch (UnrecoverableKeyException e) {
                continue; // not ours to upgrade: protected with another password
            }
            if (key instanceof SecretKey secret) {
                setSecretKey(ks, alias, secret);
            }
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

    private MasterKeySet read(KeyStore ks, FileStamp stamp, int macIterations) {
        return keySet(ks, stamp, macIterations, Optional.empty(), Map.of());
    }

    /**
     * The master key's entries in {@code ks}. Versions added by the change in progress, or in {@code known}
     * (read and verified before from the same file, and versions never change), are not decrypted again.
     */
    private MasterKeySet keySet(KeyStore ks, FileStamp stamp, int macIterations, Optional<MasterKeySet> known,
                                Map<String, SecretKey> added) {
        try {
            TreeMap<Integer, SecretKey> keys = new TreeMap<>();
            for (var e : versions(ks).entrySet()) {
                SecretKey key = added.get(e.getValue());
                if (key == null && known.isPresent()) {
                    key = known.get().versions().get(e.getKey());
                }
                if (key == null) {
                    if (!(ks.getKey(e.getValue(), password) instanceof SecretKey k)) {
                        throw new KeystoreConfigurationException(owner + ": entry '" + e.getValue() + "' of keystore file "
                                + path + " is not a secret key; remove it or choose another 'master-key' name");
                    }
                    key = k;
                }
                keys.put(e.getKey(), key);
            }
            String id = keys.isEmpty() ? "" : masterKey + "/" + fingerprint(keys.firstEntry().getValue());
            return new MasterKeySet(id, keys, ks.containsAlias(disabledAlias()), stamp, macIterations);
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

    private int macIterations(byte[] bytes) {
        try {
            return Pkcs12Mac.iterations(bytes);
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    /** Loads bytes this JVM verified with this password before, without checking the MAC again. */
    private KeyStore loadVerifiedBefore(byte[] bytes) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(bytes), null);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw corrupt(e);
        }
    }

    private KeyStore loadStore(byte[] bytes) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(bytes), password);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw wrongPassword("its integrity check failed");
            }
            throw corrupt(e);
        } catch (GeneralSecurityException e) {
            throw corrupt(e);
        }
    }

    /** Writes {@code ks} (re-MACed) to a temp file, fsyncs it and renames it over the file; returns what it holds. */
    private MasterKeySet write(KeyStore ks, Optional<MasterKeySet> known) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ks.store(buffer, password);
        byte[] bytes = Pkcs12Mac.reMac(buffer.toByteArray(), password, Pkcs12Protection.ITERATIONS);
        Path dir = path.getParent();
        Path tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".p12.tmp"); // owner-only on POSIX
        try {
            if (isPosix()) {
                Files.setPosixFilePermissions(tmp, Files.exists(path) ? Files.getPosixFilePermissions(path) : OWNER_ONLY);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
        MasterKeySet keys = keySet(ks, FileStamp.of(path), Pkcs12Protection.ITERATIONS, known, added);
        MasterKeyCache.put(MasterKeyCache.digest(bytes), masterKey, password, keys);
        return keys;
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
