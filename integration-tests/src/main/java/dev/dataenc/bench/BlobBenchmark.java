package dev.dataenc.bench;

import dev.dataenc.envelope.BlobCipher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
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
 * 64 MiB BLOB encryption and decryption, single thread, warm CDK cache, against raw JCE
 * AES-256-GCM over the same bytes done the fast way: one {@code Cipher}, input fed with
 * {@code update} in 64 KiB chunks into a reused output buffer, then {@code doFinal} (a single
 * 64 MiB {@code doFinal} stays on the JDK 17 GCM slow path, ~75 MB/s here, and would flatter
 * dataenc). JCE's GCM decryption holds back all plaintext until the tag is checked; dataenc
 * releases it per verified segment. dataenc streams from an in-memory source into a discarding sink, so both sides
 * measure crypto, not I/O. Score is operations/s; MB/s = score x 64 MiB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlobBenchmark {

    @Param({"67108864"})
    public int size;

    private static final String CONTEXT = "Invoice.pdf";
    private static final int CHUNK = 64 * 1024;

    private BenchKeys keys;
    private BlobCipher dataenc;
    private byte[] plaintext;
    private byte[] dataencCiphertext;

    private Cipher jce;
    private SecretKey jceKey;
    private final SecureRandom random = new SecureRandom();
    private byte[] jceIv;
    private byte[] jceCiphertext;
    private byte[] jceOut;
    private byte[] jceSegments;
    private byte[][] jceSegmentIvs;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        plaintext = new byte[size];
        random.nextBytes(plaintext);

        keys = new BenchKeys();
        dataenc = new BlobCipher(keys.cache);
        ByteArrayOutputStream ct = new ByteArrayOutputStream(size + size / 1000 + 1024);
        dataenc.encrypt(new ByteArrayInputStream(plaintext), ct, CONTEXT);
        dataencCiphertext = ct.toByteArray();

        byte[] k = new byte[32];
        random.nextBytes(k);
        jceKey = new SecretKeySpec(k, "AES");
        jce = Cipher.getInstance("AES/GCM/NoPadding");
        jceIv = new byte[12];
        random.nextBytes(jceIv);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, jceIv));
        jceCiphertext = jce.doFinal(plaintext);
        jceOut = new byte[size + 16];

        int segments = (size + CHUNK - 1) / CHUNK;
        jceSegments = new byte[size + segments * 16];
        jceSegmentIvs = new byte[segments][12];
        for (int i = 0; i < segments; i++) {
            random.nextBytes(jceSegmentIvs[i]);
            jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, jceSegmentIvs[i]));
            int len = Math.min(CHUNK, size - i * CHUNK);
            jce.doFinal(plaintext, i * CHUNK, len, jceSegments, i * (CHUNK + 16));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        keys.close();
    }

    @Benchmark
    public long encrypt_dataenc() throws Exception {
        return dataenc.encrypt(new ByteArrayInputStream(plaintext), OutputStream.nullOutputStream(), CONTEXT);
    }

    @Benchmark
    public long decrypt_dataenc() throws Exception {
        return dataenc.decrypt(new ByteArrayInputStream(dataencCiphertext), OutputStream.nullOutputStream(), CONTEXT);
    }

    @Benchmark
    public int encrypt_jce() throws Exception {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, iv));
        int n = 0;
        for (int off = 0; off < plaintext.length; off += CHUNK) {
            n += jce.update(plaintext, off, Math.min(CHUNK, plaintext.length - off), jceOut, n);
        }
        return n + jce.doFinal(jceOut, n);
    }

    /** Raw JCE over the same bytes as 64 KiB messages, each with its own IV and tag: the ceiling for any segmented format. */
    @Benchmark
    public int encrypt_jcesegments() throws Exception {
        byte[] iv = new byte[12];
        int n = 0;
        for (int off = 0; off < plaintext.length; off += CHUNK) {
            random.nextBytes(iv);
            jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, iv));
            n += jce.doFinal(plaintext, off, Math.min(CHUNK, plaintext.length - off), jceOut, 0);
        }
        return n;
    }

    /** Decrypts what {@link #encrypt_jcesegments()} makes (64 KiB messages, one {@code doFinal} each). */
    @Benchmark
    public int decrypt_jcesegments() throws Exception {
        int n = 0;
        int seg = CHUNK + 16;
        for (int off = 0, i = 0; off < jceSegments.length; off += seg, i++) {
            jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, jceSegmentIvs[i]));
            n += jce.doFinal(jceSegments, off, Math.min(seg, jceSegments.length - off), jceOut, 0);
        }
        return n;
    }

    @Benchmark
    public int decrypt_jce() throws Exception {
        jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, jceIv));
        int n = 0;
        for (int off = 0; off < jceCiphertext.length; off += CHUNK) {
            n += jce.update(jceCiphertext, off, Math.min(CHUNK, jceCiphertext.length - off), jceOut, n);
        }
        return n + jce.doFinal(jceOut, n);
    }
}
