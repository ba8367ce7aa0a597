package dev.dataenc.cli;

import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * Reads a ciphertext given to {@code dataenc inspect} or {@code dataenc decrypt}: the text form, or
 * the bytes of a binary property ciphertext or BLOB. Only the first bytes and the length of a binary
 * input are needed to describe it; a text form is read whole (up to {@value #MAX_TEXT} bytes).
 */
final class CiphertextInput {

    /** The longest text-form ciphertext read: 64 MiB. */
    static final int MAX_TEXT = 64 * 1024 * 1024;

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
     * Reads {@code in} far enough to describe it.
     *
     * @param length the input's length if known (a file), else -1: the rest is read and counted
     * @throws dev.dataenc.error.MalformedCiphertextException if it is not a dataenc ciphertext
     */
    static Read read(InputStream in, long length) throws IOException {
        byte[] head = in.readNBytes(CiphertextInfo.PROBE_LENGTH);
        if (CiphertextInfo.looksLikeText(head)) {
            byte[] rest = in.readNBytes(MAX_TEXT + 1 - head.length);
            if (head.length + rest.length > MAX_TEXT) {
                throw new DataEncException("the input starts like a dataenc text ciphertext but is longer than "
                        + MAX_TEXT + " bytes; a text form that long is not a property value");
            }
            byte[] all = new byte[head.length + rest.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            String text = new String(all, StandardCharsets.UTF_8).strip();
            return new Read(CiphertextInfo.ofText(text), text);
        }
        long total = length >= 0 ? length : head.length + in.transferTo(OutputStream.nullOutputStream());
        return new Read(CiphertextInfo.ofBinary(head, total), null);
    }

    /** Reads the file at {@code file} far enough to describe it. */
    static Read read(Path file) {
        try (InputStream in = open(file)) {
            return read(in, Files.size(file));
        } catch (IOException e) {
            throw new DataEncException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
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
     * All of standard input as UTF-8 text without one trailing line break (what {@code echo} adds).
     *
     * @throws DataEncException if standard input is closed or is not UTF-8 text (a value is never silently changed)
     */
    static String stdinValue() {
        byte[] bytes;
        try {
            bytes = stdin().readAllBytes();
        } catch (IOException e) {
            throw new DataEncException("cannot read standard input: " + e.getMessage(), e);
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
