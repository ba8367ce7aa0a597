package dev.dataenc.testing;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real, in-memory keystore for tests of the data plane: AES-256-GCM wrapping under a random
 * master key, bound to the CDK id. Counts calls, can be disabled, can be slowed down, so tests
 * can assert how many keystore calls a scenario made. A fake, not a mock: it does the crypto.
 */
public final class FakeKeystore implements Keystore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final SecretKeySpec masterKey;
    private final String masterKeyId;
    private volatile MasterKeyState state = MasterKeyState.ENABLED;
    private volatile long delayMillis;
    public final AtomicInteger generateCalls = new AtomicInteger();
    public final AtomicInteger wrapCalls = new AtomicInteger();
    public final AtomicInteger unwrapCalls = new AtomicInteger();

    public FakeKeystore(String name) {
        this.name = name;
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        this.masterKey = new SecretKeySpec(k, "AES");
        Arrays.fill(k, (byte) 0);
        this.masterKeyId = "fake-" + CdkId.random();
    }

    public void setState(MasterKeyState state) {
        this.state = state;
    }

    /** Every keystore call sleeps this long first (to widen race windows in tests). */
    public void setDelayMillis(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    public int calls() {
        return generateCalls.get() + wrapCalls.get() + unwrapCalls.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return FakeKeystoreProvider.TYPE;
    }

    @Override
    public GeneratedDataKey generateDataKey(CdkId cdkId) {
        generateCalls.incrementAndGet();
        enter();
        DataKey key = DataKey.generate(cdkId);
        return new GeneratedDataKey(key, doWrap(key));
    }

    @Override
    public Wrapping wrap(DataKey key) {
        wrapCalls.incrementAndGet();
        enter();
        return doWrap(key);
    }

    @Override
    public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
        unwrapCalls.incrementAndGet();
        if (!canUnwrap(wrapping)) {
            throw new IllegalArgumentException("wrapping of keystore '" + wrapping.keystoreName() + "' given to '" + name + "'");
        }
        enter();
        byte[] w = wrapping.wrappedKey();
        if (w.length != 12 + 32 + 16) {
            throw new WrappedKeyException("wrapped key has wrong length " + w.length);
        }
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(128, w, 0, 12));
            c.updateAAD(cdkId.toBytes());
            plain = c.doFinal(w, 12, w.length - 12);
            return DataKey.copyOf(cdkId, plain);
        } catch (AEADBadTagException e) {
            throw new WrappedKeyException("wrapped key of CDK " + cdkId + " does not authenticate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    @Override
    public MasterKeyDescription describe() {
        return new MasterKeyDescription(name, masterKeyId, "1", state, "");
    }

    private void enter() {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!state.isUsable()) {
            throw new KeystoreUnavailableException(name, state,
                    "keystore '" + name + "' master key is " + state + ": " + state.remedy());
        }
    }

    private Wrapping doWrap(DataKey key) {
        byte[] plain = key.getEncoded();
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(128, iv));
            c.updateAAD(key.cdkId().toBytes());
            byte[] out = new byte[12 + 32 + 16];
            System.arraycopy(iv, 0, out, 0, 12);
            c.doFinal(plain, 0, plain.length, out, 12);
            return new Wrapping(name, masterKeyId, "1", out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    @Override
    public String toString() {
        return "FakeKeystore[" + name + "]";
    }
}
