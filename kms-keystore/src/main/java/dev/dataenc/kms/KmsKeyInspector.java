package dev.dataenc.kms;

import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;

import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CustomKeyStoresListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * Reads a KMS key's state with {@code DescribeKey} and, for a key in a custom key store (CloudHSM or
 * external), the store's {@code ConnectionState} with {@code DescribeCustomKeyStores}, and maps them to a
 * {@link MasterKeyState}. Never throws for a bad state or an unreachable KMS; that is what it reports.
 */
final class KmsKeyInspector {

    private final KmsClient client;
    private final String keystoreName;

    KmsKeyInspector(KmsClient client, String keystoreName) {
        this.client = client;
        this.keystoreName = keystoreName;
    }

    /**
     * Describes the key named by {@code keyId} (id, ARN, alias name or alias ARN). The master key id of
     * the result is the resolved key ARN when KMS knows the key, otherwise {@code keyId} itself.
     */
    MasterKeyDescription describe(String keyId) {
        KeyMetadata m;
        try {
            m = client.describeKey(r -> r.keyId(keyId)).keyMetadata();
        } catch (NotFoundException e) {
            return new MasterKeyDescription(keystoreName, keyId, "", MasterKeyState.NOT_FOUND,
                    "KMS has no key '" + keyId + "' (" + KmsErrors.kmsSays(e) + ")");
        } catch (KmsException e) {
            return new MasterKeyDescription(keystoreName, keyId, "", MasterKeyState.UNREACHABLE,
                    "DescribeKey failed: " + KmsErrors.kmsSays(e));
        } catch (SdkClientException e) {
            return new MasterKeyDescription(keystoreName, keyId, "", MasterKeyState.UNREACHABLE,
                    "KMS not reachable: " + e.getMessage());
        }
        Optional<CustomKeyStoresListEntry> store = Optional.empty();
        String storeDetail = "";
        if (m.customKeyStoreId() != null) {
            try {
                store = client.describeCustomKeyStores(r -> r.customKeyStoreId(m.customKeyStoreId()))
                        .customKeyStores().stream().findFirst();
            } catch (SdkException e) {
                storeDetail = ", custom key store connection state unknown (" + e.getMessage() + ")";
            }
        }
        MasterKeyState state = stateOf(m.keyState(), m.customKeyStoreId() != null);
        StringBuilder detail = new StringBuilder("KeyState=").append(m.keyStateAsString());
        if (m.deletionDate() != null) {
            detail.append(", DeletionDate=").append(m.deletionDate());
        }
        if (m.customKeyStoreId() != null) {
            detail.append(", CustomKeyStoreId=").append(m.customKeyStoreId());
            store.ifPresent(s -> {
                detail.append(", ConnectionState=").append(s.connectionStateAsString());
                if (s.connectionErrorCode() != null) {
                    detail.append(", ConnectionErrorCode=").append(s.connectionErrorCodeAsString());
                }
            });
            detail.append(storeDetail);
        }
        return new MasterKeyDescription(keystoreName, m.arn(), "", state, detail.toString());
    }

    /**
     * KMS key state to dataenc state. {@code Unavailable} is what KMS reports for a key whose custom key store
     * is disconnected; it becomes {@link MasterKeyState#EXTERNAL_STORE_DISCONNECTED} for keys in a custom store
     * (the store's {@code ConnectionState} goes into the detail), {@link MasterKeyState#UNAVAILABLE} otherwise.
     * KMS's own key state wins: a key that KMS reports {@code Enabled} is usable.
     */
    static MasterKeyState stateOf(KeyState keyState, boolean inCustomStore) {
        if (keyState == null) {
            return MasterKeyState.UNAVAILABLE;
        }
        return switch (keyState) {
            case ENABLED -> MasterKeyState.ENABLED;
            case DISABLED -> MasterKeyState.DISABLED;
            case PENDING_DELETION, PENDING_REPLICA_DELETION -> MasterKeyState.PENDING_DELETION;
            case PENDING_IMPORT -> MasterKeyState.PENDING_IMPORT;
            case UNAVAILABLE -> inCustomStore ? MasterKeyState.EXTERNAL_STORE_DISCONNECTED : MasterKeyState.UNAVAILABLE;
            default -> MasterKeyState.UNAVAILABLE; // Creating, Updating, unknown to this SDK version
        };
    }
}
