package dev.dataenc.kms.testing;

import java.time.Instant;

/**
 * A simulated custom key store (an external key store, {@code EXTERNAL_KEY_STORE}, whose "proxy" is this
 * test server). Its {@code ConnectionState} decides whether its keys are usable: keys of a store that is not
 * {@code CONNECTED} have key state {@code Unavailable} (except those pending deletion), as in KMS.
 * Guarded by the {@link KmsKeyRegistry}'s lock.
 */
final class SimulatedCustomKeyStore {

    static final String CONNECTED = "CONNECTED";
    static final String CONNECTING = "CONNECTING";
    static final String DISCONNECTED = "DISCONNECTED";
    static final String DISCONNECTING = "DISCONNECTING";
    static final String FAILED = "FAILED";

    final String id;
    final String name;
    final String type;
    final Instant created = Instant.now();
    String connectionState = DISCONNECTED;
    String connectionErrorCode;

    SimulatedCustomKeyStore(String id, String name, String type) {
        this.id = id;
        this.name = name;
        this.type = type;
    }
}
