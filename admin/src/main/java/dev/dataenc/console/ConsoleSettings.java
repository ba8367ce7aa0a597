package dev.dataenc.console;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.config.DataEncConfigException.Problem;
import dev.dataenc.console.auth.PasswordHash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How {@code dataenc serve} runs: where it listens, its TLS certificate, and who may sign in (the
 * {@code dataenc.console.*} keys of the configuration file).
 *
 * @param configFile  the data-encryption configuration the console administers
 * @param bind        the address to listen on
 * @param port        the port (0: any free one)
 * @param tls         the PKCS#12 certificate to serve HTTPS with, or empty for plain HTTP (loopback only)
 * @param admins      admin name to its Argon2id hash ({@link PasswordHash}) at start (the console reads them again
 *                    at every sign-in and every request of a session: {@link #readAdmins})
 * @param token       the bearer token for scripts, or empty when none is configured
 * @param tokenEnv    the environment variable the token was read from, or null
 * @param idleTimeout how long an idle session stays signed in
 */
public record ConsoleSettings(Path configFile, InetAddress bind, int port, Optional<Tls> tls, Map<String, String> admins,
                              Optional<String> token, String tokenEnv, Duration idleTimeout) {

    /** Prefix of the admin accounts: {@code dataenc.console.admins.<name>.password-hash}. */
    public static final String ADMINS_PREFIX = ConfigLoader.CONSOLE_PREFIX + "admins.";
    /** Names the environment variable holding the bearer token for scripts. */
    public static final String TOKEN_ENV = ConfigLoader.CONSOLE_PREFIX + "token-env";
    /** Minutes an idle session stays signed in (default 15). */
    public static final String IDLE_MINUTES = ConfigLoader.CONSOLE_PREFIX + "session-idle-minutes";

    /** How long after its sign-in a session ends however busy it is, unless the idle timeout is longer. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);

    private static final Pattern ADMIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The shortest bearer token accepted (characters). */
    static final int MIN_TOKEN_LENGTH = 32;

    /**
     * The PKCS#12 certificate and its password (never rendered, never logged).
     *
     * @param keystore the PKCS#12 file with the server's key and certificate
     * @param password its password
     */
    public record Tls(Path keystore, String password) {
        @Override
        public String toString() {
            return "Tls[" + keystore + "]";
        }
    }

    public ConsoleSettings {
        admins = Map.copyOf(admins);
    }

    /**
     * How long after its sign-in a session ends, however busy it is (a page that reloads itself keeps it from ever
     * being idle): {@link #SESSION_LIFETIME}, or the idle timeout if that is longer.
     */
    public Duration sessionLifetime() {
        return idleTimeout.compareTo(SESSION_LIFETIME) > 0 ? idleTimeout : SESSION_LIFETIME;
    }

    /** Whether the console serves HTTPS. */
    public boolean secure() {
        return tls.isPresent();
    }

    @Override
    public String toString() {
        return "ConsoleSettings[" + bind.getHostAddress() + ":" + port + ", tls=" + tls.isPresent() + ", admins="
                + new TreeMap<>(admins).keySet() + ", token=" + (token.isPresent() ? "$" + tokenEnv : "none") + "]";
    }

    /**
     * Reads the console keys of {@code configFile}.
     *
     * @param env looks up environment variables (the token's)
     * @throws DataEncConfigException naming every bad key; nothing is started
     */
    public static ConsoleSettings read(Path configFile, InetAddress bind, int port, Optional<Tls> tls,
                                       Function<String, String> env) {
        Properties p = load(configFile);
        List<Problem> problems = new ArrayList<>();
        Map<String, String> admins = admins(p, problems);
        Optional<String> token = Optional.empty();
        String tokenEnv = p.getProperty(TOKEN_ENV, "").trim();
        if (!tokenEnv.isEmpty()) {
            String value = env.apply(tokenEnv);
            if (value == null || value.isBlank()) {
                problems.add(new Problem(TOKEN_ENV, "names $" + tokenEnv + ", which is not set; set it or remove the key"));
            } else if (value.strip().length() < MIN_TOKEN_LENGTH) {
                problems.add(new Problem(TOKEN_ENV, "$" + tokenEnv + " is shorter than " + MIN_TOKEN_LENGTH
                        + " characters; use a random one (e.g. openssl rand -hex 32)"));
            } else {
                token = Optional.of(value.strip());
            }
        }
        Duration idle = Duration.ofMinutes(15);
        String minutes = p.getProperty(IDLE_MINUTES, "").trim();
        if (!minutes.isEmpty()) {
            try {
                idle = Duration.ofMinutes(Integer.parseInt(minutes));
                if (idle.toMinutes() < 1 || idle.toMinutes() > 24 * 60) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(new Problem(IDLE_MINUTES, "must be a whole number of minutes from 1 to 1440, was '"
                        + minutes + "'"));
            }
        }
        if (admins.isEmpty() && token.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(ADMINS_PREFIX + "<name>.password-hash", "no admin can sign in: add an account (hash"
                    + " its password with: dataenc console hash-password) or " + TOKEN_ENV));
        }
        if (!problems.isEmpty()) {
            throw DataEncConfigException.of(configFile, problems);
        }
        return new ConsoleSettings(configFile, bind, port, tls, admins, token, tokenEnv.isEmpty() ? null : tokenEnv, idle);
    }

    /**
     * The admin accounts as {@code configFile} says now (the console reads them at every sign-in and every request of a
     * session). A key that is not well-formed is left out: it is no account (and {@link #read} refuses it at the next
     * start).
     *
     * @throws UncheckedIOException if the file cannot be read, saying why in one line
     */
    public static Map<String, String> readAdmins(Path configFile) {
        return admins(load(configFile), new ArrayList<>());
    }

    private static Properties load(Path configFile) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(configFile)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) { // a malformed unicode escape
            throw new UncheckedIOException("cannot read " + configFile + ": " + e.getMessage(), new IOException(e));
        }
        return p;
    }

    /** The admin accounts among the console keys of {@code p}; every other console key but the known ones is a problem. */
    private static Map<String, String> admins(Properties p, List<Problem> problems) {
        Map<String, String> admins = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith(ConfigLoader.CONSOLE_PREFIX) || key.equals(TOKEN_ENV) || key.equals(IDLE_MINUTES)) {
                continue;
            }
            String rest = key.startsWith(ADMINS_PREFIX) ? key.substring(ADMINS_PREFIX.length()) : "";
            String name = rest.endsWith(".password-hash") ? rest.substring(0, rest.length() - ".password-hash".length()) : "";
            if (!ADMIN_NAME.matcher(name).matches()) {
                problems.add(new Problem(key, "unknown console key; use " + ADMINS_PREFIX + "<name>.password-hash (name: "
                        + "letters, digits, '.', '_', '-'), " + TOKEN_ENV + " or " + IDLE_MINUTES));
                continue;
            }
            String hash = p.getProperty(key).trim();
            if (!PasswordHash.isWellFormed(hash)) {
                problems.add(new Problem(key, "is not an Argon2id hash; make one with: dataenc console hash-password"));
                continue;
            }
            admins.put(name, hash);
        }
        return admins;
    }
}
