package dev.dataenc.cli;

import dev.dataenc.envelope.BlobFormat;
import dev.dataenc.envelope.BlobHeader;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads a ciphertext given to {@code dataenc inspect} or {@code dataenc decrypt}, or a value given to
 * {@code dataenc encrypt}: the text form, or the bytes of a binary property ciphertext or BLOB. Every read is bounded,
 * so that an endless input ({@code /dev/zero}, {@code yes |}) ends the command with one line: a text form is read whole
 * up to {@link #MAX_TEXT} bytes, a binary property ciphertext up to {@link #MAX_BINARY}, a value up to
 * {@link #MAX_VALUE}; of a BLOB only the header is read (and the length of a file taken from the file system).
 */
final class CiphertextInput {

    /**
     * The largest property value: 48 MiB. The format has no limit of its own; this one keeps a value, its binary and
     * its text form in memory at once without running out of it, and a larger input is a file for a BLOB.
     */
    static final int MAX_VALUE = 48 * 1024 * 1024;
    /** The longest binary property ciphertext: that of a {@link #MAX_VALUE}-byte value (47 bytes more). */
    static final int MAX_BINARY = MAX_VALUE + PropertyCipher.OVERHEAD_BYTES;
    /** The longest text-form ciphertext, 67,108,938 bytes: that of a {@link #MAX_VALUE}-byte value. */
    static final int MAX_TEXT = PropertyCipher.TEXT_PREFIX.length() + (4 * MAX_BINARY + 2) / 3;
    /** The most bytes read of a text input: {@link #MAX_TEXT} and a line break (CR LF). */
    private static final int MAX_TEXT_INPUT = MAX_TEXT + 2;
    /** The lengths and segment count of a BLOB read from a stream, of which only the header is read: unknown. */
    static final long UNKNOWN = -1;
    private static final String LARGEST = "the largest property value (48 MiB)";

    /**
     * A ciphertext as read.
     *
     * @param info what its header and length say
     * @param text its text form (stripped), or null for a binary input
     */
    record Read(CiphertextInfo info, String text) {
    }

    private CiphertextInput() {
    }

    /**
     * Reads {@code in} far enough to describe it, and never more than {@link #MAX_TEXT} bytes and a line break.
     *
     * @param length the input's length if known (a regular file), else -1: a stream, whose BLOB header is described
     *               with {@link #UNKNOWN} lengths and whose property ciphertext is read and counted
     * @param what   the input in an error, e.g. "standard input"
     * @throws dev.dataenc.error.MalformedCiphertextException if it is not a dataenc ciphertext
     * @throws DataEncException if it is longer than any property ciphertext, though it starts like one
     */
    static Read read(InputStream in, long length, String what) throws IOException {
        byte[] head = in.readNBytes(CiphertextInfo.PROBE_LENGTH);
        if (CiphertextInfo.looksLikeText(head)) {
            byte[] rest = in.readNBytes(MAX_TEXT_INPUT + 1 - head.length);
            if (head.length + rest.length > MAX_TEXT_INPUT) {
                throw new DataEncException(what + " starts like a dataenc text ciphertext but is longer than " + MAX_TEXT
                        + " bytes, the text form of " + LARGEST + "; it is not one");
            }
            byte[] all = new byte[head.length + rest.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            String text = new String(all, StandardCharsets.UTF_8).strip();
            return new Read(CiphertextInfo.ofText(text), text);
        }
        if (length < 0 && head.length < CiphertextInfo.PROBE_LENGTH) { // all of a short stream
            return new Read(CiphertextInfo.ofBinary(head, head.length), null);
        }
        boolean blob = head.length > 2 && head[0] == BlobFormat.MAGIC && head[2] == BlobFormat.SUITE_AES256_GCM_HKDF_SEGMENTED;
        if (blob && length < 0) {
            // only the header: a stream's length is known only once it is read to its end, which may never come
            BlobHeader h = BlobFormat.parse(head);
            return new Read(new CiphertextInfo(CiphertextInfo.Kind.BLOB, CiphertextInfo.Encoding.BINARY,
                    BlobFormat.VERSION, BlobFormat.SUITE_AES256_GCM_HKDF_SEGMENTED, h.cdkId(), UNKNOWN, UNKNOWN,
                    h.segmentSize(), UNKNOWN), null);
        }
        if (blob) {
            return new Read(CiphertextInfo.ofBinary(head, length), null);
        }
        // a property value, or not a dataenc ciphertext at all: the header is judged before anything more is read
        CiphertextInfo header = CiphertextInfo.ofBinary(head, length >= 0 ? Math.min(length, head.length) : head.length);
        long total = length >= 0 ? length : head.length + count(in, MAX_BINARY + 1L - head.length);
        if (total > MAX_BINARY) {
            throw new DataEncException(what + " starts like a dataenc property ciphertext (CDK " + header.cdkId()
                    + ") but is longer than " + MAX_BINARY + " bytes, the binary form of " + LARGEST + "; it is not one");
        }
        return new Read(CiphertextInfo.ofBinary(head, total), null);
    }

    /** Reads and counts the bytes of {@code in}, at most {@code max}. */
    private static long count(InputStream in, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long n = 0;
        int r;
        while (n < max && (r = in.read(buffer, 0, (int) Math.min(buffer.length, max - n))) >= 0) {
            n += r;
        }
        return n;
    }

    /**
     * Reads the file at {@code file} far enough to describe it: a regular file's length is taken from the file system;
     * a device or a pipe ({@code /dev/stdin}) is read as a stream, as standard input is.
     */
    static Read read(Path file) {
        try (InputStream in = open(file)) {
            boolean regular = Files.isRegularFile(file);
            return read(in, regular ? Files.size(file) : -1, regular ? "file " + file.toAbsolutePath()
                    : file.toAbsolutePath() + " (a device or a pipe)");
        } catch (IOException e) {
            throw new DataEncException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses {@code file} as the {@code --in} of {@code encrypt} or {@code decrypt} unless it is a regular file: a
     * device or a pipe may never end (and is read more than once).
     *
     * @throws DataEncException naming the file otherwise
     */
    static void requireRegularFile(Path file, String hint) {
        if (Files.exists(file) && !Files.isDirectory(file) && !Files.isRegularFile(file)) {
            throw new DataEncException("--in " + file.toAbsolutePath() + " is not a regular file (a device or a pipe),"
                    + " which may never end; " + hint);
        }
    }

    /**
     * Opens {@code file} for reading.
     *
     * @throws DataEncException naming the file when it does not exist or is a directory
     */
    static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataEncException(file.toAbsolutePath() + " is a directory, not a file");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataEncException("no such file: " + file.toAbsolutePath());
        }
    }

    /** The binary form of a validated text-form ciphertext ({@link CiphertextInfo#ofText} accepted it). */
    static byte[] binaryOf(String text) {
        return Base64.getUrlDecoder().decode(text.strip().substring(PropertyCipher.TEXT_PREFIX.length()));
    }

    /**
     * Standard input as UTF-8 text without one trailing line break (what {@code echo} adds), at most {@code max} bytes
     * besides that line break.
     *
     * @param tooLong what to say when standard input holds more, after "standard input holds more than N bytes"
     * @throws DataEncException if standard input is closed, is not UTF-8 text (a value is never silently changed) or
     *                          holds more than {@code max} bytes
     */
    static String stdinValue(int max, String tooLong) {
        byte[] bytes;
        try {
            bytes = stdin().readNBytes(max + 3);
        } catch (IOException e) {
            throw new DataEncException("cannot read standard input: " + e.getMessage(), e);
        }
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end -= end > 1 && bytes[end - 2] == '\r' ? 2 : 1;
        }
        if (end > max) {
            throw new DataEncException("standard input holds more than " + max + " bytes" + tooLong);
        }
        String s = utf8(bytes);
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Standard input, refused when it is closed: the JVM then gets one of its own files as file descriptor 0 (its
     * {@code lib/modules}), which would be read as the value.
     *
     * @throws DataEncException if standard input is closed
     */
    static InputStream stdin() {
        if (stdinIsClosed()) {
            throw new DataEncException("standard input is closed (the command was started with <&-); pipe the value in,"
                    + " e.g. printf '%s\\n' \"$VALUE\" | dataenc ..., or redirect it from a file");
        }
        return System.in;
    }

    /** Whether file descriptor 0 is a file of the Java runtime (Linux; elsewhere always false). */
    private static boolean stdinIsClosed() {
        try {
            Path fd0 = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
            Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
            return fd0.isAbsolute() && (fd0.startsWith(javaHome) || fd0.toRealPath().startsWith(javaHome));
        } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
            return false;
        }
    }

    /** {@code bytes} decoded as UTF-8, refusing malformed input instead of replacing it with U+FFFD. */
    private static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new DataEncException("standard input is not UTF-8 text: invalid byte sequence at byte " + in.position()
                    + " of " + bytes.length + "; values are UTF-8, so convert it first (e.g. iconv -f ISO-8859-1 -t UTF-8);"
                    + " nothing was encrypted or decrypted");
        }
        return out.flip().toString();
    }
}
