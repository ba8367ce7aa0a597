package dev.dataenc.keystore;

/**
 * Optional interface of a {@link KeystoreProvider} whose master keys dataenc itself keeps (the
 * {@code local} type). Opening a keystore ({@link KeystoreProvider#create}) never creates a master
 * key: creating one is this separate, explicit operation ({@code dataenc keystore create <name>}),
 * so that a node started without its copy of a keystore fails instead of inventing a new key.
 * Types whose keys live elsewhere (AWS KMS, a site's cipher) do not implement it.
 */
public interface KeystoreCreator {

    /**
     * Creates the master key (and its file, where there is one) described by {@code settings}.
     * Refuses, changing nothing, when that master key already exists.
     *
     * @return the new master key, enabled, version 1
     * @throws dev.dataenc.error.KeystoreConfigurationException if it exists already, or a setting (path,
     *         password, ...) does not allow creating it; the message says what to do
     */
    MasterKeyDescription createMasterKey(KeystoreSettings settings);
}
