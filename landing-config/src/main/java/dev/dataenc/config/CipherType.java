package dev.dataenc.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kind of cipher that protects CDKs: the built-in {@code local} keystore ({@link #PLATFORM}),
 * a site's own cipher class ({@link #CUSTOM}, keystore type {@code custom}), or an external
 * keystore such as AWS KMS ({@link #KEYSTORE}, any other keystore type).
 */
public enum CipherType {
    /** The built-in platform cipher: a {@code local} keystore (master keys in a PKCS#12 file). */
    PLATFORM("platform"),
    /** A site-specific cipher class: a {@code custom} keystore. */
    CUSTOM("custom"),
    /** An external keystore, e.g. {@code aws-kms}. */
    KEYSTORE("keystore");

    private final String configValue;

    CipherType(String configValue) {
        this.configValue = configValue;
    }

    /** The value used in the configuration file, e.g. {@code platform}. */
    public String configValue() {
        return configValue;
    }

    /** The cipher type a keystore type belongs to: {@code local} → platform, {@code custom} → custom, else keystore. */
    public static CipherType ofKeystoreType(String keystoreType) {
        return switch (keystoreType) {
            case "local" -> PLATFORM;
            case "custom" -> CUSTOM;
            default -> KEYSTORE;
        };
    }

    /** Parses a configuration value (case-insensitive). */
    public static Optional<CipherType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.configValue.equals(v)).findFirst();
    }

    /** The valid configuration values, for messages. */
    public static String validValues() {
        return String.join(", ", Arrays.stream(values()).map(CipherType::configValue).toList());
    }

    @Override
    public String toString() {
        return configValue;
    }
}
