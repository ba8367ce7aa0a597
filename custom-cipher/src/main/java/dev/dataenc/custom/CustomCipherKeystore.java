package dev.dataenc.custom;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.nio.charset.StandardCharsets;

/**
 * The {@code custom} keystore: wraps CDKs with a site-specific {@link CustomCipher}.
 *
 * <h2>Settings</h2>
 * <ul>
 *   <li>{@code class} (required): fully qualified name of the site's {@link CustomCipher} class, loaded with
 *       the thread context class loader (falling back to this library's).</li>
 *   <li>anything else: passed unchanged to {@link CustomCipher#init}. Name secret settings with
 *       {@code password}, {@code secret} or {@code token} in the key so that dataenc never prints them.</li>
 * </ul>
 *
 * <p>On creation the cipher is self-tested (see {@link CustomCipherSelfTest}); an unauthenticated cipher
 * is refused. If the cipher's state is not ENABLED then, the self-test runs before its first use.
 *
 * <p>Wrapped key: {@code 0x01 | cipher.encrypt(CDK, aad)} with
 * {@code aad = "dataenc/custom/v1" | CDK id (16 bytes)}. The master key id of a wrapping is the cipher's
 * {@link CustomCipher#keyId()}; there are no versions. {@link #canUnwrap} accepts only wrappings of this
 * keystore name whose master key id is the cipher's key id; {@link #masterKeyIdentity()} is
 * {@code custom:<class>/<key id>}.
 */
public final class CustomCipherKeystore implements Keystore {

    /** The type name in configuration. */
    public static final String TYPE = "custom";

    private static final byte FORMAT = 0x01;
    private static final byte[] DOMAIN = "dataenc/custom/v1".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final String className;
    private final CustomCipher cipher;
    private volatile boolean selfTested;

    private CustomCipherKeystore(String name, String className, CustomCipher cipher) {
        this.name = name;
        this.className = className;
        this.cipher = cipher;
    }

    /**
     * Loads, initialises and self-tests the cipher class named in {@code settings}.
     *
     * @throws dev.dataenc.error.KeystoreConfigurationException if the class is missing, is not a
     *         {@link CustomCipher}, cannot be created or initialised, or fails the self-test
     */
    public static CustomCipherKeystore create(KeystoreSettings settings) {
        CustomCipher cipher = CustomCipherLoader.load(settings);
        CustomCipherKeystore ks = new CustomCipherKeystore(settings.name(), cipher.getClass().getName(), cipher);
        try {
            if (cipher.state() == MasterKeyState.ENABLED) {
                ks.selfTest();
            }
        } catch (RuntimeException e) {
            cipher.close();
            throw e;
        }
        return ks;
    }

