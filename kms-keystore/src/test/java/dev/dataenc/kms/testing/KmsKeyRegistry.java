package dev.dataenc.kms.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.SecretKey;

/**
 * The test server's key database: keys, aliases and custom key stores of one account in one region, with
 * KMS's rules for resolving key ids and for key states. Every method is atomic (synchronized).
 *
 * <p>Key ids resolve from a key id, a key ARN, an alias name ({@code alias/x}) or an alias ARN; operations that
 * KMS documents as taking only a key id or key ARN use {@link #resolveKey} (an alias there is
 * {@code NotFoundException}). ARNs of another region or account are {@code NotFoundException}.
 */
final class KmsKeyRegistry {

    /** Most on-demand rotations KMS allows per key. */
    static final int MAX_ON_DEMAND_ROTATIONS = 10;

    final String region;
    final String account;
    private final Map<UUID, SimulatedKey> keys = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final Map<String, SimulatedCustomKeyStore> stores = new LinkedHashMap<>();

    /** An alias: name ({@code alias/x}), target key, dates. */
    record Alias(String name, UUID target, Instant created, Instant updated) {
    }

    /** A usable key's current backing key, taken atomically with the state check. */
    record Usable(SimulatedKey key, int version, SecretKey backingKey) {
    }

    KmsKeyRegistry(String region, String account) {
        this.region = region;
        this.account = account;
    }

    String keyArn(UUID id) {
        return "arn:aws:kms:" + region + ":" + account + ":key/" + id;
    }

    String aliasArn(String aliasName) {
        return "arn:aws:kms:" + region + ":" + account + ":" + aliasName;
    }

    // ---- keys

    synchronized SimulatedKey createKey(String description, String origin, String customKeyStoreId, String xksKeyId) {
        String o = origin == null ? "AWS_KMS" : origin;
        String state = SimulatedKey.ENABLED;
        switch (o) {
            case "AWS_KMS" -> {
                if (customKeyStoreId != null) {
                    throw KmsError.validation("CustomKeyStoreId requires Origin EXTERNAL_KEY_STORE or AWS_CLOUDHSM");
                }
            }
            case "EXTERNAL" -> state = SimulatedKey.PENDING_IMPORT;
            case "EXTERNAL_KEY_STORE", "AWS_CLOUDHSM" -> {
                if (customKeyStoreId == null) {
                    throw KmsError.validation("Origin " + o + " requires a CustomKeyStoreId");
                }
                SimulatedCustomKeyStore s = store(customKeyStoreId);
                boolean xks = "EXTERNAL_KEY_STORE".equals(s.type);
                if (xks != "EXTERNAL_KEY_STORE".equals(o)) {
                    throw new KmsError("IncorrectKeyException", "Origin " + o + " does not match custom key store type " + s.type);
                }
                if (xks && (xksKeyId == null || xksKeyId.isBlank())) {
                    throw KmsError.validation("Origin EXTERNAL_KEY_STORE requires an XksKeyId");
                }
                if (!SimulatedCustomKeyStore.CONNECTED.equals(s.connectionState)) {
                    throw new KmsError("CustomKeyStoreInvalidStateException", "Custom key store " + customKeyStoreId
                            + " is not connected (ConnectionState " + s.connectionState + ")");
                }
            }
            default -> throw KmsError.validation("1 validation error detected: Value '" + o
                    + "' at 'origin' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[EXTERNAL_KEY_STORE, AWS_KMS, AWS_CLOUDHSM, EXTERNAL]");
        }
        UUID id = UUID.randomUUID();
        SimulatedKey k = new SimulatedKey(id, keyArn(id), description, o, customKeyStoreId, xksKeyId, state);
        keys.put(id, k);
        return k;
    }

