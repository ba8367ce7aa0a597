package dev.dataenc.kms.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The KMS operations of the test server: JSON request in, JSON response out (AWS JSON 1.1 shapes: blobs as
 * base64, timestamps as epoch seconds), errors as {@link KmsError}. Behaviour follows the KMS API reference
 * for the parts dataenc and its tests use; see {@link KmsTestServer} for the list.
 */
final class KmsOperations {

    private static final int MAX_PLAINTEXT = 4096;

    private final ObjectMapper json;
    private final KmsKeyRegistry keys;
    private final Map<String, Function<JsonNode, ObjectNode>> operations = new TreeMap<>();

    KmsOperations(ObjectMapper json, KmsKeyRegistry keys) {
        this.json = json;
        this.keys = keys;
        operations.put("CreateKey", this::createKey);
        operations.put("DescribeKey", r -> metadata(keys.resolve(text(r, "KeyId"))));
        operations.put("GenerateDataKey", r -> generateDataKey(r, true));
        operations.put("GenerateDataKeyWithoutPlaintext", r -> generateDataKey(r, false));
        operations.put("Encrypt", this::encrypt);
        operations.put("Decrypt", this::decrypt);
        operations.put("ReEncrypt", this::reEncrypt);
        operations.put("EnableKey", r -> empty(() -> keys.enable(keys.resolveKey(text(r, "KeyId")))));
        operations.put("DisableKey", r -> empty(() -> keys.disable(keys.resolveKey(text(r, "KeyId")))));
        operations.put("ScheduleKeyDeletion", this::scheduleKeyDeletion);
        operations.put("CancelKeyDeletion", this::cancelKeyDeletion);
        operations.put("EnableKeyRotation", r -> empty(() -> keys.enableRotation(keys.resolveKey(text(r, "KeyId")),
                r.hasNonNull("RotationPeriodInDays") ? r.get("RotationPeriodInDays").asInt() : null)));
        operations.put("DisableKeyRotation", r -> empty(() -> keys.disableRotation(keys.resolveKey(text(r, "KeyId")))));
        operations.put("GetKeyRotationStatus", this::getKeyRotationStatus);
        operations.put("RotateKeyOnDemand", this::rotateKeyOnDemand);
        operations.put("CreateAlias", r -> empty(() -> keys.createAlias(text(r, "AliasName"), keys.resolveKey(text(r, "TargetKeyId")))));
        operations.put("UpdateAlias", r -> empty(() -> keys.updateAlias(text(r, "AliasName"), keys.resolveKey(text(r, "TargetKeyId")))));
        operations.put("DeleteAlias", r -> empty(() -> keys.deleteAlias(text(r, "AliasName"))));
        operations.put("ListAliases", this::listAliases);
        operations.put("CreateCustomKeyStore", this::createCustomKeyStore);
        operations.put("DescribeCustomKeyStores", this::describeCustomKeyStores);
        operations.put("ConnectCustomKeyStore", r -> empty(() -> keys.connect(keys.store(text(r, "CustomKeyStoreId")))));
        operations.put("DisconnectCustomKeyStore", r -> empty(() -> keys.disconnect(keys.store(text(r, "CustomKeyStoreId")))));
    }

    /** Runs an operation; {@code UnknownOperationException} for one the server does not implement. */
    ObjectNode run(String operation, JsonNode request) {
        Function<JsonNode, ObjectNode> op = operations.get(operation);
        if (op == null) {
            throw new KmsError("UnknownOperationException", "The KMS test server does not implement " + operation
                    + "; it implements " + operations.keySet());
        }
        return op.apply(request);
    }

    private ObjectNode createKey(JsonNode r) {
        String usage = optText(r, "KeyUsage");
        String spec = optText(r, "KeySpec") != null ? optText(r, "KeySpec") : optText(r, "CustomerMasterKeySpec");
        if ((usage != null && !usage.equals("ENCRYPT_DECRYPT")) || (spec != null && !spec.equals("SYMMETRIC_DEFAULT"))) {
            throw new KmsError("UnsupportedOperationException", "The KMS test server makes symmetric encryption keys only"
                    + " (KeyUsage ENCRYPT_DECRYPT, KeySpec SYMMETRIC_DEFAULT)");
        }
        JsonNode xks = r.get("XksKeyId");
        SimulatedKey k = keys.createKey(optText(r, "Description"), optText(r, "Origin"), optText(r, "CustomKeyStoreId"),
                xks == null || xks.isNull() ? null : xks.asText());
        return metadata(k);
    }

