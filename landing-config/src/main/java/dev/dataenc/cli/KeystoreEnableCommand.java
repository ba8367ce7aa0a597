package dev.dataenc.cli;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.registry.RegistryDatabase;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataenc keystore enable <name>}: enables a disabled {@code local} master key again. */
@Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled local master key again.")
final class KeystoreEnableCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(index = "0", paramLabel = "<name>", description = "The local keystore, as named in the configuration.")
    private String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataEncConfig c = config.load();
        KeystoreSettings s = KeystoreAdminSupport.settings(spec, c, name);
        KeystoreAdminSupport.requireLocal(s);
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
