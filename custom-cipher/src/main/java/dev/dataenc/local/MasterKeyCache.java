package dev.dataenc.local;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The master keys this JVM read from keystore files, so that opening the same file again (a configuration
 * reload, several admin commands or tests in one JVM) does not repeat the 600,000-iteration key derivation
 * (about 0.3 s per key and for the file's MAC). An entry is found only by the SHA-256 of the file's exact
 * bytes, the master key name and the same password (compared as a salted SHA-256, constant time), so a
 * changed, replaced or tampered file is always read and verified afresh. Entries expire
 * {@link #LINGER} after their last use; at most {@link #MAX_ENTRIES} are kept.
 */
final class MasterKeyCache {

    /** How long an entry is kept after its last use. */
    static final Duration LINGER = Duration.ofMinutes(10);
    static final int MAX_ENTRIES = 64;

    private static final byte[] SALT = new byte[32];
    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(16, 0.75f, true);

    static {
        new SecureRandom().nextBytes(SALT);
    }

    private record Entry(byte[] passwordCheck, MasterKeySet keys, long lastUsedNanos) {
    }

    private MasterKeyCache() {
    }

    /** The keys read earlier from a file with exactly these bytes, for this master key and password. */
    static synchronized Optional<MasterKeySet> get(byte[] fileDigest, String masterKey, char[] password) {
        expire();
        String key = key(fileDigest, masterKey);
        Entry e = ENTRIES.get(key);
        if (e == null || !MessageDigest.isEqual(e.passwordCheck(), passwordCheck(password))) {
            return Optional.empty();
        }
        ENTRIES.put(key, new Entry(e.passwordCheck(), e.keys(), System.nanoTime()));
        return Optional.of(e.keys());
    }

    /** Remembers keys read (and verified) from a file with these bytes. */
    static synchronized void put(byte[] fileDigest, String masterKey, char[] password, MasterKeySet keys) {
        ENTRIES.put(key(fileDigest, masterKey), new Entry(passwordCheck(password), keys, System.nanoTime()));
        expire();
        while (ENTRIES.size() > MAX_ENTRIES) {
            ENTRIES.remove(ENTRIES.keySet().iterator().next());
        }
    }

    /** Forgets every entry (for tests). */
    static synchronized void clear() {
        ENTRIES.clear();
    }

    /** The SHA-256 of a file's bytes. */
    static byte[] digest(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static void expire() {
        long now = System.nanoTime();
        ENTRIES.values().removeIf(e -> now - e.lastUsedNanos() > LINGER.toNanos());
    }

    private static String key(byte[] fileDigest, String masterKey) {
        return HexFormat.of().formatHex(fileDigest) + "/" + masterKey;
    }

    private static byte[] passwordCheck(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            MessageDigest md = sha256();
            md.update(SALT);
            return md.digest(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
