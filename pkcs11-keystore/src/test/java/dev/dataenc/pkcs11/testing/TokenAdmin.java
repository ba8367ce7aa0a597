package dev.dataenc.pkcs11.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * What an HSM administrator does to a key, done through the JDK's own PKCS#11 wrapper on the real token (the test
 * JVM exports {@code sun.security.pkcs11.wrapper}): switch a key's use off and on ({@code C_SetAttributeValue} of
 * CKA_ENCRYPT and CKA_DECRYPT) and delete it ({@code C_DestroyObject}). Runs in the test's process, which is
 * logged in to the token through the keystore, so the key's private objects are visible.
 */
public final class TokenAdmin {

    private static final String W = "sun.security.pkcs11.wrapper.";
    private static final long CKA_CLASS = 0x0, CKA_LABEL = 0x3, CKA_ENCRYPT = 0x104, CKA_DECRYPT = 0x105;
    /** CKA_SENSITIVE: the key's value can never be revealed. */
    public static final long CKA_SENSITIVE = 0x103;
    /** CKA_EXTRACTABLE: the key can be wrapped out of the token. */
    public static final long CKA_EXTRACTABLE = 0x162;
    /** CKA_TOKEN: a persistent token object. */
    public static final long CKA_TOKEN = 0x1;
    private static final long CKO_SECRET_KEY = 0x4, CKF_RW_SESSION = 0x2, CKF_SERIAL_SESSION = 0x4;

    private final Object p11;
    private final long slot;

    /** The module at {@code library}, token in {@code slot}. */
    public TokenAdmin(Path library, long slot) {
        try {
            Class<?> argsClass = Class.forName(W + "CK_C_INITIALIZE_ARGS");
            Object args = argsClass.getConstructor().newInstance();
            argsClass.getField("flags").setLong(args, 0x2L);
            this.p11 = Class.forName(W + "PKCS11").getMethod("getInstance", String.class, String.class, argsClass, boolean.class)
                    .invoke(null, library.toString(), "C_GetFunctionList", args, false);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's PKCS#11 wrapper is not usable (is it exported to the tests?): " + e, e);
        }
        this.slot = slot;
    }

    /** Sets CKA_ENCRYPT and CKA_DECRYPT of the secret key {@code label} (false = the token refuses to use it). */
    public void setUsable(String label, boolean usable) {
        withKey(label, (session, key) -> call("C_SetAttributeValue", new Class<?>[] {long.class, long.class, attrArray()},
                session, key, attrs(attr(CKA_ENCRYPT, usable), attr(CKA_DECRYPT, usable))));
    }

    /** A boolean attribute of the secret key {@code label}, e.g. {@link #CKA_SENSITIVE}. */
    public boolean attribute(String label, long type) {
        boolean[] out = new boolean[1];
        withKey(label, (session, key) -> {
            Object template = attrs(c().getConstructor(long.class).newInstance(type));
            call("C_GetAttributeValue", new Class<?>[] {long.class, long.class, attrArray()}, session, key, template);
            out[0] = (boolean) c().getMethod("getBoolean").invoke(java.lang.reflect.Array.get(template, 0));
        });
        return out[0];
    }

    /** Deletes the secret key {@code label} from the token. */
    public void delete(String label) {
        withKey(label, (session, key) -> call("C_DestroyObject", new Class<?>[] {long.class, long.class}, session, key));
    }

    private interface KeyAction {
        void run(long session, long key) throws ReflectiveOperationException;
    }

    private void withKey(String label, KeyAction action) {
        try {
            long session = (long) call("C_OpenSession", new Class<?>[] {long.class, long.class, Object.class,
                    Class.forName(W + "CK_NOTIFY")}, slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
            try {
                call("C_FindObjectsInit", new Class<?>[] {long.class, attrArray()}, session,
                        attrs(attr(CKA_LABEL, label), attr(CKA_CLASS, CKO_SECRET_KEY)));
                long[] found = (long[]) call("C_FindObjects", new Class<?>[] {long.class, long.class}, session, 2L);
                call("C_FindObjectsFinal", new Class<?>[] {long.class}, session);
                if (found.length != 1) {
                    throw new IllegalStateException(found.length + " secret keys labelled '" + label + "' on slot " + slot);
                }
                action.run(session, found[0]);
            } finally {
                call("C_CloseSession", new Class<?>[] {long.class}, session);
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException("PKCS#11 call on slot " + slot + " failed: " + cause, cause);
        }
    }

    private Object call(String method, Class<?>[] types, Object... args) throws ReflectiveOperationException {
        Method m = p11.getClass().getMethod(method, types);
        return m.invoke(p11, args);
    }

    private static Class<?> c() throws ClassNotFoundException {
        return Class.forName(W + "CK_ATTRIBUTE");
    }

    private static Class<?> attrArray() throws ClassNotFoundException {
        return Class.forName("[L" + W + "CK_ATTRIBUTE;");
    }

    private static Object attrs(Object... attributes) throws ReflectiveOperationException {
        Object array = java.lang.reflect.Array.newInstance(Class.forName(W + "CK_ATTRIBUTE"), attributes.length);
        for (int i = 0; i < attributes.length; i++) {
            java.lang.reflect.Array.set(array, i, attributes[i]);
        }
        return array;
    }

    private static Object attr(long type, Object value) throws ReflectiveOperationException {
        Class<?> c = Class.forName(W + "CK_ATTRIBUTE");
        Class<?> valueType = value instanceof Boolean ? boolean.class : value instanceof Long ? long.class : Object.class;
        Constructor<?> k = c.getConstructor(long.class, valueType);
        return k.newInstance(type, value);
    }
}
