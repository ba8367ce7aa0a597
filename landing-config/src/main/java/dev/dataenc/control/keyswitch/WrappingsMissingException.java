package dev.dataenc.control.keyswitch;

import dev.dataenc.error.RegistryConflictException;

import java.util.List;

/**
 * A switch could not complete because CDKs in use still lack a wrapping under the target (one was
 * activated while the switch re-wrapped); nothing changed, the switch re-wraps them and tries again.
 */
public final class WrappingsMissingException extends RegistryConflictException {

    private static final long serialVersionUID = 1L;

    /** @param cdkIds the CDKs without a wrapping under {@code target} */
    public WrappingsMissingException(String target, List<String> cdkIds) {
        super(cdkIds.size() + " CDK(s) in use have no wrapping under keystore '" + target + "' yet ("
                + String.join(", ", cdkIds.subList(0, Math.min(5, cdkIds.size()))) + (cdkIds.size() > 5 ? ", ..." : "")
                + "); the switch re-wraps them before it completes");
    }
}
