package dev.dataenc.error;

import java.util.List;

/**
 * No {@code KeystoreProvider} on the class path has the requested type. The message lists
 * the types that are registered.
 */
public class UnknownKeystoreTypeException extends KeystoreConfigurationException {

    private final transient List<String> registeredTypes;

    public UnknownKeystoreTypeException(String requestedType, List<String> registeredTypes) {
        super("Unknown keystore type '" + requestedType + "'. Registered types: "
                + (registeredTypes.isEmpty() ? "(none)" : String.join(", ", registeredTypes))
                + ". Check the spelling, or add the jar that provides this type to the class path"
                + " (it must list its KeystoreProvider in META-INF/services/dev.dataenc.keystore.KeystoreProvider).");
        this.registeredTypes = List.copyOf(registeredTypes);
    }

    public List<String> registeredTypes() {
        return registeredTypes;
    }
}