    private ObjectNode generateDataKey(JsonNode r, boolean withPlaintext) {
        boolean hasBytes = r.hasNonNull("NumberOfBytes");
        boolean hasSpec = r.hasNonNull("KeySpec");
        if (hasBytes == hasSpec) {
            throw KmsError.validation("Please specify either number of bytes or key spec.");
        }
        int n;
        if (hasBytes) {
            n = r.get("NumberOfBytes").asInt();
            if (n < 1 || n > 1024) {
                throw KmsError.validation("1 validation error detected: Value '" + n + "' at 'numberOfBytes' failed to"
                        + " satisfy constraint: Member must have value between 1 and 1024");
            }
        } else {
            n = switch (r.get("KeySpec").asText()) {
                case "AES_256" -> 32;
                case "AES_128" -> 16;
                default -> throw KmsError.validation("1 validation error detected: Value '" + r.get("KeySpec").asText()
                        + "' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]");
            };
        }
        KmsKeyRegistry.Usable u = keys.usable(text(r, "KeyId"));
        byte[] plain = new byte[n];
        new java.security.SecureRandom().nextBytes(plain);
        ObjectNode out = json.createObjectNode();
        out.put("CiphertextBlob", KmsCiphertext.encrypt(u.key().id, u.version(), u.backingKey(), plain, context(r, "EncryptionContext")));
        if (withPlaintext) {
            out.put("Plaintext", plain);
        }
        out.put("KeyId", u.key().arn);
        return out;
    }

    private ObjectNode encrypt(JsonNode r) {
        byte[] plain = blob(r, "Plaintext");
        if (plain.length < 1 || plain.length > MAX_PLAINTEXT) {
            throw KmsError.validation("1 validation error detected: Value at 'plaintext' failed to satisfy constraint:"
                    + " Member must have length between 1 and " + MAX_PLAINTEXT);
        }
        KmsKeyRegistry.Usable u = keys.usable(text(r, "KeyId"));
        ObjectNode out = json.createObjectNode();
        out.put("CiphertextBlob", KmsCiphertext.encrypt(u.key().id, u.version(), u.backingKey(), plain, context(r, "EncryptionContext")));
        out.put("KeyId", u.key().arn);
        out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return out;
    }

    private ObjectNode decrypt(JsonNode r) {
        checkAlgorithm(r, "EncryptionAlgorithm");
        byte[] blob = blob(r, "CiphertextBlob");
        if (blob.length == 0) {
            throw KmsError.validation("1 validation error detected: Value at 'ciphertextBlob' failed to satisfy"
                    + " constraint: Member must have length greater than or equal to 1");
        }
        KmsKeyRegistry.Usable u = keys.forDecrypt(KmsCiphertext.header(blob), optText(r, "KeyId"));
        byte[] plain = KmsCiphertext.decrypt(blob, u.backingKey(), context(r, "EncryptionContext"));
        ObjectNode out = json.createObjectNode();
        out.put("KeyId", u.key().arn);
        out.put("Plaintext", plain);
        out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return out;
    }

