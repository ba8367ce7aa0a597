package dev.dataenc.config;

import dev.dataenc.error.DataEncException;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The data-encryption configuration is unreadable or invalid. The message names the file, the
 * bad key and what would be valid. When a file has several problems, one exception lists them
 * all, one line each ({@link #problems()}).
 */
public class DataEncConfigException extends DataEncException {

    private final String key;
    private final List<Problem> problems;

    /**
     * @param key     the configuration key at fault, or {@code null} when the file as a whole is
     * @param message what is wrong and what would be valid
     */
    public DataEncConfigException(String key, String message) {
        super(message);
        this.key = key;
        this.problems = List.of(new Problem(key, message));
    }

    /**
     * @param key     the configuration key at fault, or {@code null} when the file as a whole is
     * @param message what is wrong and what would be valid
     * @param cause   the underlying failure
     */
    public DataEncConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.problems = List.of(new Problem(key, message));
    }

    private DataEncConfigException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
        this.key = this.problems.get(0).key();
    }

    /**
     * One exception listing every problem found in a file: a header line naming the file and the
     * number of problems, then one line per problem, {@code <file name>: <key>: <what is wrong and what is valid>}.
     *
     * @param file     the configuration file
     * @param problems at least one problem
     * @return the exception (not thrown)
     */
    public static DataEncConfigException of(Path file, List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        String fileName = file == null ? "configuration" : String.valueOf(file.getFileName());
        StringBuilder sb = new StringBuilder("Invalid data-encryption configuration ")
                .append(file == null ? "" : file.toAbsolutePath() + " ")
                .append('(').append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append("):");
        for (Problem p : problems) {
            sb.append(System.lineSeparator()).append("  ").append(fileName).append(": ").append(p);
        }
        return new DataEncConfigException(sb.toString(), problems);
    }

    /** The configuration key at fault (the first one when there are several), or {@code null}. */
    public String key() {
        return key;
    }

    /** Every problem (in file order, missing keys last); one for exceptions made with a single key and message. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * One problem in a configuration file.
     *
     * @param key     the key at fault, or {@code null} when the file as a whole is
     * @param message what is wrong and what would be valid (never a secret value)
     */
    public record Problem(String key, String message) {

        /** @throws NullPointerException if {@code message} is null */
        public Problem {
            Objects.requireNonNull(message, "message");
        }

        /** {@code key: message}, or just the message when there is no key. */
        @Override
        public String toString() {
            return key == null ? message : key + ": " + message;
        }
    }
}
