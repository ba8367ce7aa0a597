package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.keystore.DataKey;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.crypto.SecretKey;

/**
 * The per-blob AES-256 key, derived with HKDF-SHA256 from a CDK, the header and the context.
 * Unlike {@link javax.crypto.spec.SecretKeySpec} it can be wiped: {@link #destroy()} zeroes
 * it. (The AES engine inside a {@code Cipher} keeps its own expanded key schedule, which the
 * JDK offers no way to wipe; it goes away with the {@code Cipher}.) Never printed.
 */
final class BlobKey implements SecretKey {

    private static final long serialVersionUID = 1L;

    /** How often a CDK that the cache destroyed between hand-out and use is fetched again. */
    static final int KEY_FETCH_ATTEMPTS = 3;

    private final transient byte[] bytes;
    private volatile boolean destroyed;

    private BlobKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Derives the per-blob key. {@code cdkBytes} stay owned (and are zeroed) by the caller.
     * info = "dataenc blob v1" || header bytes || {@code ctx} (the strict UTF-8 bytes of the context).
     */
    static BlobKey derive(byte[] cdkBytes, byte[] headerBytes, byte[] salt, byte[] ctx) {
        ByteArrayOutputStream info = new ByteArrayOutputStream(BlobFormat.HKDF_INFO_LABEL.length + headerBytes.length + ctx.length);
        info.writeBytes(BlobFormat.HKDF_INFO_LABEL);
        info.writeBytes(headerBytes);
        info.writeBytes(ctx);
        return new BlobKey(Hkdf.derive(cdkBytes, salt, info.toByteArray(), BlobFormat.BLOB_KEY_LENGTH));
    }

    /**
     * A copy of the bytes of a key handed out by a {@link DataKeySource}. A source-owned key may
     * be destroyed (cache eviction) at any moment; then it is fetched again, up to
     * {@value #KEY_FETCH_ATTEMPTS} times. The returned key is used only for its id and must not
     * be kept; the returned array belongs to the caller, who zeroes it.
     */
    static Fetched fetchCdk(Supplier<DataKey> source, CdkId expected) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < KEY_FETCH_ATTEMPTS; attempt++) {
            DataKey key = source.get();
            if (key == null) {
                throw new IllegalStateException("the DataKeySource returned null"
                        + (expected == null ? " for the active CDK" : " for CDK " + expected) + "; this is a bug in the source");
            }
            if (expected != null && !expected.equals(key.cdkId())) {
                throw new IllegalStateException("the DataKeySource returned the key of CDK " + key.cdkId() + " when asked for CDK "
                        + expected + "; this is a bug in the source");
            }
            byte[] bytes;
            try {
                bytes = key.getEncoded();
            } catch (IllegalStateException e) {
                if (!key.isDestroyed()) {
                    throw e;
                }
                last = e;
                continue;
            }
            if (bytes.length != DataKey.LENGTH) {
                Arrays.fill(bytes, (byte) 0);
                throw new IllegalStateException("CDK " + key.cdkId() + " is " + bytes.length + " bytes, expected " + DataKey.LENGTH);
            }
            return new Fetched(key.cdkId(), bytes);
        }
        CdkId id = expected;
        throw new CdkUnavailableException(id, "the key of CDK " + (id == null ? "(active)" : id) + " was destroyed (evicted from the"
                + " data-key cache) " + KEY_FETCH_ATTEMPTS + " times between being fetched and being used; the cache is"
                + " probably too small for the load (raise its max entries or max age)", last);
    }

    /** A CDK id and a caller-owned copy of its key bytes. */
    record Fetched(CdkId cdkId, byte[] keyBytes) {
        void wipe() {
            Arrays.fill(keyBytes, (byte) 0);
        }

        @Override
        public String toString() {
            return "Fetched[cdk=" + cdkId + "]";
        }
    }

    @Override
    public String getAlgorithm() {
        return "AES";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("per-blob key has been destroyed (the stream is closed or failed)");
        }
        return bytes.clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "BlobKey[" + (destroyed ? "destroyed" : "32 bytes") + "]";
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.NotSerializableException {
        throw new java.io.NotSerializableException("BlobKey is never serialized");
    }
}
