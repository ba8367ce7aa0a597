package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.keystore.KeystoreSettings;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The shape of the {@code dataenc keystore ...} commands: one {@code local} keystore named in the configuration
 * (an unknown name is a usage error, another type is refused), then the command's own work.
 */
abstract class LocalKeystoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "<name>", description = "The local keystore, as named in the configuration.")
    String name;

    @Override
    public final Integer call() {
        DataEncConfig c = config.load();
        KeystoreSettings s = KeystoreAdminSupport.settings(spec, c, name);
        requireType(s);
        return run(spec.commandLine().getOut(), c, s);
    }

    /** Refuses a keystore whose master key this command does not administer: by default every type but local. */
    void requireType(KeystoreSettings s) {
        KeystoreAdminSupport.requireLocal(s);
    }

    /** The command's work on keystore {@link #name}, whose settings are {@code settings}; returns the exit code. */
    abstract int run(PrintWriter out, DataEncConfig config, KeystoreSettings settings);
}