    /** The site's cipher (for tests in this package). */
    CustomCipher cipher() {
        return cipher;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public GeneratedDataKey generateDataKey(CdkId cdkId) {
        return GeneratedDataKey.wrapNew(cdkId, this::wrap);
    }

    @Override
    public Wrapping wrap(DataKey key) {
        checkUsable();
        byte[] plain = key.getEncoded();
        try {
            byte[] ct = cipher.encrypt(plain, aad(key.cdkId()));
            byte[] out = new byte[1 + ct.length];
            out[0] = FORMAT;
            System.arraycopy(ct, 0, out, 1, ct.length);
            return new Wrapping(name, cipher.keyId(), "", out);
        } catch (Exception e) {
            throw new KeystoreUnavailableException(name, MasterKeyState.UNAVAILABLE, describeSelf() + " failed to encrypt"
                    + " CDK " + key.cdkId() + ": " + e.getClass().getName() + ": " + MasterKeyState.UNAVAILABLE.remedy(), e);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    @Override
    public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
        if (!canUnwrap(wrapping)) {
            throw new IllegalArgumentException("wrapping of keystore '" + wrapping.keystoreName() + "' key '"
                    + wrapping.masterKeyId() + "' given to custom keystore '" + name + "' (key '" + keyIdOrNull()
                    + "'); choose the keystore with canUnwrap");
        }
        checkUsable();
        byte[] w = wrapping.wrappedKey();
        if (w.length < 2 || w[0] != FORMAT) {
            throw new WrappedKeyException("the wrapped key of CDK " + cdkId + " is not a custom-cipher wrapping ("
                    + (w.length < 2 ? w.length + " bytes" : String.format("format byte 0x%02x, expected 0x%02x", w[0], FORMAT))
                    + ")");
        }
        byte[] ct = new byte[w.length - 1];
        System.arraycopy(w, 1, ct, 0, ct.length);
        byte[] plain = null;
        try {
            plain = cipher.decrypt(ct, aad(cdkId));
        } catch (Exception e) {
            throw new WrappedKeyException("the wrapped key of CDK " + cdkId + " does not decrypt with " + describeSelf()
                    + " (key " + wrapping.masterKeyId() + "): it was altered, belongs to another CDK, or was made with"
                    + " another key", e);
        }
        try {
            if (plain == null || plain.length != DataKey.LENGTH) {
                throw new WrappedKeyException("the wrapped key of CDK " + cdkId + " decrypted to "
                        + (plain == null ? "nothing" : plain.length + " bytes") + ", not a " + DataKey.LENGTH + "-byte key");
            }
            return DataKey.copyOf(cdkId, plain);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /**
     * True when the wrapping was made by this keystore name with this cipher's key: its master key id must be
     * the cipher's {@link CustomCipher#keyId()}, so a wrapping recorded under another key of the same site
     * cipher is not taken for one of this key's.
     */
    @Override
    public boolean canUnwrap(Wrapping wrapping) {
        return name.equals(wrapping.keystoreName()) && keyIdOrNull() != null && keyIdOrNull().equals(wrapping.masterKeyId());
    }

    /** {@code custom:<class>/<key id>}: the cipher class and the key it uses, whatever the keystore is named. */
    @Override
    public String masterKeyIdentity() {
        return TYPE + ":" + className + "/" + keyIdOrNull();
    }

    private String keyIdOrNull() {
        try {
            return cipher.keyId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public MasterKeyDescription describe() {
        MasterKeyState state;
        String detail = "class " + className;
        String keyId;
        try {
            state = cipher.state();
            keyId = cipher.keyId();
        } catch (RuntimeException e) {
            return new MasterKeyDescription(name, className, "", MasterKeyState.UNAVAILABLE,
                    detail + ": state() failed: " + e.getClass().getName());
        }
        return new MasterKeyDescription(name, keyId, "", state == null ? MasterKeyState.UNAVAILABLE : state, detail);
    }

    /** Closes the site's cipher. */
    @Override
    public void close() {
        cipher.close();
    }

    private void checkUsable() {
        MasterKeyState state = cipher.state();
        if (state != MasterKeyState.ENABLED) {
            MasterKeyState s = state == null ? MasterKeyState.UNAVAILABLE : state;
            throw new KeystoreUnavailableException(name, s, describeSelf() + " reports its key as " + s + ": "
                    + s.remedy());
        }
        if (!selfTested) {
            selfTest();
        }
    }

    private synchronized void selfTest() {
        if (!selfTested) {
            CustomCipherSelfTest.run(cipher, className + " of keystore '" + name + "'");
            selfTested = true;
        }
    }

    private String describeSelf() {
        return "custom keystore '" + name + "' (class " + className + ")";
    }

    private static byte[] aad(CdkId cdkId) {
        byte[] aad = new byte[DOMAIN.length + CdkId.LENGTH];
        System.arraycopy(DOMAIN, 0, aad, 0, DOMAIN.length);
        cdkId.write(aad, DOMAIN.length);
        return aad;
    }

    @Override
    public String toString() {
        return "CustomCipherKeystore[name=" + name + ", class=" + className + "]";
    }
}
