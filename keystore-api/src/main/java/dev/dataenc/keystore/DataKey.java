package dev.dataenc.keystore;

import dev.dataenc.cdk.CdkId;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.invoke.VarHandle;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * A plaintext customer data key (CDK): 256-bit AES key bytes plus the id of the CDK they
 * belong to. Usable directly as a JCE {@link SecretKey} ({@code "AES"}, {@code "RAW"}).
 *
 * <p>The owner must {@link #destroy()} (or {@link #close()}) it when done; that overwrites
 * the bytes with zeros. After that {@link #getEncoded()} throws {@link IllegalStateException}.
 * {@link #getEncoded()} checks the destroyed flag <em>after</em> copying, so a copy that was
 * handed out is never a half-zeroed key: either it is complete, or the call throws.
 *
 * <p>Code that keeps something derived from the key bytes beyond one call (a cached cipher's key
 * schedule) registers a {@link #onDestroy(Runnable) destroy action} that wipes it, so nothing derived
 * from the key outlives {@link #destroy()}.
 *
 * <p>Never printed: {@link #toString()} shows the CDK id only. Not serializable.
 */
public final class DataKey implements SecretKey, AutoCloseable {

    /** Length of every CDK in bytes (AES-256). */
    public static final int LENGTH = 32;

    private static final long serialVersionUID = 1L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CdkId cdkId;
    private final byte[] bytes;
    private volatile boolean destroyed;
    /** Run once each after the bytes are zeroed; identity set, so registering twice runs once. */
    private final transient Set<Runnable> onDestroy = ConcurrentHashMap.newKeySet();

    private DataKey(CdkId cdkId, byte[] bytes) {
        this.cdkId = Objects.requireNonNull(cdkId, "cdkId");
        this.bytes = bytes;
    }

    /** A fresh random key for the given CDK id, from a {@link SecureRandom}. */
    public static DataKey generate(CdkId cdkId) {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new DataKey(cdkId, b);
    }

    /**
     * A key holding a copy of {@code keyBytes}. The caller still owns {@code keyBytes} and should
     * zero it (for example with {@link #zeroize(byte[])}).
     *
     * @throws IllegalArgumentException if the length is not {@value #LENGTH} bytes
     */
    public static DataKey copyOf(CdkId cdkId, byte[] keyBytes) {
        Objects.requireNonNull(keyBytes, "keyBytes");
        if (keyBytes.length != LENGTH) {
            throw new IllegalArgumentException("a CDK is " + LENGTH + " bytes, got " + keyBytes.length);
        }
        return new DataKey(cdkId, keyBytes.clone());
    }

    /** The CDK this key belongs to. */
    public CdkId cdkId() {
        return cdkId;
    }

    @Override
    public String getAlgorithm() {
        return "AES";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /**
     * A copy of the key bytes; the caller owns the copy and should zero it.
     *
     * @throws IllegalStateException if the key has been destroyed
     */
    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw destroyedError();
        }
        byte[] copy = bytes.clone();
        VarHandle.acquireFence();
        if (destroyed) {
            Arrays.fill(copy, (byte) 0);
            throw destroyedError();
        }
        return copy;
    }

    /** Constant-time comparison of the key bytes of two keys (for verification, not for lookups). */
    public boolean sameKeyAs(DataKey other) {
        byte[] a = getEncoded();
        byte[] b = other.getEncoded();
        try {
            return cdkId.equals(other.cdkId) && MessageDigest.isEqual(a, b);
        } finally {
            zeroize(a);
            zeroize(b);
        }
    }

    /**
     * Overwrites the key bytes with zeros, then runs the {@link #onDestroy registered destroy actions}.
     * Idempotent.
     */
    @Override
    public void destroy() {
        destroyed = true;
        VarHandle.fullFence();
        Arrays.fill(bytes, (byte) 0);
        for (Runnable action : onDestroy) {
            if (onDestroy.remove(action)) {
                action.run();
            }
        }
    }

    /**
     * Has {@code action} run when this key is destroyed, or now (on this thread) if it already is: for
     * holders of something derived from the key bytes that outlives one call, such as a cached cipher
     * initialised with this key, so that it is wiped together with the key. Registering the same
     * action (by identity) again before the key is destroyed has no further effect. Actions must be
     * quick, idempotent and must not throw; they run on the thread that destroys the key.
     */
    public void onDestroy(Runnable action) {
        Objects.requireNonNull(action, "action");
        onDestroy.add(action);
        if (destroyed && onDestroy.remove(action)) {
            action.run();
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    /** Overwrites a byte array with zeros; null-safe. */
    public static void zeroize(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    private IllegalStateException destroyedError() {
        return new IllegalStateException("data key of CDK " + cdkId + " has been destroyed (evicted from the cache or closed)");
    }

    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("DataKey is never serialized");
    }

    @Override
    public String toString() {
        return "DataKey[cdk=" + cdkId + (destroyed ? ", destroyed" : "") + "]";
    }
}
