package dev.dataenc.keystore;

import java.util.Set;

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

    /**
     * The settings this type understands (without {@code type}, which every keystore has). The
     * configuration loader reports any other setting of a keystore of this type as an error, with
     * a did-you-mean suggestion.
     *
     * @return the setting names; empty = not declared, not validated (e.g. settings passed through
     *         to a site's own class)
     */
    default Set<String> settingNames() {
        return Set.of();
    }
}
