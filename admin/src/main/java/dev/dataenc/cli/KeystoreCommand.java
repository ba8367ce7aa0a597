package dev.dataenc.cli;

import picocli.CommandLine.Command;

/**
 * {@code dataenc keystore create|rotate-master-key|disable|enable <name>}: administer the master keys of
 * {@code local} keystores. Each change is recorded in the audit trail; opening a keystore never creates one.
 */
@Command(name = "keystore", mixinStandardHelpOptions = true,
        description = "Create a local keystore's master key, rotate it, disable or enable it.",
        subcommands = {KeystoreCreateCommand.class, KeystoreRotateMasterKeyCommand.class, KeystoreDisableCommand.class,
                KeystoreEnableCommand.class})
final class KeystoreCommand {
}
