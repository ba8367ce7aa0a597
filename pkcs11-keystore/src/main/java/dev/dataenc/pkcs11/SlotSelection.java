package dev.dataenc.pkcs11;

import java.util.Objects;

/**
 * Which token of a PKCS#11 module a keystore uses: by slot id ({@code slot}), by position in the module's slot
 * list ({@code slot-index}) or by token label ({@code token-label}). Exactly one is configured.
 *
 * @param kind  how the token is selected
 * @param value the slot id, index or token label as configured
 */
public record SlotSelection(Kind kind, String value) {

    /** How a token is selected. */
    public enum Kind {
        /** The slot id the module reports ({@code softhsm2-util --show-slots}, the HSM's tool). */
        SLOT("slot"),
        /** The position in the module's list of slots, from 0. */
        SLOT_INDEX("slot-index"),
        /** The token's label (CKA token info label, trailing blanks ignored). */
        TOKEN_LABEL("token-label");

        private final String setting;

        Kind(String setting) {
            this.setting = setting;
        }

        /** The setting that selects a token this way. */
        public String setting() {
            return setting;
        }
    }

    public SlotSelection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /** The token in words, e.g. {@code labelled 'hsm-a'}, {@code in slot 3}, {@code at slot index 0}. */
    public String token() {
        return switch (kind) {
            case SLOT -> "in slot " + value;
            case SLOT_INDEX -> "at slot index " + value;
            case TOKEN_LABEL -> "labelled '" + value + "'";
        };
    }

    /** For messages, e.g. {@code token-label 'hsm-a'}. */
    public String describe() {
        return kind.setting() + " '" + value + "'";
    }
}
