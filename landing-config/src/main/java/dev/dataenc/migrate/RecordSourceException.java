package dev.dataenc.migrate;

/**
 * A record source is misdescribed (unknown table or column, unsupported key or column type) or
 * cannot be read or written; the message names what exists and what to change.
 */
public class RecordSourceException extends MigrationException {

    public RecordSourceException(String message) {
        super(message);
    }

    public RecordSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
