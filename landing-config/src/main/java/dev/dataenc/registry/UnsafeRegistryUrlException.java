package dev.dataenc.registry;

import dev.dataenc.error.DataEncException;

/**
 * The registry's JDBC URL uses a scheme or an option dataenc does not allow (see
 * {@link RegistryUrlPolicy}): the message names it, says why and what to use instead. Nothing was
 * opened.
 */
public class UnsafeRegistryUrlException extends DataEncException {

    private final String option;

    /**
     * @param option  the refused scheme or option name, as written in the URL
     * @param message what is refused, why, and what to do (never the URL's password)
     */
    public UnsafeRegistryUrlException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The refused scheme (e.g. {@code jdbc:h2:mem:}) or option (e.g. {@code INIT}). */
    public String option() {
        return option;
    }
}
