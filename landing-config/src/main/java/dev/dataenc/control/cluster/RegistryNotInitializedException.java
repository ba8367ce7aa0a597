package dev.dataenc.control.cluster;

import dev.dataenc.error.DataEncException;

/**
 * A command that only looks found no initialised registry (no database, no schema, or no recorded
 * data-encryption state). Nothing was created.
 */
public class RegistryNotInitializedException extends DataEncException {

    public RegistryNotInitializedException(String message) {
        super(message);
    }
}
