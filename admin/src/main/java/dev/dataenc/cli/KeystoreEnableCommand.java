package dev.dataenc.cli;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.registry.RegistryDatabase;

import java.io.PrintWriter;

import picocli.CommandLine.Command;

/** {@code dataenc keystore enable <name>}: enables a disabled {@code local} master key again. */
@Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled local master key again.")
final class KeystoreEnableCommand extends LocalKeystoreCommand {

    @Override
    int run(PrintWriter out, DataEncConfig c, KeystoreSettings s) {
        try (RegistryDatabase db = KeystoreAdminSupport.registry(c); Keystore ks = Keystores.create(s)) {
            if (ks.describe().state() == MasterKeyState.ENABLED) {
                out.println("keystore '" + name + "': master key '" + ks.describe().masterKeyId() + "' is already enabled;"
                        + " nothing changed");
                return 0;
            }
            KeystoreAdminSupport.admin(ks).enableMasterKey();
            KeystoreAdminSupport.audit(db, AuditAction.MASTER_KEY_ENABLED, name, "master key '"
                    + ks.describe().masterKeyId() + "' enabled");
            out.println("keystore '" + name + "': master key '" + ks.describe().masterKeyId() + "' enabled");
        }
        return 0;
    }
}
