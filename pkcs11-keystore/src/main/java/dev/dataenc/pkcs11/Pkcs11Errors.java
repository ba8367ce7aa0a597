package dev.dataenc.pkcs11;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PKCS#11 return value ({@code CKR_...}) out of what SunPKCS11 throws: its {@code PKCS11Exception}
 * (not public API) is somewhere in the cause chain and its message is the return value's name.
 */
final class Pkcs11Errors {

    private static final Pattern CKR = Pattern.compile("\\bCKR_[A-Z0-9_]+");

    /** The key cannot be used for this operation (CKA_ENCRYPT / CKA_DECRYPT false): an administrator disabled it. */
    static final Set<String> KEY_DISABLED = Set.of("CKR_KEY_FUNCTION_NOT_PERMITTED", "CKR_KEY_TYPE_INCONSISTENT");
    /** The key object is gone (deleted while in use). */
    static final Set<String> KEY_GONE = Set.of("CKR_KEY_HANDLE_INVALID", "CKR_OBJECT_HANDLE_INVALID");
    /** The token or its slot is gone. */
    static final Set<String> TOKEN_GONE = Set.of("CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_REMOVED", "CKR_SLOT_ID_INVALID",
            "CKR_TOKEN_NOT_RECOGNIZED");
    /** The token has logged the user out (session closed, token reset). */
    static final Set<String> NOT_LOGGED_IN = Set.of("CKR_USER_NOT_LOGGED_IN", "CKR_SESSION_HANDLE_INVALID",
            "CKR_SESSION_CLOSED");
    /** What a token says for a ciphertext that does not authenticate (SoftHSM2 says CKR_GENERAL_ERROR). */
    static final Set<String> NOT_AUTHENTIC = Set.of("CKR_ENCRYPTED_DATA_INVALID", "CKR_ENCRYPTED_DATA_LEN_RANGE",
            "CKR_GENERAL_ERROR", "CKR_AEAD_DECRYPT_FAILED");

    private Pkcs11Errors() {
    }

    /** The first {@code CKR_...} name in the cause chain of {@code t}. */
    static Optional<String> returnValue(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null) {
                Matcher m = CKR.matcher(c.getMessage());
                if (m.find()) {
                    return Optional.of(m.group());
                }
            }
        }
        return Optional.empty();
    }

    /** True when the cause chain holds a return value of {@code set}. */
    static boolean is(Throwable t, Set<String> set) {
        return returnValue(t).filter(set::contains).isPresent();
    }

    /** A short, non-secret description of a failure for messages: the return value, else the exception type. */
    static String describe(Throwable t) {
        return returnValue(t).orElseGet(() -> {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        });
    }
}
