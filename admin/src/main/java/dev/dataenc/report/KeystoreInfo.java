package dev.dataenc.report;

import dev.dataenc.control.KeystoreSet;
import dev.dataenc.keystore.MasterKeyDescription;

/**
 * A configured keystore and the state of its master key.
 *
 * @param name             the configured name
 * @param type             its type ({@code local}, {@code aws-kms}, a custom type)
 * @param active           whether it is the registry's active keystore
 * @param opened           whether it could be opened in this process
 * @param masterKeyId      its master key id, or null if it could not be opened
 * @param masterKeyVersion the master key version ({@code ""} if none), or null if it could not be opened
 * @param masterKeyState   {@code ENABLED}, {@code DISABLED}, {@code PENDING_DELETION}, ..., or null if it could not be opened
 * @param detail           extra detail about the master key ({@code ""} if none), or null
 * @param error            why it could not be opened, or null
 */
public record KeystoreInfo(String name, String type, boolean active, boolean opened, String masterKeyId,
                           String masterKeyVersion, String masterKeyState, String detail, String error) {

    /** The JSON view of keystore {@code name} of {@code set} (descriptions as last refreshed). */
    public static KeystoreInfo of(KeystoreSet set, String name, String activeKeystore) {
        String type = set.settings().get(name).type();
        boolean active = name.equals(activeKeystore);
        return set.failure(name)
                .map(e -> new KeystoreInfo(name, type, active, false, null, null, null, null, e.getMessage()))
                .orElseGet(() -> {
                    MasterKeyDescription d = set.describe(name);
                    return new KeystoreInfo(name, type, active, true, d.masterKeyId(), d.masterKeyVersion(),
                            d.state().name(), d.detail(), null);
                });
    }
}
