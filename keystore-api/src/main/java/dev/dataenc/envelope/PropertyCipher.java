package dev.dataenc.envelope;

import static dev.dataenc.envelope.PropertyFormat.HEADER_LENGTH;
import static dev.dataenc.envelope.PropertyFormat.IV_OFFSET;
import static dev.dataenc.envelope.PropertyFormat.OVERHEAD;
import static dev.dataenc.envelope.PropertyFormat.PAYLOAD_OFFSET;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.CdkUnavailableException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.keystore.DataKey;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encrypts and decrypts property values (database columns, fields) under the ACTIVE customer data
 * key, binding each ciphertext to a caller-supplied <em>context</em> (for example
 * {@code "Customer.email"}) so that a ciphertext copied to another field does not decrypt.
 *
 * <p>Ciphertexts are self-describing (format version 1, see {@code docs/FORMAT.md}):
 * a 19-byte header with magic, version, suite and CDK id, a random 96-bit IV, the AES-256-GCM
 * ciphertext and a 128-bit tag; 47 bytes of overhead. The header and the context are the AAD.
 * The text form is {@value PropertyFormat#TEXT_PREFIX} plus unpadded base64url. Decryption
 * takes the CDK id from the header; it never tries keys.
 *
 * <p>Thread-safe; keep one instance per {@link DataKeySource}. Failures are typed
 * {@link dev.dataenc.error.DataEncException}s whose messages never contain plaintext or keys.
 */
public final class PropertyCipher {

    /** Prefix of every text-form ciphertext. */
    public static final String TEXT_PREFIX = PropertyFormat.TEXT_PREFIX;
    /** Bytes a binary ciphertext adds to the plaintext (header + IV + tag). */
    public static final int OVERHEAD_BYTES = OVERHEAD;

    /**
     * How often a key that the source destroyed under us (cache eviction racing with use) is
     * fetched again before giving up.
     */
    private static final int MAX_KEY_ATTEMPTS = 3;
    private static final int MAX_CONTEXT_SHOWN = 100;
    /** Longer contexts are encoded every time (they are not what applications use per column). */
    private static final int MAX_CACHED_CONTEXT = 256;

    /**
     * One property operation in this many is timed for the {@link OperationObserver} (chosen at random per
     * operation); the others are reported as {@link OperationObserver#NOT_TIMED}.
     */
    public static final int TIMING_SAMPLE = 32;
    private static final String PROPERTY = "property";
    private static final String ENCRYPT = "encrypt";
    private static final String DECRYPT = "decrypt";

    /** Slots of the table of encoded contexts (a power of two). */
    private static final int CONTEXT_SLOTS = 32;

    private final DataKeySource keys;
    private final OperationObserver observer;
    /**
     * Recently used contexts with their UTF-8 bytes and AAD, direct-mapped by the string's hash: applications
     * use a few constant contexts (column names), so the hot path finds the AAD instead of encoding it again.
     * Entries are immutable; a lost race only costs an encoding. The arrays are never handed out.
     */
    private final EncodedContext[] contexts = new EncodedContext[CONTEXT_SLOTS];

    /** A cipher that takes its keys from {@code keys} (typically a {@link CdkCache}). */
    public PropertyCipher(DataKeySource keys) {
        this(keys, OperationObserver.NONE);
    }

    /** A cipher that takes its keys from {@code keys} and reports each encryption and decryption to {@code observer}. */
    public PropertyCipher(DataKeySource keys, OperationObserver observer) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Encrypts under the ACTIVE CDK, bound to {@code context}.
     *
     * @param context the AAD context, e.g. {@code "Customer.email"}; may be empty, not null; encoded as strict
     *                UTF-8 without normalisation
     * @throws dev.dataenc.error.TextEncodingException if the context holds an unpaired surrogate
     * @return the binary ciphertext ({@code plaintext.length + 47} bytes)
     * @throws dev.dataenc.error.NoActiveCdkException if there is no ACTIVE CDK
     * @throws CdkUnavailableException if no configured keystore can unwrap it
     */
    public byte[] encrypt(byte[] plaintext, String context) {
        if (observer == OperationObserver.NONE) {
            return encryptUnobserved(plaintext, context);
        }
        boolean timed = timed();
        long start = timed ? System.nanoTime() : 0;
        try {
            byte[] out = encryptUnobserved(plaintext, context);
            observer.cipherOperation(PROPERTY, ENCRYPT, timed ? System.nanoTime() - start : OperationObserver.NOT_TIMED, null);
            return out;
        } catch (RuntimeException e) {
            observer.cipherOperation(PROPERTY, ENCRYPT, timed ? System.nanoTime() - start : OperationObserver.NOT_TIMED, e);
            throw e;
        }
    }

    private byte[] encryptUnobserved(byte[] plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(context, "context");
        byte[] out = new byte[OVERHEAD + plaintext.length];
        // a context that is not valid UTF-8 is refused before a key is fetched (and counted as used)
        byte[] contextBytes = contextBytes(context);
        // Keys belong to the source (cache) and may be destroyed by an eviction at any moment.
        // AesGcm fails with IllegalStateException if the key is destroyed before or while the
        // cipher takes its copy (checked again right after Cipher.init); nothing has been
        // encrypted then, so fetch the key again and retry with a fresh IV, a bounded number of times.
        for (int attempt = 1; ; attempt++) {
            DataKey key = keys.activeKey();
            byte[] aad = aad(key.cdkId(), context, contextBytes);
            PropertyFormat.writeHeader(out, key.cdkId());
            IvSource.next(out, IV_OFFSET); // a fresh random IV for every attempt
            try {
                AesGcm.encrypt(key, out, IV_OFFSET, null, 0, 0, aad,
                        plaintext, 0, plaintext.length, out, PAYLOAD_OFFSET);
                return out;
            } catch (IllegalStateException e) {
                retryOrFail(key, attempt, e);
            }
        }
    }

    /**
     * Decrypts a binary ciphertext made under {@code context}.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if it is not a readable dataenc property ciphertext
     * @throws DecryptionFailedException if it does not authenticate (modified, other context, wrong key)
     * @throws dev.dataenc.error.UnknownCdkException if the registry does not know its CDK
     * @throws CdkUnavailableException if no configured keystore can unwrap its CDK
     * @throws dev.dataenc.error.TextEncodingException if the context holds an unpaired surrogate
     */
    public byte[] decrypt(byte[] ciphertext, String context) {
        if (observer == OperationObserver.NONE) {
            return decryptUnobserved(ciphertext, context);
        }
        boolean timed = timed();
        long start = timed ? System.nanoTime() : 0;
        try {
            byte[] out = decryptUnobserved(ciphertext, context);
            observer.cipherOperation(PROPERTY, DECRYPT, timed ? System.nanoTime() - start : OperationObserver.NOT_TIMED, null);
            return out;
        } catch (RuntimeException e) {
            observer.cipherOperation(PROPERTY, DECRYPT, timed ? System.nanoTime() - start : OperationObserver.NOT_TIMED, e);
            throw e;
        }
    }

    /**
     * Whether this operation is timed: one in {@link #TIMING_SAMPLE}, at random. Reading the clock twice costs up to
     * a tenth of a small value's decryption, and a sample estimates the mean as well.
     */
    private static boolean timed() {
        return ThreadLocalRandom.current().nextInt(TIMING_SAMPLE) == 0;
    }

    private byte[] decryptUnobserved(byte[] ciphertext, String context) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(context, "context");
        CdkId id = PropertyFormat.readHeader(ciphertext);
        // the header was checked byte for byte (magic, version, suite) and the id read from it, so the
        // canonical header of id is exactly ciphertext[0, HEADER_LENGTH)
        byte[] aad = aad(id, context, null);
        byte[] out = new byte[ciphertext.length - OVERHEAD];
        for (int attempt = 1; ; attempt++) {
            DataKey key = keys.key(id);
            if (!id.equals(key.cdkId())) {
                throw new IllegalStateException("key source returned the key of CDK " + key.cdkId()
                        + " when asked for CDK " + id);
            }
            try {
                AesGcm.decrypt(key, ciphertext, IV_OFFSET, null, 0, 0, aad,
                        ciphertext, PAYLOAD_OFFSET, ciphertext.length - PAYLOAD_OFFSET, out, 0);
                return out;
            } catch (DecryptionFailedException e) {
                DataKey.zeroize(out);
                throw new DecryptionFailedException("dataenc property ciphertext of CDK " + id
                        + " does not authenticate under context '" + shown(context) + "'. Possible causes: the"
                        + " ciphertext was modified or truncated; it was encrypted under another context (for"
                        + " example copied from another column or field); or the key of CDK " + id + " is not"
                        + " the one it was encrypted with (a registry from another installation). No plaintext"
                        + " was released.", e);
            } catch (IllegalStateException e) {
                retryOrFail(key, attempt, e);
            }
        }
    }

    /**
     * Encrypts a string's UTF-8 bytes and returns the text form ({@value PropertyFormat#TEXT_PREFIX}...).
     *
     * @throws dev.dataenc.error.TextEncodingException if the plaintext or the context holds an unpaired
     *                                                 surrogate (it is never replaced by {@code '?'})
     * @see #encrypt(byte[], String)
     */
    public String encryptString(String plaintext, String context) {
        byte[] plain = StrictUtf8.encode(Objects.requireNonNull(plaintext, "plaintext"), "plaintext string");
        try {
            return PropertyFormat.encodeText(encrypt(plain, context));
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /**
     * Decrypts a text-form ciphertext to the string it was made from.
     *
     * @throws dev.dataenc.error.TextEncodingException if the decrypted bytes are not valid UTF-8 (never
     *                                                 replaced by U+FFFD), or the context holds an unpaired surrogate
     * @see #decrypt(byte[], String)
     */
    public String decryptString(String text, String context) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(context, "context");
        byte[] plain = decrypt(PropertyFormat.decodeText(text), context);
        try {
            return StrictUtf8.decode(plain, "decrypted plaintext");
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /** True when {@code value} has the text-form prefix (it is not validated further); false for null. */
    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(TEXT_PREFIX);
    }

    /**
     * The binary form of a text-form ciphertext, for code that works on ciphertext bytes (a migration re-encrypting
     * without a round trip through {@code String}). Strict: the prefix must be {@value PropertyFormat#TEXT_PREFIX} and
     * the rest canonical unpadded base64url; the header is not checked here ({@link #cdkIdOf(byte[])} checks it).
     * Nothing is decrypted.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if it is not a text-form property ciphertext
     * @see #encodeText(byte[])
     */
    public static byte[] decodeText(String text) {
        return PropertyFormat.decodeText(Objects.requireNonNull(text, "text"));
    }

    /**
     * The text form of a binary ciphertext ({@value PropertyFormat#TEXT_PREFIX} + unpadded base64url), the form
     * {@link #encryptString} returns.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if {@code ciphertext} does not start with a property
     *                                                        ciphertext header (for example a deterministic one)
     * @see #decodeText(String)
     */
    public static String encodeText(byte[] ciphertext) {
        PropertyFormat.readHeader(Objects.requireNonNull(ciphertext, "ciphertext"));
        return PropertyFormat.encodeText(ciphertext);
    }

    /**
     * The CDK a binary ciphertext was made under, from its header (nothing is decrypted).
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if the header or length is not valid
     */
    public static CdkId cdkIdOf(byte[] ciphertext) {
        return PropertyFormat.readHeader(Objects.requireNonNull(ciphertext, "ciphertext"));
    }

    /**
     * The CDK a text-form ciphertext was made under, from its header (nothing is decrypted).
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if the text, header or length is not valid
     */
    public static CdkId cdkIdOf(String text) {
        return PropertyFormat.readHeader(PropertyFormat.decodeText(Objects.requireNonNull(text, "text")));
    }

    /**
     * The AAD of a property ciphertext under CDK {@code id} and {@code context}: the 19-byte header followed
     * by the context's strict UTF-8 bytes, in one array (one {@code updateAAD} call), from the table when this
     * context was used with this CDK recently. Never modified by the caller.
     *
     * @param contextBytes the context's bytes if the caller has them already ({@link #contextBytes}), else null
     */
    private byte[] aad(CdkId id, String context, byte[] contextBytes) {
        int slot = context.hashCode() & (CONTEXT_SLOTS - 1);
        EncodedContext e = contexts[slot];
        if (e != null && (e.text == context || e.text.equals(context))) {
            if (e.id == id || e.id.equals(id)) {
                return e.aad;
            }
            return remember(slot, context, e.bytes, id);
        }
        return remember(slot, context, contextBytes != null ? contextBytes : StrictUtf8.encode(context, "context"), id);
    }

    /** The context's strict UTF-8 bytes, from the table when it is there. */
    private byte[] contextBytes(String context) {
        EncodedContext e = contexts[context.hashCode() & (CONTEXT_SLOTS - 1)];
        if (e != null && (e.text == context || e.text.equals(context))) {
            return e.bytes;
        }
        return StrictUtf8.encode(context, "context");
    }

    private byte[] remember(int slot, String context, byte[] contextBytes, CdkId id) {
        byte[] aad = new byte[HEADER_LENGTH + contextBytes.length];
        PropertyFormat.writeHeader(aad, id);
        System.arraycopy(contextBytes, 0, aad, HEADER_LENGTH, contextBytes.length);
        if (context.length() <= MAX_CACHED_CONTEXT) {
            contexts[slot] = new EncodedContext(context, contextBytes, id, aad);
        }
        return aad;
    }

    private static void retryOrFail(DataKey key, int attempt, IllegalStateException e) {
        if (!key.isDestroyed()) {
            throw e;
        }
        if (attempt >= MAX_KEY_ATTEMPTS) {
            throw new CdkUnavailableException(key.cdkId(), "the data key of CDK " + key.cdkId() + " was destroyed"
                    + " by its key source while in use " + attempt + " times in a row; the key cache is evicting"
                    + " keys faster than they are used: raise its maxEntries or maxAge", e);
        }
    }

    private static String shown(String context) {
        return context.length() <= MAX_CONTEXT_SHOWN ? context : context.substring(0, MAX_CONTEXT_SHOWN) + "...";
    }

    @Override
    public String toString() {
        return "PropertyCipher[keys=" + keys + "]";
    }

    /** A context string, its UTF-8 bytes and its AAD under one CDK (never modified: only read). */
    private record EncodedContext(String text, byte[] bytes, CdkId id, byte[] aad) {
    }
}
