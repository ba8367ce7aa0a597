package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.BlobFormat;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.error.MalformedCiphertextException;

import java.util.Objects;

/**
 * What a binary value is, from its first bytes and its length (nothing is decrypted): a binary property
 * ciphertext, a BLOB ciphertext, bytes that are no dataenc ciphertext ({@link Kind#FOREIGN}, counted as
 * plaintext) or a dataenc header that cannot be read ({@link Kind#MALFORMED}). In a {@link SourceRecord} a binary
 * column's cell holds {@link #encode()} of this, never the value: values are streamed when they are migrated.
 *
 * @param kind   what the value is
 * @param cdk    the CDK for a property or BLOB ciphertext, else null
 * @param length the value's length in bytes
 */
record BinaryCell(Kind kind, CdkId cdk, long length) {

    /** What a binary value is. */
    enum Kind { PROPERTY, BLOB, FOREIGN, MALFORMED }

    BinaryCell {
        Objects.requireNonNull(kind, "kind");
        if ((cdk == null) == (kind == Kind.PROPERTY || kind == Kind.BLOB)) {
            throw new IllegalArgumentException("a CDK id goes with property and BLOB ciphertexts only");
        }
    }

    /** Classifies a value from its first {@code min(length, }{@link CiphertextInfo#PROBE_LENGTH}{@code )} bytes. */
    static BinaryCell of(byte[] head, long length) {
        if (head.length == 0 || head[0] != BlobFormat.MAGIC) {
            return new BinaryCell(Kind.FOREIGN, null, length);
        }
        try {
            CiphertextInfo info = CiphertextInfo.ofBinary(head, length);
            return new BinaryCell(info.kind() == CiphertextInfo.Kind.BLOB ? Kind.BLOB : Kind.PROPERTY, info.cdkId(), length);
        } catch (MalformedCiphertextException | IllegalArgumentException e) {
            return new BinaryCell(Kind.MALFORMED, null, length);
        }
    }

    /** Whether it is a dataenc ciphertext with a readable header. */
    boolean encrypted() {
        return cdk != null;
    }

    /** The cell text: {@code KIND length [cdk]}. */
    String encode() {
        return kind + " " + length + (cdk == null ? "" : " " + cdk);
    }

    /** Reads {@link #encode()}; null stays null. */
    static BinaryCell decode(String cell) {
        if (cell == null) {
            return null;
        }
        String[] p = cell.split(" ");
        return new BinaryCell(Kind.valueOf(p[0]), p.length > 2 ? CdkId.parse(p[2]) : null, Long.parseLong(p[1]));
    }
}
