package dev.dataenc.keystore;

/**
 * Factory for one keystore type, found with {@link java.util.ServiceLoader}: list the
 * implementing class in {@code META-INF/services/dev.dataenc.keystore.KeystoreProvider}.
 * Needs a public no-argument constructor.
 */
public interface KeystoreProvider {

    /** The type name used in configuration, e.g. {@code local} or {@code aws-kms}. Lower case. */
    String type();

    /**
     * Creates a keystore from its settings.
     *
     * @throws dev.dataenc.error.KeystoreConfigurationException naming the setting that is missing or wrong
     */
    Keystore create(KeystoreSettings settings);
}
