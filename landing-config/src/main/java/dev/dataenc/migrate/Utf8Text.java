package dev.dataenc.migrate;

import dev.dataenc.error.TextEncodingException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Whether decrypted bytes of a text column are UTF-8 text, without making a {@code String} of them: a migration
 * re-encrypts text values as bytes, and keeps refusing (as when it decrypted them to strings) a value that was
 * encrypted from bytes that are not text. The same rule as the ciphers' {@code decryptString}: the JDK's strict
 * decoder (no replacement characters); all-ASCII bytes, the common case, are accepted by a plain scan.
 */
final class Utf8Text {

    private Utf8Text() {
    }

    /** Whether {@code bytes} are valid UTF-8 (they are neither kept nor changed). */
    static boolean isValid(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        if (i == bytes.length) {
            return true;
        }
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        } finally {
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0'); // the decoded text is plaintext too
            }
        }
    }

    /**
     * The refusal of a decrypted text value that is not UTF-8 (no plaintext in its message).
     *
     * @param length the value's length in bytes
     * @param key    the record
     * @param column the column's name
     */
    static TextEncodingException notText(int length, String key, String column) {
        return new TextEncodingException("record " + key + ", column " + column + " holds a ciphertext whose " + length
                + " decrypted bytes are not UTF-8 text (it was made with encrypt(byte[]), not encryptString); the"
                + " migration stops and writes nothing for it: have the application write that value again as text,"
                + " or leave this column out of the migration");
    }
}