    /** Resolves a key id, key ARN, alias name or alias ARN. */
    synchronized SimulatedKey resolve(String keyId) {
        if (keyId == null || keyId.isEmpty()) {
            throw KmsError.validation("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
        }
        String local = localPart(keyId);
        if (local.startsWith("alias/")) {
            Alias a = aliases.get(local);
            if (a == null) {
                throw KmsError.notFound("Alias " + aliasArn(local) + " is not found.");
            }
            return keys.get(a.target());
        }
        return byKeyPart(keyId, local);
    }

    /** Resolves a key id or key ARN (no aliases). */
    synchronized SimulatedKey resolveKey(String keyId) {
        if (keyId == null || keyId.isEmpty()) {
            throw KmsError.validation("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
        }
        String local = localPart(keyId);
        if (local.startsWith("alias/")) {
            throw KmsError.notFound("Invalid keyId '" + keyId + "': this operation takes a key id or key ARN, not an alias");
        }
        return byKeyPart(keyId, local);
    }

    private SimulatedKey byKeyPart(String keyId, String local) {
        String id = local.startsWith("key/") ? local.substring(4) : local;
        SimulatedKey k = null;
        try {
            k = keys.get(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            // not a UUID: not found below
        }
        if (k == null) {
            throw KmsError.notFound("Key '" + (keyId.startsWith("arn:") ? keyId : "arn:aws:kms:" + region + ":" + account
                    + ":key/" + id) + "' does not exist");
        }
        return k;
    }

    /** The resource part of an ARN of this account and region, or the text itself; NotFound for other ARNs. */
    private String localPart(String keyId) {
        if (!keyId.startsWith("arn:")) {
            return keyId;
        }
        String prefix = "arn:aws:kms:" + region + ":" + account + ":";
        if (!keyId.startsWith(prefix)) {
            throw KmsError.notFound("Invalid arn " + keyId + " (the test server holds account " + account
                    + " in region " + region + ")");
        }
        return keyId.substring(prefix.length());
    }

    synchronized SimulatedKey byId(UUID id) {
        return keys.get(id);
    }

    /** The key state KMS would report: {@code Unavailable} while its custom key store is not connected. */
    synchronized String stateOf(SimulatedKey k) {
        if (k.inCustomKeyStore() && !SimulatedKey.PENDING_DELETION.equals(k.state)
                && !SimulatedCustomKeyStore.CONNECTED.equals(stores.get(k.customKeyStoreId).connectionState)) {
            return SimulatedKey.UNAVAILABLE;
        }
        return k.state;
    }

    /** Throws what KMS throws when a cryptographic operation uses a key that is not enabled. */
    synchronized void requireUsable(SimulatedKey k) {
        switch (stateOf(k)) {
            case SimulatedKey.ENABLED -> {
            }
            case SimulatedKey.DISABLED -> throw new KmsError("DisabledException", k.arn + " is disabled.");
            case SimulatedKey.PENDING_DELETION -> throw KmsError.invalidState(k.arn + " is pending deletion.");
            case SimulatedKey.PENDING_IMPORT -> throw KmsError.invalidState(k.arn + " is pending import.");
            case SimulatedKey.UNAVAILABLE -> throw KmsError.invalidState(k.arn + " is unavailable. Its custom key store "
                    + k.customKeyStoreId + " is not connected.");
            default -> throw KmsError.invalidState(k.arn + " is " + k.state + ".");
        }
    }

    /** Resolves, checks the state and takes the current backing key, atomically. */
    synchronized Usable usable(String keyId) {
        SimulatedKey k = resolve(keyId);
        requireUsable(k);
        return new Usable(k, k.currentVersion(), k.backingKey(k.currentVersion()));
    }

    /** For decryption: the key named in a blob, state-checked, and the backing key of the blob's version. */
    synchronized Usable forDecrypt(KmsCiphertext.Header h, String pinnedKeyId) {
        if (pinnedKeyId != null) {
            SimulatedKey pinned = resolve(pinnedKeyId);
            if (!pinned.id.equals(h.keyId())) {
                throw new KmsError("IncorrectKeyException", "The key ID in the request does not identify a KMS key"
                        + " that can perform this operation.");
            }
        }
        SimulatedKey k = keys.get(h.keyId());
        if (k == null) {
            throw KmsError.invalidCiphertext();
        }
        requireUsable(k);
        SecretKey backing = k.backingKey(h.version());
        if (backing == null) {
            throw KmsError.invalidCiphertext();
        }
        return new Usable(k, h.version(), backing);
    }

    synchronized void enable(SimulatedKey k) {
        requireManageable(k);
        if (SimulatedKey.PENDING_IMPORT.equals(k.state)) {
            throw KmsError.invalidState(k.arn + " is pending import.");
        }
        k.state = SimulatedKey.ENABLED;
    }

    synchronized void disable(SimulatedKey k) {
        requireManageable(k);
        if (SimulatedKey.PENDING_IMPORT.equals(k.state)) {
            throw KmsError.invalidState(k.arn + " is pending import.");
        }
        k.state = SimulatedKey.DISABLED;
    }

    private void requireManageable(SimulatedKey k) {
        String s = stateOf(k);
        if (SimulatedKey.PENDING_DELETION.equals(s)) {
            throw KmsError.invalidState(k.arn + " is pending deletion.");
        }
        if (SimulatedKey.UNAVAILABLE.equals(s)) {
            throw KmsError.invalidState(k.arn + " is unavailable.");
        }
    }

    synchronized void scheduleDeletion(SimulatedKey k, int days) {
        if (days < 7 || days > 30) {
            throw KmsError.validation("1 validation error detected: Value '" + days + "' at 'pendingWindowInDays' failed"
                    + " to satisfy constraint: Member must have value " + (days < 7 ? "greater than or equal to 7" : "less than or equal to 30"));
        }
        if (SimulatedKey.PENDING_DELETION.equals(k.state)) {
            throw KmsError.invalidState(k.arn + " is pending deletion.");
        }
        k.state = SimulatedKey.PENDING_DELETION;
        k.pendingWindowInDays = days;
        k.deletionDate = Instant.now().plus(Duration.ofDays(days));
    }

    synchronized void cancelDeletion(SimulatedKey k) {
        if (!SimulatedKey.PENDING_DELETION.equals(k.state)) {
            throw KmsError.invalidState(k.arn + " is not pending deletion.");
        }
        k.state = SimulatedKey.DISABLED;
        k.deletionDate = null;
        k.pendingWindowInDays = 0;
    }

    synchronized void enableRotation(SimulatedKey k, Integer periodDays) {
        requireRotatable(k);
        int p = periodDays == null ? 365 : periodDays;
        if (p < 90 || p > 2560) {
            throw KmsError.validation("RotationPeriodInDays must be from 90 to 2560, got " + p);
        }
        k.rotationEnabled = true;
        k.rotationPeriodInDays = p;
    }

    synchronized void disableRotation(SimulatedKey k) {
        requireRotatable(k);
        k.rotationEnabled = false;
    }

    /** {@code RotateKeyOnDemand}: new backing key for new ciphertexts; old ones still decrypt. */
    synchronized void rotateOnDemand(SimulatedKey k) {
        requireRotatable(k);
        if (k.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
            throw new KmsError("LimitExceededException", "Key " + k.arn + " has reached the limit of "
                    + MAX_ON_DEMAND_ROTATIONS + " on-demand rotations");
        }
        k.onDemandRotations++;
        k.addBackingKey();
        k.lastRotation = Instant.now();
    }

    /** What KMS's scheduled automatic rotation does (no limit). */
    synchronized void rotateAutomatically(SimulatedKey k) {
        requireRotatable(k);
        k.addBackingKey();
        k.lastRotation = Instant.now();
    }

    private void requireRotatable(SimulatedKey k) {
        if (k.inCustomKeyStore() || !"AWS_KMS".equals(k.origin)) {
            throw new KmsError("UnsupportedOperationException", k.arn + " origin is " + k.origin
                    + "; automatic and on-demand rotation are for keys with origin AWS_KMS only.");
        }
        requireUsable(k);
    }

    // ---- aliases

    synchronized void createAlias(String name, SimulatedKey target) {
        checkAliasName(name);
        if (aliases.containsKey(name)) {
            throw new KmsError("AlreadyExistsException", "An alias with the name " + aliasArn(name) + " already exists");
        }
        Instant now = Instant.now();
        aliases.put(name, new Alias(name, target.id, now, now));
    }

    synchronized void updateAlias(String name, SimulatedKey target) {
        Alias a = aliases.get(name);
        if (a == null) {
            throw KmsError.notFound("Alias " + aliasArn(name) + " is not found.");
        }
        aliases.put(name, new Alias(name, target.id, a.created(), Instant.now()));
    }

    synchronized void deleteAlias(String name) {
        if (aliases.remove(name) == null) {
            throw KmsError.notFound("Alias " + aliasArn(name) + " is not found.");
        }
    }

    synchronized List<Alias> aliases(UUID target) {
        return aliases.values().stream().filter(a -> target == null || a.target().equals(target)).toList();
    }

    private static void checkAliasName(String name) {
        if (name == null || !name.matches("alias/[a-zA-Z0-9/_-]{1,250}")) {
            throw KmsError.validation("Alias must start with the prefix \"alias/\" followed by letters, digits, '/', '_' or '-': " + name);
        }
        if (name.startsWith("alias/aws/")) {
            throw new KmsError("NotAuthorizedException" , "Aliases that begin with alias/aws/ are reserved for AWS managed keys");
        }
    }

    // ---- custom key stores

    synchronized SimulatedCustomKeyStore createStore(String name, String type) {
        if (stores.values().stream().anyMatch(s -> s.name.equals(name))) {
            throw new KmsError("CustomKeyStoreNameInUseException", "Custom key store name " + name + " is in use");
        }
        byte[] r = new byte[9];
        ThreadLocalRandom.current().nextBytes(r);
        String id = "cks-" + HexFormat.of().formatHex(r).substring(0, 17);
        SimulatedCustomKeyStore s = new SimulatedCustomKeyStore(id, name, type == null ? "EXTERNAL_KEY_STORE" : type);
        stores.put(id, s);
        return s;
    }

    synchronized SimulatedCustomKeyStore store(String id) {
        SimulatedCustomKeyStore s = stores.get(id);
        if (s == null) {
            throw new KmsError("CustomKeyStoreNotFoundException", "Custom key store " + id + " is not found");
        }
        return s;
    }

    synchronized List<SimulatedCustomKeyStore> stores(String id, String name) {
        List<SimulatedCustomKeyStore> out = new ArrayList<>();
        for (SimulatedCustomKeyStore s : stores.values()) {
            if ((id == null || s.id.equals(id)) && (name == null || s.name.equals(name))) {
                out.add(s);
            }
        }
        if (out.isEmpty() && (id != null || name != null)) {
            throw new KmsError("CustomKeyStoreNotFoundException", "Custom key store " + (id != null ? id : name) + " is not found");
        }
        return out;
    }

    synchronized void connect(SimulatedCustomKeyStore s) {
        if (SimulatedCustomKeyStore.FAILED.equals(s.connectionState)
                || SimulatedCustomKeyStore.DISCONNECTING.equals(s.connectionState)) {
            throw new KmsError("CustomKeyStoreInvalidStateException", "Custom key store " + s.id + " is "
                    + s.connectionState + "; disconnect it before connecting it again");
        }
        s.connectionState = SimulatedCustomKeyStore.CONNECTED;
        s.connectionErrorCode = null;
    }

    synchronized void disconnect(SimulatedCustomKeyStore s) {
        if (SimulatedCustomKeyStore.DISCONNECTED.equals(s.connectionState)
                || SimulatedCustomKeyStore.DISCONNECTING.equals(s.connectionState)) {
            throw new KmsError("CustomKeyStoreInvalidStateException", "Custom key store " + s.id + " is already "
                    + s.connectionState);
        }
        s.connectionState = SimulatedCustomKeyStore.DISCONNECTED;
        s.connectionErrorCode = null;
    }

    /** Fault injection: the store's connection fails (as when the external key store proxy stops answering). */
    synchronized void fail(SimulatedCustomKeyStore s, String errorCode) {
        s.connectionState = SimulatedCustomKeyStore.FAILED;
        s.connectionErrorCode = errorCode;
    }
}
