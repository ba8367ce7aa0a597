package dev.dataenc.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few DER operations {@link Pkcs12Mac} needs: split a constructed value into its elements and
 * encode a value. Definite lengths only (DER); anything else is refused with an {@link IOException}.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xa0;

    /** One encoded element: its tag, its whole encoding (tag, length, content) and where the content starts. */
    record Element(int tag, byte[] encoding, int contentOffset) {

        /** The content bytes. */
        byte[] content() {
            return Arrays.copyOfRange(encoding, contentOffset, encoding.length);
        }

        /** The elements inside a constructed element. */
        List<Element> children() throws IOException {
            return Der.elements(encoding, contentOffset, encoding.length);
        }

        /** The value of an INTEGER that fits an int. */
        int intValue() throws IOException {
            expect(INTEGER);
            BigInteger v = new BigInteger(content());
            if (v.signum() < 0 || v.bitLength() > 31) {
                throw new IOException("integer out of range");
            }
            return v.intValue();
        }

        Element expect(int expectedTag) throws IOException {
            if (tag != expectedTag) {
                throw new IOException(String.format("expected tag 0x%02x, found 0x%02x", expectedTag, tag));
            }
            return this;
        }
    }

    private Der() {
    }

    /** The single element that is all of {@code der}. */
    static Element parse(byte[] der) throws IOException {
        List<Element> all = elements(der, 0, der.length);
        if (all.size() != 1) {
            throw new IOException("expected one DER element, found " + all.size());
        }
        return all.get(0);
    }

    /** The consecutive elements in {@code der[from, to)}. */
    static List<Element> elements(byte[] der, int from, int to) throws IOException {
        List<Element> out = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            int start = pos;
            int tag = der[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new IOException("multi-byte tags are not supported");
            }
            if (pos >= to) {
                throw new IOException("truncated length");
            }
            int first = der[pos++] & 0xff;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int n = first & 0x7f;
                if (n == 0 || n > 4 || pos + n > to) {
                    throw new IOException("unsupported or truncated length");
                }
                length = 0;
                for (int i = 0; i < n; i++) {
                    length = (length << 8) | (der[pos++] & 0xff);
                }
            }
            if (length > to - pos) {
                throw new IOException("element longer than its container");
            }
            int end = pos + (int) length;
            out.add(new Element(tag, Arrays.copyOfRange(der, start, end), pos - start));
            pos = end;
        }
        return out;
    }

    /** Encodes tag, length and content. */
    static byte[] encode(int tag, byte[]... contents) {
        int length = 0;
        for (byte[] c : contents) {
            length += c.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] len = BigInteger.valueOf(length).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        for (byte[] c : contents) {
            out.write(c, 0, c.length);
        }
        return out.toByteArray();
    }

    /** An INTEGER. */
    static byte[] integer(int value) {
        return encode(INTEGER, BigInteger.valueOf(value).toByteArray());
    }
}
