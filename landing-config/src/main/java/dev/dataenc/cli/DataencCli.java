package dev.dataenc.cli;

import dev.dataenc.error.DataEncException;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dataenc} admin command line. Exit codes: 0 success, 1 a dataenc error (the
 * one-line reason is printed), 2 bad usage.
 */
@Command(name = "dataenc", mixinStandardHelpOptions = true, version = "dataenc 0.1.0",
        description = "Field- and BLOB-level data encryption with pluggable keystores: admin commands.",
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class DataencCli {

    /** Exit code when a dataenc operation failed or was refused. */
    public static final int EXIT_FAILURE = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with the given output and error writers and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new DataencCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DataEncException) {
                commandLine.getErr().println("dataenc: " + e.getMessage());
                return EXIT_FAILURE;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
