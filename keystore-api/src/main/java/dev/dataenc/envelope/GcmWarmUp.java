package dev.dataenc.envelope;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Brings the JIT's compiled AES-GCM code in early, once per JVM, on a daemon thread started by the first BLOB stream.
 *
 * <p>Why: HotSpot uses the AES-CTR and GHASH intrinsics only from callers that C2 has compiled. A JVM that handles
 * only BLOBs calls {@code GHASH.update} a few times per 64 KiB segment, so it takes seconds to get there; until then
 * GHASH runs in Java. Measured on the 2-core VM (docs/BENCHMARKS.md): a 64 KiB BLOB took 0.9-1.9 ms to decrypt for
 * the first 4 seconds of a JDK 17 JVM (about 1 s on JDK 25), then about 30 µs. {@value #OPERATIONS} small encryptions
 * and decryptions, about 0.3 s on one core, make the first BLOBs fast. An application that also encrypts properties
 * gets there by itself within a few thousand of them; the warm-up only brings it forward.
 *
 * <p>Nothing secret is involved: the key is {@link AesGcm#SCRUB_KEY}, the public dummy key, and the data is zeroes.
 * The thread never throws into the application; a failure is only counted (tests). It does not start until a BLOB
 * stream is made, so an application that never uses BLOBs never runs it.
 */
final class GcmWarmUp {

    /** Encryptions (and as many decryptions) of {@value #MESSAGE} bytes the warm-up runs. */
    static final int OPERATIONS = 20_000;
    static final int MESSAGE = 256;

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile Thread thread;
    private static volatile int verified;
    private static volatile Throwable failure;

    private GcmWarmUp() {
    }

    /** Starts the warm-up the first time it is called in this JVM; later calls cost one volatile read. */
    static void startOnce() {
        if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(GcmWarmUp::run, "dataenc-gcm-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        thread = t;
        t.start();
    }

    private static void run() {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] plain = new byte[MESSAGE];
            byte[] sealed = new byte[MESSAGE + BlobFormat.TAG_LENGTH];
            byte[] opened = new byte[MESSAGE];
            byte[] iv = new byte[12];
            int ok = 0;
            for (int i = 0; i < OPERATIONS; i++) {
                iv[8] = (byte) (i >>> 24);
                iv[9] = (byte) (i >>> 16);
                iv[10] = (byte) (i >>> 8);
                iv[11] = (byte) i;
                // as SegmentCipher encrypts a segment (update, then doFinal for the tag) and decrypts one (doFinal)
                c.init(Cipher.ENCRYPT_MODE, AesGcm.SCRUB_KEY, new GCMParameterSpec(128, iv));
                int n = c.update(plain, 0, MESSAGE, sealed, 0);
                c.doFinal(sealed, n);
                c.init(Cipher.DECRYPT_MODE, AesGcm.SCRUB_KEY, new GCMParameterSpec(128, iv));
                c.doFinal(sealed, 0, sealed.length, opened, 0);
                if (Arrays.equals(plain, opened)) {
                    ok++;
                }
            }
            verified = ok;
        } catch (GeneralSecurityException | RuntimeException | Error e) {
            failure = e;
        }
    }

    /** The warm-up thread, or null before the first BLOB stream (tests). */
    static Thread threadForTest() {
        return thread;
    }

    /** Round trips that gave back their plaintext, once the thread ended (tests). */
    static int verifiedForTest() {
        return verified;
    }

    /** What stopped the warm-up, or null (tests). */
    static Throwable failureForTest() {
        return failure;
    }
}
