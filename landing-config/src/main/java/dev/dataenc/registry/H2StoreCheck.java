package dev.dataenc.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that an H2 database file ({@code .mv.db}, H2 2.x MVStore format) is whole before H2 opens
 * it. H2 itself opens a cut-off file without complaint: it falls back to the newest chunk it can
 * still read, an older state of the registry, or, for a file cut inside its headers, a new empty
 * database. The checks follow the documented file format (h2database.com, "MVStore: File Format"):
 * <ul>
 *   <li>the size is a whole number of 4096-byte blocks, at least two header blocks and one chunk;</li>
 *   <li>one of the two file headers is intact (its Fletcher-32 checksum matches);</li>
 *   <li>the file ends with an intact chunk footer, and that chunk's header is where the footer says;</li>
 *   <li>the file still holds a chunk at least as new as the one the header names.</li>
 * </ul>
 * A file cut exactly at a chunk boundary of a store that was not closed cleanly can pass; every
 * other cut is found.
 */
final class H2StoreCheck {

    static final int BLOCK = 4096;
    private static final int FOOTER = 128;

    private H2StoreCheck() {
    }

    /** What is wrong with the file, or empty when it looks whole. */
    static Optional<String> problem(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size % BLOCK != 0) {
                return Optional.of("its size (" + size + " bytes) is not a whole number of H2's 4096-byte blocks");
            }
            if (size < 3L * BLOCK) {
                return Optional.of("it is too short (" + size + " bytes) to hold H2's two file headers and a chunk");
            }
            Map<String, String> header = header(read(ch, 0, BLOCK));
            if (header == null) {
                header = header(read(ch, BLOCK, BLOCK));
            }
            if (header == null || !"2".equals(header.get("H"))) {
                return Optional.of("it has no intact H2 file header");
            }
            String footerText = new String(read(ch, size - FOOTER, FOOTER), StandardCharsets.ISO_8859_1).trim();
            Map<String, String> footer = checked(footerText);
            if (footer == null || footer.get("chunk") == null || footer.get("len") == null) {
                return Optional.of("it does not end with a complete H2 chunk");
            }
            long len = Long.parseLong(footer.get("len"), 16);
            long start = size - len * BLOCK;
            if (len <= 0 || start < 2L * BLOCK || !chunkAt(ch, start, footer.get("chunk"))) {
                return Optional.of("its last chunk does not start where its footer says");
            }
            // The header's chunk pointer (block) is not trusted: H2 does not rewrite the header each time chunks
            // move (compaction), so a whole file can name a chunk that is no longer at that block (this refused
            // healthy H2 2.4.240 files). But the header is written after the chunk it names, so a whole file
            // always holds a chunk at least that new; a file that lost its end usually does not.
            if (header.containsKey("chunk")) {
                long named = Long.parseLong(header.get("chunk"), 16);
                long newest = newestChunk(ch, size);
                if (newest < named) {
                    return Optional.of("its header names chunk " + header.get("chunk") + " but the newest chunk left in"
                            + " the file is " + Long.toHexString(newest) + ": its end is missing");
                }
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.of("it has an unreadable H2 header or footer");
        }
    }

    /** The highest chunk id whose chunk header starts a block of the file (-1 if none). */
    private static long newestChunk(FileChannel ch, long size) throws IOException {
        long newest = -1;
        for (long pos = 2L * BLOCK; pos < size; pos += BLOCK) {
            String text = new String(read(ch, pos, 32), StandardCharsets.ISO_8859_1);
            if (text.startsWith("chunk:")) {
                int comma = text.indexOf(',');
                if (comma > "chunk:".length()) {
                    try {
                        newest = Math.max(newest, Long.parseLong(text.substring("chunk:".length(), comma), 16));
                    } catch (NumberFormatException notAChunkHeader) {
                        // page data that happens to start with these letters
                    }
                }
            }
        }
        return newest;
    }

    private static boolean chunkAt(FileChannel ch, long pos, String id) throws IOException {
        String text = new String(read(ch, pos, 64), StandardCharsets.ISO_8859_1);
        return text.startsWith("chunk:" + id + ",");
    }

    private static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                break;
            }
        }
        return buf.array();
    }

    /** A header block's fields when its checksum matches, else null. */
    private static Map<String, String> header(byte[] block) {
        String text = new String(block, StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\n');
        return checked((end < 0 ? text : text.substring(0, end)).trim());
    }

    /** {@code key:value,...,fletcher:xxxxxxxx} parsed, when the Fletcher-32 of the text before {@code ,fletcher:} matches. */
    private static Map<String, String> checked(String text) {
        int at = text.lastIndexOf(",fletcher:");
        if (at < 0) {
            return null;
        }
        byte[] covered = text.substring(0, at).getBytes(StandardCharsets.ISO_8859_1);
        long expected;
        try {
            expected = Long.parseLong(text.substring(at + ",fletcher:".length()), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        if ((fletcher32(covered) & 0xffffffffL) != expected) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        for (String kv : text.substring(0, at).split(",")) {
            int colon = kv.indexOf(':');
            if (colon > 0) {
                fields.put(kv.substring(0, colon), kv.substring(colon + 1));
            }
        }
        return fields;
    }

    /** H2's Fletcher-32 over 16-bit big-endian words (an odd last byte padded with 0). */
    static int fletcher32(byte[] bytes) {
        int s1 = 0xffff;
        int s2 = 0xffff;
        int i = 0;
        int len = bytes.length & ~1;
        while (i < len) {
            for (int end = Math.min(i + 720, len); i < end; ) {
                int x = ((bytes[i++] & 0xff) << 8) | (bytes[i++] & 0xff);
                s2 += s1 += x;
            }
            s1 = (s1 & 0xffff) + (s1 >>> 16);
            s2 = (s2 & 0xffff) + (s2 >>> 16);
        }
        if ((bytes.length & 1) != 0) {
            int x = (bytes[i] & 0xff) << 8;
            s2 += s1 += x;
        }
        s1 = (s1 & 0xffff) + (s1 >>> 16);
        s2 = (s2 & 0xffff) + (s2 >>> 16);
        return (s2 << 16) | s1;
    }
}