    private ObjectNode reEncrypt(JsonNode r) {
        checkAlgorithm(r, "SourceEncryptionAlgorithm");
        checkAlgorithm(r, "DestinationEncryptionAlgorithm");
        byte[] blob = blob(r, "CiphertextBlob");
        KmsKeyRegistry.Usable src = keys.forDecrypt(KmsCiphertext.header(blob), optText(r, "SourceKeyId"));
        byte[] plain = KmsCiphertext.decrypt(blob, src.backingKey(), context(r, "SourceEncryptionContext"));
        KmsKeyRegistry.Usable dst = keys.usable(text(r, "DestinationKeyId"));
        ObjectNode out = json.createObjectNode();
        out.put("CiphertextBlob", KmsCiphertext.encrypt(dst.key().id, dst.version(), dst.backingKey(), plain,
                context(r, "DestinationEncryptionContext")));
        java.util.Arrays.fill(plain, (byte) 0);
        out.put("SourceKeyId", src.key().arn);
        out.put("KeyId", dst.key().arn);
        out.put("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        out.put("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return out;
    }

    private ObjectNode scheduleKeyDeletion(JsonNode r) {
        SimulatedKey k = keys.resolveKey(text(r, "KeyId"));
        int days = r.hasNonNull("PendingWindowInDays") ? r.get("PendingWindowInDays").asInt() : 30;
        keys.scheduleDeletion(k, days);
        ObjectNode out = json.createObjectNode();
        out.put("KeyId", k.arn);
        out.put("DeletionDate", epoch(k.deletionDate));
        out.put("KeyState", SimulatedKey.PENDING_DELETION);
        out.put("PendingWindowInDays", days);
        return out;
    }

    private ObjectNode cancelKeyDeletion(JsonNode r) {
        SimulatedKey k = keys.resolveKey(text(r, "KeyId"));
        keys.cancelDeletion(k);
        return json.createObjectNode().put("KeyId", k.arn);
    }

    private ObjectNode getKeyRotationStatus(JsonNode r) {
        SimulatedKey k = keys.resolveKey(text(r, "KeyId"));
        ObjectNode out = json.createObjectNode();
        out.put("KeyId", k.arn);
        out.put("KeyRotationEnabled", k.rotationEnabled);
        if (k.rotationEnabled) {
            out.put("RotationPeriodInDays", k.rotationPeriodInDays);
        }
        return out;
    }

    private ObjectNode rotateKeyOnDemand(JsonNode r) {
        SimulatedKey k = keys.resolveKey(text(r, "KeyId"));
        keys.rotateOnDemand(k);
        return json.createObjectNode().put("KeyId", k.arn);
    }

    private ObjectNode listAliases(JsonNode r) {
        String keyId = optText(r, "KeyId");
        ArrayNode list = json.createArrayNode();
        for (KmsKeyRegistry.Alias a : keys.aliases(keyId == null ? null : keys.resolveKey(keyId).id)) {
            ObjectNode o = list.addObject();
            o.put("AliasName", a.name());
            o.put("AliasArn", keys.aliasArn(a.name()));
            o.put("TargetKeyId", a.target().toString());
            o.put("CreationDate", epoch(a.created()));
            o.put("LastUpdatedDate", epoch(a.updated()));
        }
        ObjectNode out = json.createObjectNode();
        out.set("Aliases", list);
        out.put("Truncated", false);
        return out;
    }

    private ObjectNode createCustomKeyStore(JsonNode r) {
        String type = optText(r, "CustomKeyStoreType");
        if (type != null && !type.equals("EXTERNAL_KEY_STORE") && !type.equals("AWS_CLOUDHSM")) {
            throw KmsError.validation("CustomKeyStoreType must be AWS_CLOUDHSM or EXTERNAL_KEY_STORE");
        }
        SimulatedCustomKeyStore s = keys.createStore(text(r, "CustomKeyStoreName"), type);
        return json.createObjectNode().put("CustomKeyStoreId", s.id);
    }

    private ObjectNode describeCustomKeyStores(JsonNode r) {
        ArrayNode list = json.createArrayNode();
        for (SimulatedCustomKeyStore s : keys.stores(optText(r, "CustomKeyStoreId"), optText(r, "CustomKeyStoreName"))) {
            ObjectNode o = list.addObject();
            synchronized (keys) {
                o.put("CustomKeyStoreId", s.id);
                o.put("CustomKeyStoreName", s.name);
                o.put("CustomKeyStoreType", s.type);
                o.put("ConnectionState", s.connectionState);
                if (s.connectionErrorCode != null) {
                    o.put("ConnectionErrorCode", s.connectionErrorCode);
                }
                o.put("CreationDate", epoch(s.created));
            }
        }
        ObjectNode out = json.createObjectNode();
        out.set("CustomKeyStores", list);
        out.put("Truncated", false);
        return out;
    }

    /** {@code {"KeyMetadata": {...}}} as DescribeKey and CreateKey return it. */
    private ObjectNode metadata(SimulatedKey k) {
        ObjectNode m = json.createObjectNode();
        synchronized (keys) {
            String state = keys.stateOf(k);
            m.put("AWSAccountId", keys.account);
            m.put("KeyId", k.id.toString());
            m.put("Arn", k.arn);
            m.put("CreationDate", epoch(k.created));
            m.put("Enabled", SimulatedKey.ENABLED.equals(state));
            m.put("Description", k.description);
            m.put("KeyUsage", "ENCRYPT_DECRYPT");
            m.put("KeyState", state);
            if (k.deletionDate != null) {
                m.put("DeletionDate", epoch(k.deletionDate));
                m.put("PendingDeletionWindowInDays", k.pendingWindowInDays);
            }
            m.put("Origin", k.origin);
            if (k.customKeyStoreId != null) {
                m.put("CustomKeyStoreId", k.customKeyStoreId);
            }
            if (k.xksKeyId != null) {
                m.putObject("XksKeyConfiguration").put("Id", k.xksKeyId);
            }
            m.put("KeyManager", "CUSTOMER");
            m.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
            m.put("KeySpec", "SYMMETRIC_DEFAULT");
            m.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
            m.put("MultiRegion", false);
        }
        ObjectNode out = json.createObjectNode();
        out.set("KeyMetadata", m);
        return out;
    }

    private ObjectNode empty(Runnable action) {
        action.run();
        return json.createObjectNode();
    }

    private static void checkAlgorithm(JsonNode r, String field) {
        String a = optText(r, field);
        if (a != null && !a.equals("SYMMETRIC_DEFAULT")) {
            throw new KmsError("InvalidKeyUsageException", "The KMS test server's keys support SYMMETRIC_DEFAULT only, not " + a);
        }
    }

    private static String text(JsonNode r, String field) {
        String v = optText(r, field);
        if (v == null) {
            throw KmsError.validation("1 validation error detected: Value null at '" + Character.toLowerCase(field.charAt(0))
                    + field.substring(1) + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    private static String optText(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static byte[] blob(JsonNode r, String field) {
        String b64 = text(r, field);
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new KmsError("SerializationException", "field " + field + " is not base64");
        }
    }

    private static Map<String, String> context(JsonNode r, String field) {
        Map<String, String> ctx = new TreeMap<>();
        JsonNode c = r.get(field);
        if (c != null && c.isObject()) {
            for (Map.Entry<String, JsonNode> e : c.properties()) {
                ctx.put(e.getKey(), e.getValue().asText());
            }
        }
        return ctx;
    }

    private static double epoch(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
