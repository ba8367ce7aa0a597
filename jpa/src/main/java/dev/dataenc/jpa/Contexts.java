package dev.dataenc.jpa;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Locale;

/** How an attribute's context is derived: its {@link EncryptionContext}, else {@code EntitySimpleName.attribute}. */
final class Contexts {

    private Contexts() {
    }

    /** The context from the entity class name (simple or qualified), the attribute name and its annotations. */
    static String of(String entityClassName, String attribute, Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation a : annotations) {
                if (a instanceof EncryptionContext c) {
                    return checked(c.value(), entityClassName + "." + attribute);
                }
            }
        }
        String simple = entityClassName.substring(Math.max(entityClassName.lastIndexOf('.'),
                entityClassName.lastIndexOf('$')) + 1);
        return simple + "." + attribute;
    }

    /**
     * The context of an attribute of {@code entity}, looked up by reflection (field, else getter).
     *
     * @throws IllegalArgumentException if there is no such attribute
     */
    static String of(Class<?> entity, String attribute) {
        for (Class<?> c = entity; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(attribute)) {
                    return of(entity.getName(), attribute, f.getAnnotations());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.getParameterCount() == 0 && attribute.equals(property(m.getName()))) {
                    return of(entity.getName(), attribute, m.getAnnotations());
                }
            }
        }
        throw new IllegalArgumentException(entity.getName() + " has no attribute '" + attribute + "' (no field or getter"
                + " of that name); give the attribute's name as in the entity, e.g. \"email\"");
    }

    private static String property(String getter) {
        if (getter.startsWith("get") && getter.length() > 3) {
            return decapitalize(getter.substring(3));
        }
        if (getter.startsWith("is") && getter.length() > 2) {
            return decapitalize(getter.substring(2));
        }
        return getter.toLowerCase(Locale.ROOT).equals(getter) ? getter : null;
    }

    /** As JavaBeans: {@code Email} gives {@code email}, {@code URL} stays {@code URL}. */
    private static String decapitalize(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isUpperCase(s.charAt(1))) {
            return s;
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String checked(String context, String where) {
        if (context.isEmpty()) {
            throw new IllegalArgumentException("@EncryptionContext on " + where + " is empty; give the context its values"
                    + " are bound to, e.g. \"Customer.email\", or remove the annotation to use '" + where + "'");
        }
        return context;
    }
}
