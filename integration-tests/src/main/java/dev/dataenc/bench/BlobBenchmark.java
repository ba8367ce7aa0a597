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
 * 64 MiB BLOB encryption and decryption, single thread, warm CDK cache, against raw JCE AES-256-GCM
 * doing the same work: dataenc reads its input from an in-memory stream and writes into a
 * discarding sink, so the JCE baselines read the same bytes from an in-memory stream into a reused
 * 64 KiB buffer and write into a reused output buffer that is dropped. Both sides thus copy every
 * input byte once out of the stream (no stream API can avoid that; on JDK 25 that copy is ~40% of
 * dataenc's CPU samples) and neither writes 64 MiB of output to memory. {@code jce} is one message fed
 * with {@code update} in 64 KiB pieces, then {@code doFinal} (a single 64 MiB {@code doFinal} stays on
 * the JDK 17 GCM slow path, ~75 MB/s here, and would flatter dataenc); {@code jcesegments} is one
 * message per 64 KiB, the ceiling for any segmented format. The {@code *array} variants run JCE straight
 * over the arrays without the stream, for reference. JCE's one-message GCM decryption holds back all
 * plaintext until the tag is checked; dataenc releases it per verified segment. Score is operations/s;
 * MB/s = score x 64 MiB.
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
    private byte[] jceWholeOut;
    private byte[] jceIn;
    private final byte[] jceCounterIv = new byte[12];
    private final byte[] jceCounterPrefix = new byte[8];
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
        jceWholeOut = new byte[size + 16];
        jceOut = new byte[CHUNK + 32];
        jceIn = new byte[CHUNK + 16];

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

    /**
     * Raw JCE, one message, the way a streaming JCE application does it: the plaintext read from the same
     * in-memory stream dataenc reads, 64 KiB at a time into a reused buffer, each piece {@code update}d into a
     * reused output buffer that is then dropped (dataenc's sink discards too), then {@code doFinal}.
     */
    @Benchmark
    public int encrypt_jce() throws Exception {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, iv));
        ByteArrayInputStream in = new ByteArrayInputStream(plaintext);
        int n = 0;
        for (int r; (r = in.readNBytes(jceIn, 0, CHUNK)) > 0; ) {
            n += jce.update(jceIn, 0, r, jceOut, 0);
        }
        return n + jce.doFinal(jceOut, 0);
    }

    /**
     * Raw JCE over the same bytes as 64 KiB messages, each with its own nonce (a counter, as dataenc
     * derives its segment nonces) and tag, read from the same in-memory stream into a reused buffer:
     * the ceiling for any segmented format read from a stream.
     */
    @Benchmark
    public int encrypt_jcesegments() throws Exception {
        random.nextBytes(jceCounterPrefix);
        System.arraycopy(jceCounterPrefix, 0, jceCounterIv, 0, 8);
        ByteArrayInputStream in = new ByteArrayInputStream(plaintext);
        int n = 0;
        for (int r, i = 0; (r = in.readNBytes(jceIn, 0, CHUNK)) > 0; i++) {
            jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, counterIv(i)));
            n += jce.doFinal(jceIn, 0, r, jceOut, 0);
        }
        return n;
    }

    /** Decrypts what {@link #setUp()} made as 64 KiB messages, read from an in-memory stream one message at a time. */
    @Benchmark
    public int decrypt_jcesegments() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(jceSegments);
        int n = 0;
        for (int r, i = 0; (r = in.readNBytes(jceIn, 0, CHUNK + 16)) > 0; i++) {
            jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, jceSegmentIvs[i]));
            n += jce.doFinal(jceIn, 0, r, jceOut, 0);
        }
        return n;
    }

    /**
     * {@link #encrypt_jce()} without the stream: JCE straight over the plaintext array (reference only; no
     * stream API can avoid copying its input out of the stream).
     */
    @Benchmark
    public int encrypt_jcearray() throws Exception {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, iv));
        int n = 0;
        for (int off = 0; off < plaintext.length; off += CHUNK) {
            n += jce.update(plaintext, off, Math.min(CHUNK, plaintext.length - off), jceOut, 0);
        }
        return n + jce.doFinal(jceOut, 0);
    }

    /** {@link #decrypt_jcesegments()} straight over the ciphertext array (reference only, see {@link #encrypt_jcearray()}). */
    @Benchmark
    public int decrypt_jcesegmentsarray() throws Exception {
        int n = 0;
        int seg = CHUNK + 16;
        for (int off = 0, i = 0; off < jceSegments.length; off += seg, i++) {
            jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, jceSegmentIvs[i]));
            n += jce.doFinal(jceSegments, off, Math.min(seg, jceSegments.length - off), jceOut, 0);
        }
        return n;
    }

    /** One message of 64 MiB: JCE holds back all plaintext until the tag is checked, so the output is 64 MiB. */
    @Benchmark
    public int decrypt_jce() throws Exception {
        jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, jceIv));
        int n = 0;
        for (int off = 0; off < jceCiphertext.length; off += CHUNK) {
            n += jce.update(jceCiphertext, off, Math.min(CHUNK, jceCiphertext.length - off), jceWholeOut, n);
        }
        return n + jce.doFinal(jceWholeOut, n);
    }

    /** A fresh nonce per segment without a random-number call: a per-run random prefix and the segment index. */
    private byte[] counterIv(int index) {
        jceCounterIv[8] = (byte) (index >>> 24);
        jceCounterIv[9] = (byte) (index >>> 16);
        jceCounterIv[10] = (byte) (index >>> 8);
        jceCounterIv[11] = (byte) index;
        return jceCounterIv;
    }
}
