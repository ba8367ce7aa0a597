package dev.dataenc.kms.testing;

import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * One KMS key of the test server: metadata, stored state and its backing keys (version 1 is the original key
 * material, each rotation adds one; all stay available for decryption, as in KMS). Guarded by the
 * {@link KmsKeyRegistry}'s lock.
 */
final class SimulatedKey {

    /** Stored key states (the effective state may be {@code Unavailable}, see {@link KmsKeyRegistry#stateOf}). */
    static final String ENABLED = "Enabled";
    static final String DISABLED = "Disabled";
    static final String PENDING_DELETION = "PendingDeletion";
    static final String PENDING_IMPORT = "PendingImport";
    static final String UNAVAILABLE = "Unavailable";

    final UUID id;
    final String arn;
    final Instant created;
    final String description;
    final String origin;
    final String customKeyStoreId;
    final String xksKeyId;
    String state;
    Instant deletionDate;
    int pendingWindowInDays;
    boolean rotationEnabled;
    int rotationPeriodInDays = 365;
    int onDemandRotations;
    Instant lastRotation;
    private final List<SecretKey> backingKeys = new ArrayList<>();

    SimulatedKey(UUID id, String arn, String description, String origin, String customKeyStoreId, String xksKeyId,
                 String state) {
        this.id = id;
        this.arn = arn;
        this.created = Instant.now();
        this.description = description == null ? "" : description;
        this.origin = origin;
        this.customKeyStoreId = customKeyStoreId;
        this.xksKeyId = xksKeyId;
        this.state = state;
        if (!PENDING_IMPORT.equals(state)) {
            addBackingKey();
        }
    }

    /** Adds new key material; returns its version (1-based). */
    int addBackingKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            backingKeys.add(g.generateKey());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return backingKeys.size();
    }

    int currentVersion() {
        return backingKeys.size();
    }

    /** Backing key of a version, or null. */
    SecretKey backingKey(int version) {
        return version >= 1 && version <= backingKeys.size() ? backingKeys.get(version - 1) : null;
    }

    boolean inCustomKeyStore() {
        return customKeyStoreId != null;
    }
}
