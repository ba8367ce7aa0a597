package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dataenc} admin command line: {@code status}, {@code switch}, {@code rotate-cdk},
 * {@code verify}, {@code audit}, {@code remove-wrappings}, {@code retire-cdks}, {@code destroy-cdk}, {@code migrate},
 * {@code cipher-transition}, the support commands {@code inspect}, {@code encrypt}, {@code decrypt} and
 * {@code cdk list}, {@code completion} and {@code demo}; {@code serve} runs the web console (its
 * {@code console hash-password} hashes an admin's password). Every command except {@code demo} and
 * {@code completion} reads the data-encryption configuration named by {@code --config} (default
 * {@code $DATAENC_CONFIG}, else {@code ./dataenc.properties}) and opens the control plane without
 * changing anything; only {@code switch}, {@code rotate-cdk}, {@code remove-wrappings},
 * {@code retire-cdks}, {@code destroy-cdk} and {@code migrate} (without {@code --dry-run}) change things, on purpose
 * ({@code encrypt} adds to a CDK's usage count, {@code decrypt} to the audit trail). The commands that report take
 * {@code --json}: one JSON document on standard output (schema in {@code docs/JSON.md}). Exit codes: 0 success,
 * 1 refused or failed (the reason is printed as {@code dataenc: <reason>}), 2 bad usage. Arguments are taken literally: picocli's {@code @file}
 * expansion is off.
 */
@Command(name = "dataenc", mixinStandardHelpOptions = true, version = "dataenc 0.1.0",
        description = "Field- and BLOB-level data encryption with pluggable keystores: admin commands.",
        subcommands = {StatusCommand.class, SwitchCommand.class, RotateCdkCommand.class, VerifyCommand.class,
                AuditCommand.class, RemoveWrappingsCommand.class, RetireCdksCommand.class, DestroyCdkCommand.class,
                MigrateCommand.class, CipherTransitionCommand.class, KeystoreCommand.class, PolicyCommand.class,
                RecordCheckValuesCommand.class, InspectCommand.class, EncryptCommand.class,
                DecryptCommand.class, CdkCommand.class, ServeCommand.class, ConsoleCommand.class, DemoCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class})
public final class DataencCli {

    /** Exit code when a dataenc operation failed or was refused. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage (unknown command or option, missing argument). */
    public static final int EXIT_USAGE = 2;

    private final boolean interactive;

    private DataencCli(boolean interactive) {
        this.interactive = interactive;
    }

    /** Whether output goes to a terminal (progress bars redraw in place) rather than a pipe or a test. */
    boolean interactive() {
        return interactive;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.console() != null,
                args));
    }

    /** Runs the CLI on standard output and error and returns its exit code (for embedding). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with the given output and error writers (not a terminal) and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, false, args);
    }

    static int run(PrintWriter out, PrintWriter err, boolean interactive, String... args) {
        return run(out, err, interactive, CommandLine.defaultFactory(), args);
    }

    /** Runs the CLI creating its commands with {@code factory} (the seam to give a command other collaborators). */
    static int run(PrintWriter out, PrintWriter err, boolean interactive, CommandLine.IFactory factory, String... args) {
        CommandLine cli = new CommandLine(new DataencCli(interactive), factory);
        // '@file' arguments stay literal (inspect's way to name a file): expanding them would read any file and echo
        // its lines in usage errors
        cli.setExpandAtFiles(false);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DataEncException d) {
                commandLine.getErr().println("dataenc: " + oneLine(d));
                commandLine.getErr().flush();
                return EXIT_FAILURE;
            }
            IOException io = e instanceof IOException i ? i
                    : e instanceof java.io.UncheckedIOException u ? u.getCause() : null;
            if (io != null) { // a file the command reads or writes: one line, as for every other failure
                commandLine.getErr().println("dataenc: " + ioLine(io).replaceAll("\\R\\s*", " "));
                commandLine.getErr().flush();
                return EXIT_FAILURE;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** One line for a failed read or write of a file: what failed, on which file, and why. */
    static String ioLine(IOException e) {
        if (e instanceof PrivateOutput.OutputFileException) {
            return e.getMessage();
        }
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return "cannot use " + f.getFile() + ": " + f.getReason();
        }
        return "input/output error: " + e.getMessage();
    }

    /**
     * The message on one line; a configuration with several problems keeps one line per problem,
     * since each names its own key.
     */
    static String oneLine(DataEncException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof DataEncConfigException c && c.problems().size() > 1) {
            return message;
        }
        return message.replaceAll("\\R\\s*", " ");
    }
}
