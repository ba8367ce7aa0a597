package dev.dataenc.jpa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the context an encrypted attribute is bound to. Without it the context is
 * {@code <entity class simple name>.<attribute name>}, e.g. {@code Customer.email}; use it to keep reading values
 * written under another context (after renaming a class or a field, or values written by other code).
 *
 * <pre>{@code
 * @Type(EncryptedStringType.class)
 * @EncryptionContext("Customer.email")
 * private String emailAddress;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface EncryptionContext {

    /** The context (AAD) the attribute's values are bound to; not empty. */
    String value();
}
