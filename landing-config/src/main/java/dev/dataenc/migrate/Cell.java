package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.MalformedCiphertextException;

/**
 * One cell of a {@link SourceRecord} as the header says (nothing is decrypted), for text and binary columns
 * alike.
 *
 * @param state what it is
 * @param cdk   its CDK when {@link State#CIPHERTEXT}, else null
 * @param blob  whether it is a BLOB-format ciphertext
 */
record Cell(State state, CdkId cdk, boolean blob) {

    /** What a cell holds. */
    enum State { NULL, PLAINTEXT, MALFORMED, CIPHERTEXT }

    static Cell of(SourceColumn column, String value) {
        if (value == null) {
            return new Cell(State.NULL, null, false);
        }
        if (column.binary()) {
            BinaryCell b = BinaryCell.decode(value);
            return switch (b.kind()) {
                case FOREIGN -> new Cell(State.PLAINTEXT, null, false);
                case MALFORMED -> new Cell(State.MALFORMED, null, false);
                case PROPERTY -> new Cell(State.CIPHERTEXT, b.cdk(), false);
                case BLOB -> new Cell(State.CIPHERTEXT, b.cdk(), true);
            };
        }
        if (!TextCiphers.isEncrypted(value)) {
            return new Cell(State.PLAINTEXT, null, false);
        }
        try {
            return new Cell(State.CIPHERTEXT, TextCiphers.cdkIdOf(value), false);
        } catch (MalformedCiphertextException e) {
            return new Cell(State.MALFORMED, null, false);
        }
    }
}
