package dev.dataenc.keystore;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.UnknownKeystoreTypeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds {@link KeystoreProvider}s with {@link ServiceLoader} and creates keystores from settings.
 * Unknown or duplicate types fail with a message that lists what was found.
 */
public final class Keystores {

    private Keystores() {
    }

    /** Creates the keystore described by {@code settings} with the provider of its type. */
    public static Keystore create(KeystoreSettings settings) {
        return provider(settings.type()).create(settings);
    }

    /** Creates with the providers visible to the given class loader. */
    public static Keystore create(KeystoreSettings settings, ClassLoader loader) {
        return provider(settings.type(), loader).create(settings);
    }

    /**
     * Creates the master key of a keystore whose type dataenc administers itself (see {@link KeystoreCreator}).
     *
     * @throws KeystoreConfigurationException if the type's keys are created elsewhere (AWS KMS, a custom cipher),
     *         or the master key exists already
     */
    public static MasterKeyDescription createMasterKey(KeystoreSettings settings) {
        KeystoreProvider p = provider(settings.type());
        if (!(p instanceof KeystoreCreator creator)) {
            throw new KeystoreConfigurationException(settings.describe() + ": dataenc does not create master keys of type '"
                    + settings.type() + "'; create the key where it lives (for aws-kms: in AWS KMS; for custom: in the"
                    + " site's cipher) and name it in the configuration");
        }
        return creator.createMasterKey(settings);
    }

    /** The provider of a type, from the context class loader (or this library's). */
    public static KeystoreProvider provider(String type) {
        return provider(type, defaultLoader());
    }

    /**
     * The provider of a type from the given class loader.
     *
     * @throws UnknownKeystoreTypeException listing the registered types
     * @throws KeystoreConfigurationException if two providers claim the same type
     */
    public static KeystoreProvider provider(String type, ClassLoader loader) {
        Map<String, List<KeystoreProvider>> all = discover(loader);
        List<KeystoreProvider> found = all.get(type);
        if (found == null) {
            throw new UnknownKeystoreTypeException(type, List.copyOf(all.keySet()));
        }
        if (found.size() > 1) {
            List<String> classes = found.stream().map(p -> p.getClass().getName()).toList();
            throw new KeystoreConfigurationException("Keystore type '" + type + "' is provided by " + found.size()
                    + " classes on the class path: " + classes + ". Remove all but one jar.");
        }
        return found.get(0);
    }

    /** The registered type names, sorted. */
    public static List<String> registeredTypes() {
        return List.copyOf(discover(defaultLoader()).keySet());
    }

    private static Map<String, List<KeystoreProvider>> discover(ClassLoader loader) {
        Map<String, List<KeystoreProvider>> byType = new TreeMap<>();
        try {
            for (KeystoreProvider p : ServiceLoader.load(KeystoreProvider.class, loader)) {
                byType.computeIfAbsent(p.type(), t -> new ArrayList<>()).add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new KeystoreConfigurationException("A keystore provider on the class path cannot be loaded: "
                    + e.getMessage() + ". Fix or remove the jar that lists it in META-INF/services.", e);
        }
        return byType;
    }

    private static ClassLoader defaultLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Keystores.class.getClassLoader();
    }
}
