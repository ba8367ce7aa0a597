package dev.dataenc.cli;

import dev.dataenc.audit.AuditText;
import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

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
 * 1 refused or failed (the reason is printed as {@code dataenc: <reason>}), 2 bad usage (one line
 * {@code dataenc: <problem>; see 'dataenc <command> --help'}, never picocli's usage help; see {@link #usageLine}).
 * Arguments are taken literally: picocli's {@code @file} expansion is off.
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
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine() == null ? cli : e.getCommandLine();
            command.getErr().println("dataenc: " + usageLine(e, command));
            command.getErr().flush();
            return EXIT_USAGE;
        });
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

    /** The longest argument a usage error shows; a longer one is cut, ending in "...". */
    private static final int MAX_ARGUMENT_SHOWN = 200;
    /** The most unmatched arguments a usage error shows. */
    private static final int MAX_ARGUMENTS_SHOWN = 3;

    /**
     * A usage error (picocli's, or a command's own {@link CommandLine.ParameterException}) as one line: the problem,
     * with picocli's suggestions, then where help is ({@code ; see 'dataenc switch --help'}). Unmatched arguments of a
     * command that takes a password or a value are not shown (they may be part of it); any other argument shown is
     * shortened and has its control characters escaped.
     */
    static String usageLine(CommandLine.ParameterException e, CommandLine command) {
        Object user = command.getCommandSpec().userObject();
        CommandLine helpOf = user instanceof CommandLine.HelpCommand && command.getParent() != null
                ? command.getParent() : command;
        String problem;
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            problem = unmatched(u, command, user);
        } else {
            String message = String.valueOf(e.getMessage()).strip();
            String value = e.getValue();
            if (value != null && value.length() > MAX_ARGUMENT_SHOWN) {
                message = message.replace(value, value.substring(0, MAX_ARGUMENT_SHOWN) + "...");
            }
            problem = printable(lowerFirst(message));
        }
        if (problem.endsWith(".")) {
            problem = problem.substring(0, problem.length() - 1);
        }
        return problem + "; see '" + helpOf.getCommandSpec().qualifiedName() + " --help'";
    }

    private static String unmatched(CommandLine.UnmatchedArgumentException u, CommandLine command, Object user) {
        List<String> args = u.getUnmatched();
        if (user instanceof HashPasswordCommand || user instanceof EncryptCommand) {
            // a password or a value (or words of one) typed as arguments: only option names are shown
            List<String> options = args.stream().filter(a -> a.matches("--?[A-Za-z][A-Za-z0-9-]*(=.*)?"))
                    .map(a -> a.replaceFirst("=.*", "=...")).toList();
            int hidden = args.size() - options.size();
            String line = options.isEmpty() ? "" : (options.size() == 1 ? "unknown option: " : "unknown options: ")
                    + options.stream().limit(MAX_ARGUMENTS_SHOWN).map(o -> "'" + shortened(o) + "'")
                    .collect(Collectors.joining(", "));
            if (hidden == 0) {
                return line;
            }
            String why = user instanceof HashPasswordCommand
                    ? "hash-password takes no arguments (" + hidden + " given, not shown: never put a password on the"
                    + " command line); it asks for the password without echo, or reads one line of standard input"
                    : "encrypt takes one value, and " + hidden + " more argument(s) were given (not shown: they may be"
                    + " part of the value); quote a value that has spaces, or better, pipe it on standard input";
            return line.isEmpty() ? why : line + "; " + why;
        }
        String shown = args.stream().limit(MAX_ARGUMENTS_SHOWN).map(a -> "'" + shortened(a) + "'")
                .collect(Collectors.joining(", ")) + (args.size() > MAX_ARGUMENTS_SHOWN ? ", ..." : "");
        boolean namesACommand = !u.isUnknownOption() && !command.getSubcommands().isEmpty();
        StringBuilder line = new StringBuilder(u.isUnknownOption()
                ? (args.size() == 1 ? "unknown option: " : "unknown options: ")
                : namesACommand ? (args.size() == 1 ? "unknown command: " : "unknown command and arguments: ")
                : (args.size() == 1 ? "unexpected argument: " : "unexpected arguments: ")).append(shown);
        // picocli suggests the most similar names even when none is close; keep those with the same first letter
        char first = Character.toLowerCase(args.get(0).replaceFirst("^-+", "").concat(" ").charAt(0));
        List<String> suggestions = u.getSuggestions().stream()
                .filter(s -> Character.toLowerCase(s.replaceFirst("^-+", "").concat(" ").charAt(0)) == first).toList();
        if (!suggestions.isEmpty()) {
            line.append(" (did you mean: ").append(suggestions.stream().limit(MAX_ARGUMENTS_SHOWN)
                    .map(DataencCli::printable).collect(Collectors.joining(" or "))).append("?)");
        }
        if (command.getParent() == null && args.stream().anyMatch(a -> a.startsWith("-") && isSubcommandOption(command,
                a))) {
            line.append("; options go after the command, e.g. 'dataenc status --config <file>'");
        }
        return line.toString();
    }

    /** Whether {@code arg} ({@code --name} or {@code --name=value}) is an option of one of the subcommands. */
    private static boolean isSubcommandOption(CommandLine top, String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        return top.getSubcommands().values().stream().anyMatch(c -> c.getCommandSpec().findOption(name) != null);
    }

    private static String shortened(String arg) {
        String s = arg.length() > MAX_ARGUMENT_SHOWN ? arg.substring(0, MAX_ARGUMENT_SHOWN) + "..." : arg;
        return printable(s);
    }

    /**
     * {@code s} on one line, safe for a terminal: line breaks, other control characters and bidirectional overrides
     * escaped as the audit trail escapes them ({@link AuditText#escape}: backslash-n, backslash-u001B; a backslash
     * doubled).
     */
    static String printable(String s) {
        return AuditText.escape(s);
    }

    /** picocli's "Unknown option" as "unknown option", like every other dataenc line; "CDK ..." stays as it is. */
    private static String lowerFirst(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
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
