package dev.dataenc.envelope;

import dev.dataenc.error.TextEncodingException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strict UTF-8 for contexts and text plaintexts: unpaired surrogates and invalid byte sequences
 * are refused with {@link TextEncodingException}, never replaced ({@link String#getBytes} would
 * turn {@code "Col\uD800"} into the bytes of {@code "Col?"}). No Unicode normalisation: a string
 * is encoded code point by code point, as given.
 */
final class StrictUtf8 {

    private StrictUtf8() {
    }

    /**
     * The UTF-8 bytes of {@code s}.
     *
     * @param what what the string is, for the message (e.g. "context"); never the string itself
     * @throws TextEncodingException if {@code s} holds an unpaired surrogate
     */
    static byte[] encode(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new TextEncodingException("the " + what + " holds an unpaired UTF-16 surrogate at index " + i
                        + " (of " + s.length() + " chars), which has no UTF-8 form; fix the string (it is probably"
                        + " cut in the middle of a character) instead of letting it be replaced by '?'");
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The string of the UTF-8 {@code bytes}. The decoder's internal buffers are not ours to wipe;
     * the caller still owns (and zeroes) {@code bytes}.
     *
     * @param what what the bytes are, for the message; never the bytes themselves
     * @throws TextEncodingException if {@code bytes} are not valid UTF-8
     */
    static String decode(byte[] bytes, String what) {
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new TextEncodingException("the " + what + " (" + bytes.length + " bytes) is not valid UTF-8, so it"
                    + " cannot be returned as a string without changing it; it was probably encrypted from bytes"
                    + " (encrypt(byte[], ...)), so decrypt it with decrypt(byte[], ...)");
        } finally {
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }
}
