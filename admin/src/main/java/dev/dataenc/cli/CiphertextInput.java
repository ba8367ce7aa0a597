package dev.dataenc.cli;

import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
            throw new DataEncException(file.toAbsolutePath() + " is a directory; --in takes a file");
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

    /** All of standard input as UTF-8 text without one trailing line break (what {@code echo} adds). */
    static String stdinValue() {
        try {
            String s = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            if (s.endsWith("\r\n")) {
                return s.substring(0, s.length() - 2);
            }
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException e) {
            throw new DataEncException("cannot read standard input: " + e.getMessage(), e);
        }
    }
}
