package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * BLOB salts and nonce prefixes come from the IV DRBGs: lengths that are not multiples of an IV, mixed with IVs
 * across many buffer refills, never break the IV stream (an IV must always find 12 unused bytes) and never repeat.
 */
class IvSourceFillTest {

    @Test
    void oddLengthsMixedWithIvs_acrossRefills_neverFailAndNeverRepeat() {
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < 3000; i++) { // about 40 refills of the 4,080-byte buffer
            byte[] prefix = new byte[BlobFormat.NONCE_PREFIX_LENGTH];
            byte[] salt = new byte[BlobFormat.SALT_LENGTH];
            byte[] iv = new byte[AesGcm.IV_LENGTH];
            IvSource.fill(prefix);
            IvSource.fill(salt);
            IvSource.next(iv, 0);
            assertFalse(!seen.add(ByteBuffer.wrap(salt)) || !seen.add(ByteBuffer.wrap(iv)), "a repeated value at " + i);
        }
        assertEquals(6000, seen.size());
        byte[] big = new byte[IvSource.BUFFER * 2 + 5]; // longer than a buffer: filled over refills
        IvSource.fill(big);
        byte[] iv = new byte[AesGcm.IV_LENGTH];
        IvSource.next(iv, 0);
    }
}
