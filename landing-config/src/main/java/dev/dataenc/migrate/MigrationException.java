package dev.dataenc.migrate;

import dev.dataenc.error.DataEncException;

/** A migration cannot start or continue; the message says why and what to do. Never contains data. */
public class MigrationException extends DataEncException {

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
