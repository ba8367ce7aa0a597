package dev.dataenc.console.auth;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.registry.RegistryDatabase;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records sign-ins to the console in the registry's audit trail (the registry only: no keystore is opened). The
 * password is never recorded; the name tried is recorded shortened and with control characters escaped.
 */
public final class SignInAudit {

    private static final Logger LOG = LoggerFactory.getLogger(SignInAudit.class);
    private static final int MAX_NAME = 64;

    private final Supplier<RegistrySettings> registry;

    public SignInAudit(Supplier<RegistrySettings> registry) {
        this.registry = registry;
    }

    /** An admin signed in. */
    public void signedIn(Principal who) {
        record(who.actor(), AuditAction.CONSOLE_SIGNED_IN, "signed in to the console");
    }

    /** A sign-in as {@code name} from {@code address} was refused because of {@code why}. */
    public void failed(String name, String address, String why) {
        record("console:" + printable(name) + "@" + address, AuditAction.CONSOLE_SIGN_IN_FAILED, why);
    }

    private void record(String actor, AuditAction action, String detail) {
        try (RegistryDatabase db = RegistryDatabase.open(registry.get())) { // the configuration file may be away too
            new JdbcAuditTrail(db, actor).record(action, null, null, detail);
        } catch (RuntimeException e) {
            LOG.warn("cannot record {} for {} in the audit trail: {}", action, actor, e.getMessage());
        }
    }

    /** At most {@value #MAX_NAME} characters, anything but letters, digits and {@code ._-} replaced by '?'. */
    static String printable(String name) {
        String s = name == null ? "" : name;
        if (s.length() > MAX_NAME) {
            s = s.substring(0, MAX_NAME) + "...";
        }
        return s.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
