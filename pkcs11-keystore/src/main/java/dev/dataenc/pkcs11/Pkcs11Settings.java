package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parsed settings of a {@code pkcs11} keystore. The PIN itself is never a setting: {@code pin-env} names the
 * environment variable that holds it.
 *
 * @param library         the PKCS#11 module (shared library) path
 * @param slot            which token of the module
 * @param keyLabel        label (CKA_LABEL) of the AES-256 master key on the token
 * @param pinEnv          name of the environment variable holding the user PIN
 * @param formerKeyLabels labels of earlier master keys on the same token whose wrappings this keystore still
 *                        unwraps (after a key change); new wrappings always use {@code keyLabel}
 */
public record Pkcs11Settings(Path library, SlotSelection slot, String keyLabel, String pinEnv,
                             List<String> formerKeyLabels) {

    static final String LIBRARY = "library";
    static final String SLOT = "slot";
    static final String SLOT_INDEX = "slot-index";
    static final String TOKEN_LABEL = "token-label";
    static final String KEY_LABEL = "key-label";
    static final String PIN_ENV = "pin-env";
    static final String FORMER_KEY_LABELS = "former-key-labels";

    /** Default of {@code pin-env}. */
    public static final String DEFAULT_PIN_ENV = "DATAENC_PKCS11_PIN";

    /** Every setting name this type understands. */
    static final Set<String> NAMES = Set.of(LIBRARY, SLOT, SLOT_INDEX, TOKEN_LABEL, KEY_LABEL, PIN_ENV, FORMER_KEY_LABELS);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_LABEL = 32;

    public Pkcs11Settings {
        formerKeyLabels = List.copyOf(formerKeyLabels);
    }

    /**
     * Parses and checks the settings (not the token: see {@link Pkcs11Keystore}).
     *
     * @throws KeystoreConfigurationException naming the setting that is missing or wrong
     */
    public static Pkcs11Settings parse(KeystoreSettings s) {
        Path library = Path.of(s.require(LIBRARY));
        List<SlotSelection> chosen = new ArrayList<>();
        s.get(SLOT).ifPresent(v -> chosen.add(new SlotSelection(SlotSelection.Kind.SLOT, wholeNumber(s, SLOT, v))));
        s.get(SLOT_INDEX).ifPresent(v -> chosen.add(new SlotSelection(SlotSelection.Kind.SLOT_INDEX, wholeNumber(s, SLOT_INDEX, v))));
        s.get(TOKEN_LABEL).ifPresent(v -> chosen.add(new SlotSelection(SlotSelection.Kind.TOKEN_LABEL, label(s, TOKEN_LABEL, v))));
        if (chosen.size() != 1) {
            throw new KeystoreConfigurationException(s.describe() + ": set exactly one of '" + SLOT + "', '" + SLOT_INDEX
                    + "' or '" + TOKEN_LABEL + "' to choose the token (found " + chosen.size() + "); list tokens with your"
                    + " HSM's tool, e.g. `softhsm2-util --show-slots` or `pkcs11-tool --module <library> -L`");
        }
        String keyLabel = label(s, KEY_LABEL, s.require(KEY_LABEL));
        String pinEnv = s.get(PIN_ENV, DEFAULT_PIN_ENV);
        if (!ENV_NAME.matcher(pinEnv).matches()) {
            throw new KeystoreConfigurationException(s.describe() + ": setting '" + PIN_ENV + "' must be the NAME of an"
                    + " environment variable (letters, digits, '_'), not the PIN itself; put the PIN in that variable");
        }
        Set<String> former = new LinkedHashSet<>();
        for (String f : s.get(FORMER_KEY_LABELS, "").split(",")) {
            if (!f.isBlank()) {
                former.add(label(s, FORMER_KEY_LABELS, f.trim()));
            }
        }
        if (former.contains(keyLabel)) {
            throw new KeystoreConfigurationException(s.describe() + ": '" + FORMER_KEY_LABELS + "' lists the current '"
                    + KEY_LABEL + "' " + keyLabel + "; list only earlier keys");
        }
        return new Pkcs11Settings(library, chosen.get(0), keyLabel, pinEnv, List.copyOf(former));
    }

    /** The PIN's environment variable value, or empty when it is unset or blank. */
    Optional<char[]> pin(java.util.function.Function<String, String> env) {
        String v = env.apply(pinEnv);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.toCharArray());
    }

    private static String wholeNumber(KeystoreSettings s, String key, String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return Long.toString(n);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new KeystoreConfigurationException(s.describe() + ": setting '" + key + "' must be a whole number from 0,"
                + " got '" + v + "'");
    }

    private static String label(KeystoreSettings s, String key, String v) {
        if (v.length() > MAX_LABEL && key.equals(TOKEN_LABEL) || v.chars().anyMatch(c -> c < 0x20 || c == '"' || c == 0x7f)) {
            throw new KeystoreConfigurationException(s.describe() + ": setting '" + key + "' must be printable text without"
                    + " quotes" + (key.equals(TOKEN_LABEL) ? " of at most " + MAX_LABEL + " characters" : "")
                    + ", got '" + v + "'");
        }
        return v;
    }
}
