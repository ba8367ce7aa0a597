package dev.dataenc.custom;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads the site's {@link CustomCipher} class named in setting {@code class} (thread context class
 * loader first, then this library's), creates it and calls {@link CustomCipher#init}, with an
 * actionable message for every way that can go wrong.
 */
final class CustomCipherLoader {

    static final String CLASS = "class";

    private CustomCipherLoader() {
    }

    /** A new, initialised cipher. */
    static CustomCipher load(KeystoreSettings settings) {
        String className = settings.require(CLASS);
        Class<?> type = findClass(settings, className);
        if (!CustomCipher.class.isAssignableFrom(type)) {
            throw notACipher(settings, type);
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new KeystoreConfigurationException(settings.describe() + ": custom cipher class " + className
                    + " is abstract; name a concrete class that implements " + CustomCipher.class.getName());
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new KeystoreConfigurationException(settings.describe() + ": custom cipher class " + className
                    + " has no public no-argument constructor; add one (settings are passed to init(Map))", e);
        }
        CustomCipher cipher;
        try {
            cipher = (CustomCipher) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new KeystoreConfigurationException(settings.describe() + ": the constructor of custom cipher class "
                    + className + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KeystoreConfigurationException(settings.describe() + ": custom cipher class " + className
                    + " cannot be created: " + e + ". Make the class and its constructor public.", e);
        }
        try {
            cipher.init(settings.values());
        } catch (Exception | LinkageError e) {
            throw new KeystoreConfigurationException(settings.describe() + ": custom cipher " + className
                    + " failed to initialise: " + e + ". Check its settings and the site's documentation.", e);
        }
        return cipher;
    }

    private static Class<?> findClass(KeystoreSettings settings, String className) {
        List<ClassLoader> loaders = new ArrayList<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        loaders.add(CustomCipherLoader.class.getClassLoader());
        for (ClassLoader loader : loaders) {
            try {
                return Class.forName(className, true, loader);
            } catch (ClassNotFoundException e) {
                // try the next loader
            } catch (LinkageError e) {
                throw new KeystoreConfigurationException(settings.describe() + ": custom cipher class " + className
                        + " was found but cannot be loaded: " + e + ". Add the jars it depends on to the class path.", e);
            }
        }
        throw new KeystoreConfigurationException(settings.describe() + ": custom cipher class " + className
                + " not found. Add the jar containing " + className + " to the class path, or fix setting '"
                + CLASS + "' (the fully qualified class name).");
    }

    private static KeystoreConfigurationException notACipher(KeystoreSettings settings, Class<?> type) {
        Set<String> interfaces = new LinkedHashSet<>();
        boolean sameNameOtherLoader = false;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                interfaces.add(i.getName());
                sameNameOtherLoader |= i.getName().equals(CustomCipher.class.getName());
            }
        }
        String message = settings.describe() + ": class " + type.getName() + " does not implement "
                + CustomCipher.class.getName() + "; it implements "
                + (interfaces.isEmpty() ? "no interfaces" : String.join(", ", interfaces)) + ".";
        if (sameNameOtherLoader) {
            message += " Its CustomCipher comes from another class loader: put the dataenc jars on the class path once,"
                    + " not also inside the site's jar.";
        } else {
            message += " Name a class that implements " + CustomCipher.class.getName() + ".";
        }
        return new KeystoreConfigurationException(message);
    }
}
