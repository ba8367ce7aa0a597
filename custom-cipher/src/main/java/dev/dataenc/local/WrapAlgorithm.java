package dev.dataenc.local;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the {@code local} keystore wraps a CDK under a master key version. The first byte of every
 * wrapped key is the algorithm's {@link #formatByte()}, so a keystore unwraps either algorithm
 * whatever its current {@code wrap-algorithm} setting is.
 */
enum WrapAlgorithm {
    /** AES-256-GCM, random 96-bit IV, AAD = domain string, CDK id and master key version. */
    AES_GCM("aes-gcm", (byte) 0x01),
    /** AES key wrap with padding (RFC 5649) of CDK id (16 bytes) followed by the key (32 bytes). */
    AES_KWP("aes-kwp", (byte) 0x02);

    private final String settingValue;
    private final byte formatByte;

    WrapAlgorithm(String settingValue, byte formatByte) {
        this.settingValue = settingValue;
        this.formatByte = formatByte;
    }

    /** The value of the {@code wrap-algorithm} setting. */
    String settingValue() {
        return settingValue;
    }

    /** The first byte of a wrapped key made with this algorithm. */
    byte formatByte() {
        return formatByte;
    }

    /** The algorithm for a setting value, if it is one. */
    static Optional<WrapAlgorithm> fromSetting(String value) {
        return Arrays.stream(values()).filter(a -> a.settingValue.equalsIgnoreCase(value.trim())).findFirst();
    }

    /** The algorithm a wrapped key's first byte names, if any. */
    static Optional<WrapAlgorithm> fromFormatByte(byte b) {
        return Arrays.stream(values()).filter(a -> a.formatByte == b).findFirst();
    }

    /** The valid setting values, for messages: {@code aes-gcm, aes-kwp}. */
    static String validSettings() {
        return Arrays.stream(values()).map(WrapAlgorithm::settingValue).collect(Collectors.joining(", "));
    }

    /** The valid format bytes, for messages. */
    static String validFormatBytes() {
        return Arrays.stream(values()).map(a -> String.format("0x%02x (%s)", a.formatByte, a.settingValue))
                .collect(Collectors.joining(", "));
    }
}
