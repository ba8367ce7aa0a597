package dev.dataenc.cli;

import dev.dataenc.audit.Actor;
import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.registry.RegistryDatabase;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the {@code dataenc keystore ...} commands share: finding the keystore's settings and auditing. */
final class KeystoreAdminSupport {

    private KeystoreAdminSupport() {
    }

    /**
     * The settings of keystore {@code name}.
     *
     * @throws ParameterException (exit 2) if the configuration does not name it
     */
    static KeystoreSettings settings(CommandSpec spec, DataEncConfig config, String name) {
        KeystoreSettings s = config.keystores().get(name);
        if (s == null) {
            throw new ParameterException(spec.commandLine(), "no keystore '" + name + "' in " + describe(config)
                    + "; configured: " + String.join(", ", config.keystores().keySet()));
        }
        return s;
    }

    /** Refuses (exit 1) a keystore whose master key dataenc does not administer. */
    static void requireLocal(KeystoreSettings s) {
        if (!s.type().equals("local")) {
            throw new DataEncException("keystore '" + s.name() + "' is of type " + s.type() + "; dataenc administers only"
                    + " the master keys of local keystores. Administer this key where it lives (for aws-kms: in AWS KMS).");
        }
    }

    /** The registry, opened for the audit trail before anything changes (so an unreachable one changes nothing). */
    static RegistryDatabase registry(DataEncConfig config) {
        return RegistryDatabase.open(config.registry());
    }

    /**
     * Records a change that already happened. If the entry cannot be written the change stays made, and the
     * failure says so.
     */
    static void audit(RegistryDatabase db, AuditAction action, String keystore, String detail) {
        try {
            new JdbcAuditTrail(db, Actor.current(AdminPlane.TOOL)).record(action, null, keystore, detail);
        } catch (DataEncException e) {
            throw new DataEncException(action + " of keystore '" + keystore + "' was done, but its audit entry could not"
                    + " be written: " + e.getMessage() + ". Record it by hand.", e);
        }
    }

    /** The keystore as its master key administrator, or a refusal naming why it cannot be. */
    static MasterKeyAdmin admin(dev.dataenc.keystore.Keystore ks) {
        if (ks instanceof MasterKeyAdmin a) {
            return a;
        }
        throw new DataEncException("keystore '" + ks.name() + "' (type " + ks.type() + ") has no master key that dataenc"
                + " administers");
    }

    private static String describe(DataEncConfig config) {
        return config.source() == null ? "the configuration" : String.valueOf(config.source());
    }
}
