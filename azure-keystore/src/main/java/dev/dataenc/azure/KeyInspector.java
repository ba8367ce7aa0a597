package dev.dataenc.azure;

import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.models.DeletedKey;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Finds out why a key (version) is not usable: reads its attributes ({@code enabled}, {@code expiresOn},
 * {@code notBefore}) and, when it is gone, looks for it among the vault's deleted keys.
 */
final class KeyInspector {

    /**
     * What the inspection found.
     *
     * @param condition the key's condition
     * @param detail    non-secret detail (dates, the service's answer)
     */
    record Finding(KeyCondition condition, String detail) {
    }

    private final KeyClient keys;
    private final Clock clock;

    KeyInspector(KeyClient keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The condition of key {@code name} at {@code version} (empty = its current version). Never throws. */
    Finding inspect(String name, String version) {
        try {
            KeyVaultKey key = keys.getKey(name, version);
            return of(key.getProperties());
        } catch (RuntimeException e) {
            KeyCondition c = AzureErrors.byStatus(e);
            if (c == KeyCondition.NOT_FOUND) {
                return deleted(name, AzureErrors.describe(e));
            }
            return new Finding(c, AzureErrors.describe(e));
        }
    }

    /** The condition the attributes of a key version mean. */
    Finding of(KeyProperties p) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (Boolean.FALSE.equals(p.isEnabled())) {
            return new Finding(KeyCondition.DISABLED, "enabled=false");
        }
        if (p.getExpiresOn() != null && !now.isBefore(p.getExpiresOn())) {
            return new Finding(KeyCondition.EXPIRED, "expired " + p.getExpiresOn());
        }
        if (p.getNotBefore() != null && now.isBefore(p.getNotBefore())) {
            return new Finding(KeyCondition.NOT_YET_VALID, "not valid before " + p.getNotBefore());
        }
        return new Finding(KeyCondition.ENABLED, "");
    }

    private Finding deleted(String name, String notFound) {
        try {
            DeletedKey d = keys.getDeletedKey(name);
            return new Finding(KeyCondition.SOFT_DELETED, "deleted " + d.getDeletedOn() + ", purged on "
                    + d.getScheduledPurgeDate());
        } catch (RuntimeException e) {
            int status = AzureErrors.status(e);
            if (status == 404) {
                return new Finding(KeyCondition.NOT_FOUND, notFound);
            }
            return new Finding(KeyCondition.NOT_FOUND, notFound + "; the deleted keys could not be read ("
                    + AzureErrors.describe(e) + ": the list permission on keys shows whether it is only soft-deleted)");
        }
    }
}
