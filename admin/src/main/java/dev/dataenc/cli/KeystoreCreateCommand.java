package dev.dataenc.cli;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.KeystoreCreator;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.registry.RegistryDatabase;

import java.io.PrintWriter;

import picocli.CommandLine.Command;

/**
 * {@code dataenc keystore create <name>}: creates a {@code local} keystore's master key and file (owner-only),
 * the only way one comes into being. Refuses when the file already holds that master key. Run it on one node
 * and copy the file to the others. For a type whose provider creates keys elsewhere ({@link KeystoreCreator}, e.g.
 * {@code pkcs11}: a non-extractable key generated on the token) it creates that key.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a local keystore's master key (and its file, 0600), or a pkcs11 keystore's key on its"
                + " token; refused if it exists.")
final class KeystoreCreateCommand extends LocalKeystoreCommand {

    @Override
    void requireType(KeystoreSettings s) {
        if (!(Keystores.provider(s.type()) instanceof KeystoreCreator)) {
            super.requireType(s);
        }
    }

    @Override
    int run(PrintWriter out, DataEncConfig c, KeystoreSettings s) {
        try (RegistryDatabase db = KeystoreAdminSupport.registry(c)) {
            MasterKeyDescription created = Keystores.createMasterKey(s);
            if (!s.type().equals("local")) {
                KeystoreAdminSupport.audit(db, AuditAction.KEYSTORE_CREATED, name, "created master key '"
                        + created.masterKeyId() + "': " + created.detail());
                out.println("created master key '" + created.masterKeyId() + "' of keystore '" + name + "': "
                        + created.detail());
                return 0;
            }
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
