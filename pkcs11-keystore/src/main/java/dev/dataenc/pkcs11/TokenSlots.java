package dev.dataenc.pkcs11;

import dev.dataenc.error.KeystoreConfigurationException;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds a token's slot id by its label. SunPKCS11's configuration knows only slot ids and slot list positions, so
 * this asks the module itself through the JDK's own PKCS#11 wrapper ({@code sun.security.pkcs11.wrapper}, the
 * same native binding SunPKCS11 uses, initialised the same way), which the JVM must export to dataenc:
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}.
 */
final class TokenSlots {

    static final String ADD_EXPORTS = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";
    private static final String WRAPPER = "sun.security.pkcs11.wrapper.";
    private static final long CKF_OS_LOCKING_OK = 0x2L;

    private TokenSlots() {
    }

    /**
     * The tokens present in the module's slots: label (trailing blanks removed) to slot id.
     *
     * @throws KeystoreConfigurationException if the JVM does not export the wrapper to dataenc
     */
    static Map<String, Long> tokens(Path library, String describe) {
        try {
            Object p11 = module(library);
            long[] slots = (long[]) p11.getClass().getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
            Map<String, Long> byLabel = new LinkedHashMap<>();
            for (long slot : slots) {
                Object info = p11.getClass().getMethod("C_GetTokenInfo", long.class).invoke(p11, slot);
                char[] label = (char[]) info.getClass().getField("label").get(info);
                byLabel.putIfAbsent(new String(label).stripTrailing(), slot);
            }
            return byLabel;
        } catch (IllegalAccessException | IllegalAccessError e) {
            throw new KeystoreConfigurationException(describe + ": setting 'token-label' needs the JVM option " + ADD_EXPORTS
                    + "; add it (e.g. in DATAENC_JAVA_OPTS or the host's java command) or choose the token with 'slot'", e);
        } catch (InvocationTargetException e) {
            throw new KeystoreConfigurationException(describe + ": the PKCS#11 module " + library + " cannot list its"
                    + " tokens (" + Pkcs11Errors.describe(e.getCause()) + "); check the module with your HSM's tool", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KeystoreConfigurationException(describe + ": this JVM's PKCS#11 wrapper cannot list tokens (" + e
                    + "); choose the token with 'slot' instead of 'token-label'", e);
        }
    }

    /** The module as the JDK's wrapper holds it (one per library path per JVM, shared with SunPKCS11). */
    static Object module(Path library) throws ReflectiveOperationException {
        Class<?> argsClass = Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS");
        Object args = argsClass.getConstructor().newInstance();
        argsClass.getField("flags").setLong(args, CKF_OS_LOCKING_OK);
        Class<?> p11 = Class.forName(WRAPPER + "PKCS11");
        return p11.getMethod("getInstance", String.class, String.class, argsClass, boolean.class)
                .invoke(null, library.toAbsolutePath().normalize().toString(), "C_GetFunctionList", args, false);
    }
}
