package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.MasterKeyState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.login.FailedLoginException;

/**
 * One token as this JVM uses it: a SunPKCS11 provider configured for its slot, and the token's key store, logged in
 * as the user. A PKCS#11 login belongs to the whole process, so every keystore of the JVM on the same token shares
 * one {@code Pkcs11Token} ({@link #open}); closing a keystore does not log the others out. A PIN is checked by the
 * token at the first login; later openings must present the same PIN (compared as a keyed hash in constant time),
 * so a wrong PIN is reported even though the token is already logged in.
 */
final class Pkcs11Token {

    private static final Map<String, Pkcs11Token> TOKENS = new ConcurrentHashMap<>();
    private static final byte[] PIN_CHECK_KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(PIN_CHECK_KEY);
    }

    private final String where;
    private final Provider provider;
    private final KeyStore keyStore;
    private byte[] pinCheck;

    private Pkcs11Token(String where, Provider provider, KeyStore keyStore) {
        this.where = where;
        this.provider = provider;
        this.keyStore = keyStore;
    }

    /**
     * The token of {@code settings}, logged in with {@code pin}.
     *
     * @throws Pkcs11LibraryMissingException  if the module file is missing or not a PKCS#11 module
     * @throws Pkcs11TokenAbsentException     if no such slot or token exists
     * @throws Pkcs11PinIncorrectException    if the PIN is wrong or locked
     */
    static Pkcs11Token open(String keystore, Pkcs11Settings settings, char[] pin) {
        String describe = "pkcs11 keystore '" + keystore + "'";
        Path library = settings.library().toAbsolutePath().normalize();
        if (!Files.isRegularFile(library)) {
            throw new Pkcs11LibraryMissingException(describe + ": PKCS#11 module " + library + " does not exist; install the"
                    + " HSM's client library (for SoftHSM2: apt-get install softhsm2) or fix setting 'library'", null);
        }
        String slotSetting = slotSetting(keystore, settings, library, describe);
        Pkcs11Token token = TOKENS.computeIfAbsent(library + "|" + slotSetting,
                k -> configure(keystore, settings, library, slotSetting, describe));
        token.login(keystore, settings, pin);
        return token;
    }

    private static String slotSetting(String keystore, Pkcs11Settings settings, Path library, String describe) {
        SlotSelection slot = settings.slot();
        switch (slot.kind()) {
            case SLOT:
                return "slot = " + slot.value();
            case SLOT_INDEX:
                return "slotListIndex = " + slot.value();
            default:
                Map<String, Long> tokens = TokenSlots.tokens(library, describe);
                Long id = tokens.get(slot.value());
                if (id == null) {
                    throw new Pkcs11TokenAbsentException(keystore, describe + ": no token labelled '" + slot.value()
                            + "' in module " + library + " (tokens present: " + tokens.keySet() + "); insert or initialise"
                            + " the token, or fix setting 'token-label'", null);
                }
                return "slot = " + id;
        }
    }

    private static Pkcs11Token configure(String keystore, Pkcs11Settings settings, Path library, String slotSetting,
                                         String describe) {
        Provider provider;
        try {
            provider = Security.getProvider("SunPKCS11").configure("--" + SunPkcs11Config.text(library, slotSetting));
        } catch (ProviderException | IllegalArgumentException e) {
            String why = Pkcs11Errors.describe(e);
            if (Pkcs11Errors.is(e, Pkcs11Errors.TOKEN_GONE) || String.valueOf(e.getCause()).contains("slotListIndex")) {
                throw new Pkcs11TokenAbsentException(keystore, describe + ": no token in " + settings.slot().describe()
                        + " of module " + library + " (" + why + "); insert or initialise the token, or fix the setting"
                        + " (list slots with your HSM's tool, e.g. `softhsm2-util --show-slots`)", e);
            }
            throw new Pkcs11LibraryMissingException(describe + ": module " + library + " cannot be used as a PKCS#11"
                    + " library (" + why + "); check setting 'library' names the HSM's PKCS#11 module", e);
        }
        try {
            return new Pkcs11Token(settings.slot().token() + " of module " + library, provider,
                    KeyStore.getInstance("PKCS11", provider));
        } catch (GeneralSecurityException | ProviderException e) {
            throw new Pkcs11TokenAbsentException(keystore, describe + ": the token in " + settings.slot().describe()
                    + " of module " + library + " cannot be opened (" + Pkcs11Errors.describe(e) + "); check the token"
                    + " with your HSM's tool", e);
        }
    }

    private synchronized void login(String keystore, Pkcs11Settings settings, char[] pin) {
        String describe = "pkcs11 keystore '" + keystore + "'";
        byte[] check = pinCheck(pin);
        try {
            if (pinCheck != null) {
                if (!MessageDigest.isEqual(check, pinCheck)) {
                    throw new Pkcs11PinIncorrectException(describe + ": the PIN in environment variable " + settings.pinEnv()
                            + " is not the PIN this process logged in to token " + where + " with; set the token's"
                            + " user PIN in " + settings.pinEnv(), null);
                }
                return;
            }
            try {
                keyStore.load(null, pin);
                pinCheck = check.clone();
            } catch (IOException | GeneralSecurityException | ProviderException e) {
                throw loginFailure(keystore, settings, describe, e);
            }
        } finally {
            Arrays.fill(check, (byte) 0);
        }
    }

    private RuntimeException loginFailure(String keystore, Pkcs11Settings settings, String describe, Exception e) {
        String ckr = Pkcs11Errors.returnValue(e).orElse("");
        if (ckr.equals("CKR_PIN_LOCKED")) {
            return new Pkcs11PinIncorrectException(describe + ": the user PIN of token " + where + " is locked (too many"
                    + " wrong attempts); have the security officer unlock or reset it, then set it in " + settings.pinEnv(), e);
        }
        if (ckr.equals("CKR_PIN_EXPIRED")) {
            return new Pkcs11PinIncorrectException(describe + ": the user PIN of token " + where + " has expired; change"
                    + " it with your HSM's tool and set the new one in " + settings.pinEnv(), e);
        }
        if (ckr.equals("CKR_PIN_INCORRECT") || ckr.equals("CKR_PIN_INVALID") || ckr.equals("CKR_PIN_LEN_RANGE")
                || hasCause(e, FailedLoginException.class)) {
            return new Pkcs11PinIncorrectException(describe + ": token " + where + " refused the PIN in environment"
                    + " variable " + settings.pinEnv() + " (" + (ckr.isEmpty() ? "login failed" : ckr) + "); set the"
                    + " token's user PIN there (dataenc tries it once, never again, so the token's attempts are not used up)", e);
        }
        if (Pkcs11Errors.is(e, Pkcs11Errors.TOKEN_GONE)) {
            return new Pkcs11TokenAbsentException(keystore, describe + ": token " + where + " is not present ("
                    + ckr + "); insert it or fix the slot setting", e);
        }
        return new KeystoreUnavailableException(keystore, MasterKeyState.UNAVAILABLE, describe + ": cannot log in to"
                + " token " + where + " (" + Pkcs11Errors.describe(e) + "): " + MasterKeyState.UNAVAILABLE.remedy(), e);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] pinCheck(char[] pin) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(PIN_CHECK_KEY, "HmacSHA256"));
            return mac.doFinal(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        } finally {
            Arrays.fill(b, (byte) 0);
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    /** The provider that runs mechanisms on this token. */
    Provider provider() {
        return provider;
    }

    /** Where the token is, for messages (module path and slot setting). */
    String where() {
        return where;
    }

    /** The AES secret key labelled {@code label} on the token, or null if there is none. */
    SecretKey findKey(String label) throws GeneralSecurityException {
        synchronized (keyStore) {
            Key k = keyStore.getKey(label, null);
            return k instanceof SecretKey s && "AES".equalsIgnoreCase(s.getAlgorithm()) ? s : null;
        }
    }

    /** True if any object (key, certificate) has this label. */
    boolean hasLabel(String label) throws GeneralSecurityException {
        synchronized (keyStore) {
            return keyStore.containsAlias(label);
        }
    }

    /**
     * Generates a new AES-256 key on the token (sensitive, non-extractable) and stores it there under {@code label}.
     *
     * @return the stored key
     */
    SecretKey generateKey(String label) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
        generator.init(256);
        SecretKey sessionKey = generator.generateKey();
        synchronized (keyStore) {
            keyStore.setEntry(label, new KeyStore.SecretKeyEntry(sessionKey), null);
        }
        return findKey(label);
    }

    /** Removes the object labelled {@code label} from the token (used only to undo a failed creation). */
    void deleteKey(String label) throws GeneralSecurityException {
        synchronized (keyStore) {
            keyStore.deleteEntry(label);
        }
    }
}
