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
import org.openjdk.jmh.annotations.Threads;

/**
 * Property encryption and decryption through the path applications use: the {@link PropertyCipher}
 * a host gets from {@link dev.dataenc.inject.DataEncService#propertyCipher()} (usage counting per
 * CDK, the usage ceiling, the ACTIVE-CDK rules, a warm CDK cache), side by side with raw JCE
 * AES-256-GCM (one {@code Cipher} per thread, fresh random IV per operation) and Tink's AES256_GCM
 * {@code Aead}; all bind the same context bytes as associated data. One thread; see
 * {@link ServiceBenchmarkThreads} for as many threads as cores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ServiceBenchmark {

    @Param({"64", "1024"})
    public int size;

    private static final String CONTEXT = "Customer.email";
    private static final byte[] CONTEXT_BYTES = CONTEXT.getBytes(StandardCharsets.UTF_8);

    private PropertyCipher dataenc;
    private byte[] plaintext;
    private byte[] dataencCiphertext;

    private Cipher jce;
    private SecretKey jceKey;
    private final SecureRandom random = new SecureRandom();
    private byte[] jceIv;
    private byte[] jceCiphertext;

    /** Raw JCE binding the same AAD as the dataenc format (the 19-byte header, then the context): 33 bytes. */
    private byte[] formatAad;
    private byte[] jceFormatCiphertext;

    private Aead tink;
    private byte[] tinkCiphertext;

    @Setup(Level.Trial)
    public void setUp(ServiceState service) throws Exception {
        plaintext = new byte[size];
        random.nextBytes(plaintext);

        dataenc = service.properties;
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

        formatAad = new byte[19 + CONTEXT_BYTES.length];
        System.arraycopy(dataencCiphertext, 0, formatAad, 0, 19);
        System.arraycopy(CONTEXT_BYTES, 0, formatAad, 19, CONTEXT_BYTES.length);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, dataencCiphertext, 19, 12));
        jce.updateAAD(formatAad);
        jceFormatCiphertext = jce.doFinal(plaintext);

        AeadConfig.register();
        tink = KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                        .withRandomId().makePrimary())
                .build()
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
        tinkCiphertext = tink.encrypt(plaintext, CONTEXT_BYTES);
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

    /**
     * Raw JCE encryption doing the crypto work of the dataenc format: the 19-byte header copied into the output and
     * bound with the context as AAD (33 bytes, 3 GHASH blocks instead of 1), a fresh random IV, the same output
     * layout; no key lookup, no counting. The ratio to it is what dataenc's own code costs.
     */
    @Benchmark
    public byte[] encrypt_jceformat() throws Exception {
        byte[] out = new byte[19 + 12 + plaintext.length + 16];
        System.arraycopy(formatAad, 0, out, 0, 19);
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        System.arraycopy(iv, 0, out, 19, 12);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, iv));
        jce.updateAAD(formatAad);
        jce.doFinal(plaintext, 0, plaintext.length, out, 31);
        return out;
    }

    /**
     * Raw JCE doing the crypto work of the dataenc format (AAD = header + context, 3 GHASH blocks instead of 1):
     * the ratio to it is what dataenc's own code costs, apart from what the format asks of AES-GCM.
     */
    @Benchmark
    public byte[] decrypt_jceformat() throws Exception {
        jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, dataencCiphertext, 19, 12));
        jce.updateAAD(formatAad);
        return jce.doFinal(jceFormatCiphertext);
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
