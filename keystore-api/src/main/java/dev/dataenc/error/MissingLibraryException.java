package dev.dataenc.error;

/**
 * A feature was used whose library is an optional dependency that the application does not have on its class
 * path (e.g. Tink for deterministic, searchable fields). The message names the artifact to add.
 */
public class MissingLibraryException extends DataEncException {

    public MissingLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
