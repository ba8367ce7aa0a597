package dev.dataenc.cli;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.registry.RegistryDatabase;

import java.io.PrintWriter;

import picocli.CommandLine.Command;

/**
 * {@code dataenc keystore rotate-master-key <name>}: a new version of a {@code local} master key; new wrappings
 * use it, every older version keeps unwrapping. Refused while the key is disabled.
 */
@Command(name = "rotate-master-key", mixinStandardHelpOptions = true,
        description = "Add a new master key version that new wrappings use; older versions keep unwrapping.")
final class KeystoreRotateMasterKeyCommand extends LocalKeystoreCommand {

    @Override
    int run(PrintWriter out, DataEncConfig c, KeystoreSettings s) {
        try (RegistryDatabase db = KeystoreAdminSupport.registry(c); Keystore ks = Keystores.create(s)) {
            String before = ks.describe().masterKeyVersion();
            MasterKeyDescription now = KeystoreAdminSupport.admin(ks).rotateMasterKey();
            KeystoreAdminSupport.audit(db, AuditAction.MASTER_KEY_ROTATED, name, "master key '" + now.masterKeyId()
                    + "' version " + before + " -> " + now.masterKeyVersion());
            out.println("keystore '" + name + "': master key '" + now.masterKeyId() + "' now at version "
                    + now.masterKeyVersion() + " (was " + before + "); older versions keep unwrapping");
            out.println("copy " + s.values().get("path") + " to every node that uses keystore '" + name + "'");
        }
        return 0;
    }
}
