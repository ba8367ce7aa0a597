package dev.dataenc.keystore;

import dev.dataenc.error.KeystoreConfigurationException;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings of one named keystore: its name, its type and the type's own key/value
 * settings. Values of keys that look secret (password, secret, token, credential) are never
 * shown by {@link #toString()}.
 *
 * @param name   configured keystore name
 * @param type   provider type, e.g. {@code local}
 * @param values the type's settings (copied, sorted)
 */
public record KeystoreSettings(String name, String type, Map<String, String> values) {

    public KeystoreSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        values = Map.copyOf(values == null ? Map.of() : values);
    }

    /** Settings with the given values. */
    public static KeystoreSettings of(String name, String type, Map<String, String> values) {
        return new KeystoreSettings(name, type, values);
    }

    /** A setting's value, if set and not blank. */
    public Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** A setting's value or a default. */
    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /**
     * A required setting's value.
     *
     * @throws KeystoreConfigurationException naming the keystore and the missing key
     */
    public String require(String key) {
        return get(key).orElseThrow(() -> new KeystoreConfigurationException(
                "keystore '" + name + "' (type " + type + "): missing required setting '" + key + "'"));
    }

    /**
     * An integer setting within bounds, or the default when unset.
     *
     * @throws KeystoreConfigurationException if it is not a number or out of range
     */
    public int getInt(String key, int defaultValue, int min, int max) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new KeystoreConfigurationException("keystore '" + name + "' (type " + type + "): setting '" + key
                    + "' must be a whole number from " + min + " to " + max + ", got '" + v.get() + "'");
        }
    }

    /** A prefix for error messages: {@code keystore 'name' (type t)}. */
    public String describe() {
        return "keystore '" + name + "' (type " + type + ")";
    }

    static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("credential")
                || k.contains("passphrase");
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, isSecretKey(k) ? "****" : v));
        return "KeystoreSettings[name=" + name + ", type=" + type + ", values=" + shown + "]";
    }
}
