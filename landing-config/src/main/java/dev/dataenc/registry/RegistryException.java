package dev.dataenc.registry;

import dev.dataenc.error.DataEncException;

/**
 * The CDK registry database failed or cannot be reached. The message names the JDBC URL
 * (without credentials) and the operation; the SQL error is the cause.
 */
public class RegistryException extends DataEncException {

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
