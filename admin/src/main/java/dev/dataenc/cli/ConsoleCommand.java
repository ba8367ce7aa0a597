package dev.dataenc.cli;

import picocli.CommandLine.Command;

/** {@code dataenc console ...}: helpers for the web console ({@code hash-password}). */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Web console helpers: hash-password.",
        subcommands = {HashPasswordCommand.class})
final class ConsoleCommand {
}
