package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MissingLibraryException;
import dev.dataenc.keystore.DataKey;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Deterministic ("searchable") encryption of property values: the same plaintext, context and CDK always give
 * the same ciphertext, so a database can find a row by equality on the encrypted column. It uses AES-SIV
 * (RFC 5297, Tink's {@code subtle.AesSiv}) under a 512-bit key derived from the CDK with HKDF-SHA256 and the
 * label {@code "dataenc siv v1"}; the header and the context are its associated data (suite 3 of format
 * version 1, text prefix {@value DeterministicFormat#TEXT_PREFIX}, see {@code docs/FORMAT.md}).
 *
 * <p><b>What it leaks:</b> equal plaintexts under one context and CDK have equal ciphertexts, so whoever reads
 * the column sees which rows share a value and how often each value occurs (frequency analysis of low-entropy
 * values such as a country or a yes/no field reveals them). Use it only for columns that must be searched by
 * equality and hold high-entropy, mostly unique values (e-mail addresses, account numbers); use
 * {@link PropertyCipher} for everything else.
 *
 * <p>Since a value is encrypted under the ACTIVE CDK, rows written before a rotation are under an older
 * CDK: query with {@link #lookupStrings} (the ciphertexts under every CDK still in use), e.g.
 * {@code where email in (:candidates)}.
 *
 * <p>Thread-safe. Failures are typed {@link dev.dataenc.error.DataEncException}s that never contain plaintext
 * or keys.
 */
public final class DeterministicCipher {

    /** Prefix of every text-form deterministic ciphertext. */
    public static final String TEXT_PREFIX = DeterministicFormat.TEXT_PREFIX;
    /** Bytes a binary ciphertext adds to the plaintext (19-byte header + 16-byte synthetic IV). */
    public static final int OVERHEAD_BYTES = DeterministicFormat.OVERHEAD;

    private static final int MAX_CONTEXT_SHOWN = 100;
    private static final byte[] ZERO_SALT = new byte[Hkdf.HASH_LENGTH];

    private final DataKeySource keys;
    private final Supplier<? extends Collection<CdkId>> cdksInUse;
    /**
     * The AES-SIV primitive derived from each CDK's key, kept while that {@link DataKey} lives: it is dropped when
     * the key is destroyed (evicted from the cache, closed), so the derived key schedule lives no longer than the
     * CDK's own bytes, and the HKDF and Tink's key setup run once per cached key instead of once per value.
     */
    private final ConcurrentHashMap<CdkId, Derived> derived = new ConcurrentHashMap<>();

    /**
     * @param keys      where keys come from (the ACTIVE one for {@link #encrypt}); typically the same source
     *                  as the application's {@link PropertyCipher}, so both are counted alike
     * @param cdksInUse the CDKs whose ciphertexts may still be stored (ACTIVE and DECRYPT_ONLY), asked at every
     *                  {@link #lookup}
     */
    public DeterministicCipher(DataKeySource keys, Supplier<? extends Collection<CdkId>> cdksInUse) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.cdksInUse = Objects.requireNonNull(cdksInUse, "cdksInUse");
    }

    /**
     * Encrypts under the ACTIVE CDK, bound to {@code context}; the same inputs always give the same output.
     *
     * @return the binary ciphertext ({@code plaintext.length + 35} bytes)
     * @throws dev.dataenc.error.NoActiveCdkException if there is no ACTIVE CDK
     * @throws dev.dataenc.error.CdkUnavailableException if no configured keystore can unwrap it
     * @throws dev.dataenc.error.TextEncodingException if the context holds an unpaired surrogate
     */
    public byte[] encrypt(byte[] plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] contextBytes = StrictUtf8.encode(Objects.requireNonNull(context, "context"), "context");
        Derived d = derive(keys::activeKey, null);
        return encryptWith(d.cdkId(), d.siv, plaintext, contextBytes);
    }

    /**
     * Decrypts a binary deterministic ciphertext made under {@code context}.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if it is not a deterministic dataenc ciphertext
     * @throws DecryptionFailedException if it does not authenticate (modified, other context, wrong key)
     * @throws dev.dataenc.error.UnknownCdkException if the registry does not know its CDK
     * @throws dev.dataenc.error.CdkUnavailableException if no configured keystore can unwrap its CDK
     */
    public byte[] decrypt(byte[] ciphertext, String context) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(context, "context");
        CdkId id = DeterministicFormat.readHeader(ciphertext);
        byte[] contextBytes = StrictUtf8.encode(context, "context");
        AesSivPrimitive siv = derive(() -> keys.key(id), id).siv;
        try {
            return siv.open(
                    Arrays.copyOfRange(ciphertext, DeterministicFormat.HEADER_LENGTH, ciphertext.length),
                    associatedData(ciphertext, contextBytes));
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException("dataenc deterministic ciphertext of CDK " + id + " does not"
                    + " authenticate under context '" + shown(context) + "'. Possible causes: the ciphertext was modified"
                    + " or truncated; it was encrypted under another context (copied from another column); or the key of"
                    + " CDK " + id + " is not the one it was encrypted with. No plaintext was released.", e);
        }
    }

    /** Encrypts a string's UTF-8 bytes and returns the text form ({@value DeterministicFormat#TEXT_PREFIX}...). */
    public String encryptString(String plaintext, String context) {
        byte[] plain = StrictUtf8.encode(Objects.requireNonNull(plaintext, "plaintext"), "plaintext string");
        try {
            return DeterministicFormat.encodeText(encrypt(plain, context));
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /**
     * Decrypts a text-form deterministic ciphertext to the string it was made from.
     *
     * @throws dev.dataenc.error.TextEncodingException if the decrypted bytes are not valid UTF-8
     * @see #decrypt(byte[], String)
     */
    public String decryptString(String text, String context) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(context, "context");
        byte[] plain = decrypt(DeterministicFormat.decodeText(text), context);
        try {
            return StrictUtf8.decode(plain, "decrypted plaintext");
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /**
     * The binary ciphertexts of {@code plaintext} under every CDK in use (the ACTIVE CDK first, then older
     * ones), for a query such as {@code where col in (:candidates)} that must find rows written before a
     * rotation or a keystore switch. Not counted as encryptions (nothing is stored).
     *
     * @throws dev.dataenc.error.CdkUnavailableException if a CDK in use cannot be unwrapped (a lookup that
     *                                                   silently left it out would miss rows)
     */
    public List<byte[]> lookup(byte[] plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] contextBytes = StrictUtf8.encode(Objects.requireNonNull(context, "context"), "context");
        List<byte[]> out = new ArrayList<>();
        for (CdkId id : new LinkedHashSet<>(cdksInUse.get())) {
            out.add(encryptWith(id, derive(() -> keys.key(id), id).siv, plaintext, contextBytes));
        }
        return out;
    }

    /** As {@link #lookup(byte[], String)} in text form: the candidates for a text column. */
    public List<String> lookupStrings(String plaintext, String context) {
        byte[] plain = StrictUtf8.encode(Objects.requireNonNull(plaintext, "plaintext"), "plaintext string");
        try {
            return lookup(plain, context).stream().map(DeterministicFormat::encodeText).toList();
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /** True when {@code value} has the deterministic text prefix (not validated further); false for null. */
    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(TEXT_PREFIX);
    }

    /**
     * The CDK a text-form deterministic ciphertext was made under, from its header (nothing is decrypted).
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if the text, header or length is not valid
     */
    public static CdkId cdkIdOf(String text) {
        return DeterministicFormat.readHeader(DeterministicFormat.decodeText(Objects.requireNonNull(text, "text")));
    }

    /**
     * The CDK a binary deterministic ciphertext was made under, from its header (nothing is decrypted).
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if the header or length is not valid
     */
    public static CdkId cdkIdOf(byte[] ciphertext) {
        return DeterministicFormat.readHeader(Objects.requireNonNull(ciphertext, "ciphertext"));
    }

    /**
     * The binary form of a text-form deterministic ciphertext, for code that works on ciphertext bytes. Strict: the
     * prefix must be {@value DeterministicFormat#TEXT_PREFIX} and the rest canonical unpadded base64url; the header is
     * not checked here ({@link #cdkIdOf(byte[])} checks it). Nothing is decrypted.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if it is not a text-form deterministic ciphertext
     * @see #encodeText(byte[])
     */
    public static byte[] decodeText(String text) {
        return DeterministicFormat.decodeText(Objects.requireNonNull(text, "text"));
    }

    /**
     * The text form of a binary deterministic ciphertext ({@value DeterministicFormat#TEXT_PREFIX} + unpadded
     * base64url), the form {@link #encryptString} returns.
     *
     * @throws dev.dataenc.error.MalformedCiphertextException if {@code ciphertext} does not start with a deterministic
     *                                                        ciphertext header
     * @see #decodeText(String)
     */
    public static String encodeText(byte[] ciphertext) {
        DeterministicFormat.readHeader(Objects.requireNonNull(ciphertext, "ciphertext"));
        return DeterministicFormat.encodeText(ciphertext);
    }

    private static byte[] encryptWith(CdkId cdkId, AesSivPrimitive siv, byte[] plaintext, byte[] contextBytes) {
        byte[] header = new byte[DeterministicFormat.HEADER_LENGTH];
        DeterministicFormat.writeHeader(header, cdkId);
        byte[] sealed;
        try {
            sealed = siv.seal(plaintext, associatedData(header, contextBytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-SIV refused to encrypt (" + e.getClass().getSimpleName() + ")", e);
        }
        byte[] out = new byte[header.length + sealed.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(sealed, 0, out, header.length, sealed.length);
        return out;
    }

    /**
     * The primitive of the key {@code source} gives now: the one derived from that same {@link DataKey} object if it
     * is still alive, otherwise derived again (and kept until that key is destroyed).
     */
    private Derived derive(Supplier<DataKey> source, CdkId expected) {
        DataKey key = source.get();
        if (key != null && (expected == null || expected.equals(key.cdkId()))) {
            Derived d = derived.get(key.cdkId());
            if (d != null && d.source == key && !key.isDestroyed()) {
                return d;
            }
        }
        // slow path: fetchCdk validates the key and asks again if it was destroyed meanwhile; remember which
        // DataKey the bytes came from, so the primitive is dropped when that key is destroyed
        DataKey[] from = {key};
        boolean[] first = {true};
        BlobKey.Fetched cdk = BlobKey.fetchCdk(() -> {
            if (first[0] && from[0] != null) {
                first[0] = false;
                return from[0];
            }
            first[0] = false;
            from[0] = source.get();
            return from[0];
        }, expected);
        Derived d = new Derived(from[0], siv(cdk));
        CdkId id = d.cdkId();
        derived.put(id, d);
        // runs now if the key was destroyed since its bytes were read, so a dead key's primitive is never kept
        d.source.onDestroy(() -> derived.remove(id, d));
        return d;
    }

    /** How many derived primitives are kept (for tests). */
    int derivedKeys() {
        return derived.size();
    }

    /** A CDK's key and the AES-SIV primitive derived from it. */
    private record Derived(DataKey source, AesSivPrimitive siv) {
        CdkId cdkId() {
            return source.cdkId();
        }

        @Override
        public String toString() {
            return "Derived[cdk=" + source.cdkId() + "]";
        }
    }

    /** Derives the SIV key and wipes both the CDK copy and the derived bytes (Tink keeps its own key schedule). */
    private static AesSivPrimitive siv(BlobKey.Fetched cdk) {
        byte[] info = new byte[DeterministicFormat.KEY_LABEL.length + CdkId.LENGTH];
        System.arraycopy(DeterministicFormat.KEY_LABEL, 0, info, 0, DeterministicFormat.KEY_LABEL.length);
        cdk.cdkId().write(info, DeterministicFormat.KEY_LABEL.length);
        byte[] sivKey = Hkdf.derive(cdk.keyBytes(), ZERO_SALT, info, DeterministicFormat.SIV_KEY_LENGTH);
        try {
            return new AesSivPrimitive(sivKey);
        } catch (NoClassDefFoundError e) {
            throw new MissingLibraryException("deterministic (searchable) fields need Tink on the class path: add"
                    + " com.google.crypto.tink:tink (an optional dependency of keystore-api; its own dependencies are not"
                    + " needed)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-SIV refused a " + sivKey.length + "-byte key", e);
        } finally {
            DataKey.zeroize(sivKey);
            cdk.wipe();
        }
    }

    /** The header (first 19 bytes of {@code headerSource}) followed by the context bytes. */
    private static byte[] associatedData(byte[] headerSource, byte[] contextBytes) {
        byte[] ad = new byte[DeterministicFormat.HEADER_LENGTH + contextBytes.length];
        System.arraycopy(headerSource, 0, ad, 0, DeterministicFormat.HEADER_LENGTH);
        System.arraycopy(contextBytes, 0, ad, DeterministicFormat.HEADER_LENGTH, contextBytes.length);
        return ad;
    }

    private static String shown(String context) {
        return context.length() <= MAX_CONTEXT_SHOWN ? context : context.substring(0, MAX_CONTEXT_SHOWN) + "...";
    }

    @Override
    public String toString() {
        return "DeterministicCipher[keys=" + keys + "]";
    }
}
