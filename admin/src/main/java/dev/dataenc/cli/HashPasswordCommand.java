package dev.dataenc.cli;

import dev.dataenc.console.auth.PasswordHash;
import dev.dataenc.error.DataEncException;

import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc console hash-password}: reads a password (from the terminal without echo, asked twice; otherwise one
 * line of standard input, at most {@value #MAX_LENGTH} characters) and prints its Argon2id hash for
 * {@code dataenc.console.admins.<name>.password-hash}.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Read a console admin's password (without echo, or one line of standard input) and print its"
                + " Argon2id hash for dataenc.console.admins.<name>.password-hash."})
final class HashPasswordCommand implements Callable<Integer> {

    /** The shortest password accepted. */
    static final int MIN_LENGTH = 12;
    /** The longest password accepted (and read of standard input before refusing: it may never end). */
    static final int MAX_LENGTH = 1024;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password = read();
        try {
            if (password.length < MIN_LENGTH) {
                throw new DataEncException("the password is shorter than " + MIN_LENGTH + " characters; choose a longer one");
            }
            if (password.length > MAX_LENGTH) {
                throw new DataEncException("the password is longer than " + MAX_LENGTH + " characters; choose a shorter"
                        + " one");
            }
            spec.commandLine().getOut().println(PasswordHash.hash(password));
            spec.commandLine().getOut().flush();
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }

    private static char[] read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("password: ");
            char[] second = console.readPassword("again: ");
            try {
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    throw new DataEncException("the two passwords differ; nothing printed");
                }
            } finally {
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
            }
            return first;
        }
        return firstLine(new InputStreamReader(CiphertextInput.stdin(), StandardCharsets.UTF_8));
    }

    /** The first line of {@code in} (ended by a line break or the end), read up to {@link #MAX_LENGTH} characters. */
    static char[] firstLine(Reader in) throws IOException {
        char[] line = new char[MAX_LENGTH + 1];
        int n = 0;
        int c = in.read();
        if (c < 0) {
            throw new DataEncException("no password on standard input; pipe one line, or run it in a terminal");
        }
        while (c >= 0 && c != '\n' && c != '\r') {
            if (n == MAX_LENGTH) {
                Arrays.fill(line, '\0');
                throw new DataEncException("the password on standard input is longer than " + MAX_LENGTH + " characters"
                        + " (or is not one line of text); give one line of " + MIN_LENGTH + " to " + MAX_LENGTH
                        + " characters");
            }
            line[n++] = (char) c;
            c = in.read();
        }
        char[] password = Arrays.copyOf(line, n);
        Arrays.fill(line, '\0');
        return password;
    }
}
