package dev.dataenc.cli;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.registry.RegistryDatabase;

import java.io.PrintWriter;

import picocli.CommandLine.Command;

/**
 * {@code dataenc keystore create <name>}: creates a {@code local} keystore's master key and file (owner-only),
 * the only way one comes into being. Refuses when the file already holds that master key. Run it on one node
 * and copy the file to the others.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a local keystore's master key (and its file, 0600); refused if it exists.")
final class KeystoreCreateCommand extends LocalKeystoreCommand {

    @Override
    int run(PrintWriter out, DataEncConfig c, KeystoreSettings s) {
        try (RegistryDatabase db = KeystoreAdminSupport.registry(c)) {
            MasterKeyDescription created = Keystores.createMasterKey(s);
            KeystoreAdminSupport.audit(db, AuditAction.KEYSTORE_CREATED, name, "created master key '"
                    + created.masterKeyId() + "' version " + created.masterKeyVersion() + " in " + s.values().get("path"));
            out.println("created master key '" + created.masterKeyId() + "' (version " + created.masterKeyVersion()
                    + ") of keystore '" + name + "' in " + s.values().get("path"));
            out.println("copy this file to every node that uses keystore '" + name + "' (same password); a node must never"
                    + " create its own");
        }
        return 0;
    }
}
