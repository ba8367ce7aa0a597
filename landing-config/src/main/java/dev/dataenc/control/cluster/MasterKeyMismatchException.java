package dev.dataenc.control.cluster;

import dev.dataenc.error.DataEncException;

/**
 * This node's keystores cannot unwrap the registry's ACTIVE CDK (for example a {@code local} keystore
 * file created on this node holds another master key than the one the CDK is wrapped under). The node
 * refuses to start: it could encrypt nothing, and would fail only at the first encryption.
 */
public class MasterKeyMismatchException extends DataEncException {

    public MasterKeyMismatchException(String message) {
        super(message);
    }
}
