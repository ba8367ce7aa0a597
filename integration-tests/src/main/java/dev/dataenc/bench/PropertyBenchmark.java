package dev.dataenc.bench;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import dev.dataenc.envelope.PropertyCipher;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Property encryption and decryption, single thread, warm CDK cache, side by side with two
 * baselines: raw JCE AES-256-GCM done the fast way (one {@code Cipher} per thread re-initialised
 * with a fresh random 96-bit IV per operation) and Tink's AES256_GCM {@code Aead}. All three
 * bind the same context bytes as associated data.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PropertyBenchmark {

    @Param({"64", "1024"})
    public int size;

    private static final String CONTEXT = "Customer.email";
    private static final byte[] CONTEXT_BYTES = CONTEXT.getBytes(StandardCharsets.UTF_8);

    private BenchKeys keys;
    private PropertyCipher dataenc;
    private byte[] plaintext;
    private byte[] dataencCiphertext;

    private Cipher jce;
    private SecretKey jceKey;
    private final SecureRandom random = new SecureRandom();
    private byte[] jceIv;
    private byte[] jceCiphertext;

    private Aead tink;
    private byte[] tinkCiphertext;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        plaintext = new byte[size];
        random.nextBytes(plaintext);

        keys = new BenchKeys();
        dataenc = new PropertyCipher(keys.cache);
        dataencCiphertext = dataenc.encrypt(plaintext, CONTEXT);

        byte[] k = new byte[32];
        random.nextBytes(k);
        jceKey = new SecretKeySpec(k, "AES");
        jce = Cipher.getInstance("AES/GCM/NoPadding");
        jceIv = new byte[12];
        random.nextBytes(jceIv);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, jceIv));
        jce.updateAAD(CONTEXT_BYTES);
        jceCiphertext = jce.doFinal(plaintext);

        AeadConfig.register();
        tink = KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                        .withRandomId().makePrimary())
                .build()
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
        tinkCiphertext = tink.encrypt(plaintext, CONTEXT_BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        keys.close();
    }

    @Benchmark
    public byte[] encrypt_dataenc() {
        return dataenc.encrypt(plaintext, CONTEXT);
    }

    @Benchmark
    public byte[] decrypt_dataenc() {
        return dataenc.decrypt(dataencCiphertext, CONTEXT);
    }

    @Benchmark
    public byte[] encrypt_jce() throws Exception {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, iv));
        jce.updateAAD(CONTEXT_BYTES);
        byte[] out = new byte[12 + plaintext.length + 16];
        System.arraycopy(iv, 0, out, 0, 12);
        jce.doFinal(plaintext, 0, plaintext.length, out, 12);
        return out;
    }

    @Benchmark
    public byte[] decrypt_jce() throws Exception {
        jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, jceIv));
        jce.updateAAD(CONTEXT_BYTES);
        return jce.doFinal(jceCiphertext);
    }

    @Benchmark
    public byte[] encrypt_tink() throws Exception {
        return tink.encrypt(plaintext, CONTEXT_BYTES);
    }

    @Benchmark
    public byte[] decrypt_tink() throws Exception {
        return tink.decrypt(tinkCiphertext, CONTEXT_BYTES);
    }
}
