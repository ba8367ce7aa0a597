package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IVs from the buffered DRBGs: every one distinct across many buffer refills, written only where asked. */
class IvSourceTest {

    @Test
    void manyIvsAcrossRefills_allDistinct_onlyTheTwelveBytesWritten() {
        int n = 20 * IvSource.BUFFER / AesGcm.IV_LENGTH + 7; // crosses 20 refills of this thread's stripe
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            byte[] out = new byte[AesGcm.IV_LENGTH + 2];
            IvSource.next(out, 1);
            assertEquals(0, out[0], "byte before the IV untouched");
            assertEquals(0, out[out.length - 1], "byte after the IV untouched");
            assertTrue(seen.add(ByteBuffer.wrap(out, 1, AesGcm.IV_LENGTH).slice()), "IV repeated at " + i);
        }
    }
}
