package dev.dataenc.envelope;

/**
 * Builds the 12-byte GCM nonce of a BLOB segment: nonce prefix (7 bytes) || segment index
 * (uint32 big-endian) || last-segment flag (0x00 or 0x01). The index stops segments being
 * dropped, duplicated or reordered; the flag stops truncation at a segment boundary.
 */
final class SegmentNonce {

    private final byte[] nonce = new byte[BlobFormat.NONCE_LENGTH];

    SegmentNonce(byte[] noncePrefix) {
        if (noncePrefix.length != BlobFormat.NONCE_PREFIX_LENGTH) {
            throw new IllegalArgumentException("nonce prefix must be " + BlobFormat.NONCE_PREFIX_LENGTH + " bytes");
        }
        System.arraycopy(noncePrefix, 0, nonce, 0, BlobFormat.NONCE_PREFIX_LENGTH);
    }

    /**
     * The nonce of segment {@code index}; the returned array is reused by the next call.
     *
     * @throws IllegalArgumentException if {@code index} is outside 0..2^32-1
     */
    byte[] of(long index, boolean last) {
        if (index < 0 || index > BlobFormat.MAX_SEGMENT_INDEX) {
            throw new IllegalArgumentException("segment index " + index + " does not fit in 32 bits");
        }
        int p = BlobFormat.NONCE_PREFIX_LENGTH;
        nonce[p] = (byte) (index >>> 24);
        nonce[p + 1] = (byte) (index >>> 16);
        nonce[p + 2] = (byte) (index >>> 8);
        nonce[p + 3] = (byte) index;
        nonce[p + 4] = last ? (byte) 1 : (byte) 0;
        return nonce;
    }
}
