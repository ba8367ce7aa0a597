package dev.dataenc.registry;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which JDBC URLs may name the CDK registry. Whoever controls the URL must not be able to run code
 * in the process that holds the data keys, so only two schemes are accepted and their options are
 * checked:
 * <ul>
 *   <li>{@code jdbc:h2:file:<path>} (embedded H2) with options from a short allow-list
 *       ({@link #H2_OPTIONS}); {@code INIT} (runs SQL, and through {@code RUNSCRIPT} or
 *       {@code CREATE ALIAS} Java code, on every connection), {@code AUTO_SERVER} (opens a TCP
 *       port), {@code FILE_LOCK}, trace files and every other H2 option are refused. Option values
 *       are plain words ({@code [A-Za-z0-9_.-]}), since H2 runs most options as SQL {@code SET}
 *       statements. {@code jdbc:h2:mem:} is refused: an in-memory registry loses every CDK when the
 *       process ends. Other H2 forms ({@code tcp:}, {@code ssl:}, {@code zip:}, an implicit path) are
 *       refused, and so are H2's special file systems after {@code file:} ({@code memFS:},
 *       {@code zip:}, {@code split:}...); write {@code jdbc:h2:file:<plain path>}.</li>
 *   <li>{@code jdbc:postgresql:} with any option except those that load a Java class or read
 *       settings from elsewhere ({@link #POSTGRESQL_REFUSED}); option names are URL-decoded and
 *       compared ignoring case.</li>
 * </ul>
 */
public final class RegistryUrlPolicy {

    /** The H2 options a registry URL may carry (upper case). */
    public static final Set<String> H2_OPTIONS = Set.of("USER", "PASSWORD", "CIPHER", "WRITE_DELAY", "DB_CLOSE_DELAY",
            "DB_CLOSE_ON_EXIT", "LOCK_TIMEOUT", "DEFAULT_LOCK_TIMEOUT", "CACHE_SIZE", "MAX_COMPACT_TIME", "RETENTION_TIME");

    /** PostgreSQL (pgjdbc) options refused in a registry URL (lower case), with the reason. */
    public static final Map<String, String> POSTGRESQL_REFUSED = Map.ofEntries(
            Map.entry("socketfactory", "it loads a Java class"),
            Map.entry("socketfactoryarg", "it is an argument for a socket factory class"),
            Map.entry("sslfactory", "it loads a Java class"),
            Map.entry("sslfactoryarg", "it is an argument for an SSL factory class"),
            Map.entry("sslhostnameverifier", "it loads a Java class"),
            Map.entry("sslpasswordcallback", "it loads a Java class"),
            Map.entry("authenticationpluginclassname", "it loads a Java class"),
            Map.entry("xmlfactoryfactory", "it loads a Java class"),
            Map.entry("loggerfile", "it writes the driver's log to a file"),
            Map.entry("loggerlevel", "it turns on the driver's logging"),
            Map.entry("service", "it reads connection settings, class names included, from a pg_service.conf file"));

    private static final Map<String, String> H2_REFUSED = Map.ofEntries(
            Map.entry("INIT", "it runs SQL on every connection (RUNSCRIPT, or Java code through CREATE ALIAS)"),
            Map.entry("RUNSCRIPT", "it runs an SQL script"),
            Map.entry("AUTO_SERVER", "it opens a TCP port through which other processes reach the registry"),
            Map.entry("AUTO_SERVER_PORT", "it opens a TCP port through which other processes reach the registry"),
            Map.entry("FILE_LOCK", "without H2's file lock two processes can corrupt the registry"),
            Map.entry("TRACE_LEVEL_FILE", "it writes SQL to a trace file outside dataenc's file permission rules"),
            Map.entry("TRACE_LEVEL_SYSTEM_OUT", "it prints SQL to standard output"),
            Map.entry("DATABASE_EVENT_LISTENER", "it loads a Java class"),
            Map.entry("JAVA_OBJECT_SERIALIZER", "it loads a Java class"),
            Map.entry("IFEXISTS", "dataenc decides when a registry may be created"),
            Map.entry("FORBID_CREATION", "dataenc decides when a registry may be created"),
            Map.entry("IGNORE_UNKNOWN_SETTINGS", "it hides mistyped options"));

    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String USE = "use jdbc:h2:file:<path> (one process) or jdbc:postgresql://<host>:<port>/<db>"
            + " (several nodes)";

    private RegistryUrlPolicy() {
    }

    /**
     * @param url the registry's JDBC URL
     * @throws UnsafeRegistryUrlException naming the refused scheme or option (never the password)
     */
    public static void check(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            checkPostgresql(url);
        } else if (lower.startsWith("jdbc:h2:file:")) {
            checkH2(url);
        } else if (lower.startsWith("jdbc:h2:mem:")) {
            throw new UnsafeRegistryUrlException("jdbc:h2:mem:", "The registry URL uses jdbc:h2:mem:, an in-memory"
                    + " database: every CDK would be lost when the process ends, and with it all data encrypted"
                    + " meanwhile; " + USE + ".");
        } else {
            String scheme = scheme(url);
            throw new UnsafeRegistryUrlException(scheme, "The registry URL's scheme '" + scheme + "' is not supported; "
                    + USE + ".");
        }
    }

    private static void checkH2(String url) {
        if (url.toUpperCase(Locale.ROOT).contains("RUNSCRIPT")) {
            throw refusedH2("RUNSCRIPT");
        }
        String[] parts = url.split(";", -1);
        if (parts[0].length() <= "jdbc:h2:file:".length()) {
            throw new UnsafeRegistryUrlException("jdbc:h2:file:", "The registry URL names no H2 file; write"
                    + " jdbc:h2:file:<path>, e.g. jdbc:h2:file:/var/lib/dataenc/registry.");
        }
        String path = parts[0].substring("jdbc:h2:file:".length());
        java.util.regex.Matcher fs = Pattern.compile("^([A-Za-z][A-Za-z0-9]+):").matcher(path);
        if (fs.find()) {
            throw new UnsafeRegistryUrlException(fs.group(1) + ":", "The registry URL's H2 path uses the file system '"
                    + fs.group(1) + ":' (in memory, zipped, split or another special one); write a plain path,"
                    + " jdbc:h2:file:/var/lib/dataenc/registry.");
        }
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim();
            String key = name.toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            if (H2_REFUSED.containsKey(key)) {
                throw refusedH2(name);
            }
            if (!H2_OPTIONS.contains(key)) {
                throw new UnsafeRegistryUrlException(name, "The registry URL's H2 option '" + name + "' is not allowed;"
                        + " allowed H2 options: " + String.join(", ", List.copyOf(new java.util.TreeSet<>(H2_OPTIONS)))
                        + ". Remove it.");
            }
            boolean secret = key.equals("PASSWORD") || key.equals("USER");
            if (eq < 0 || (secret ? value.contains("\\") : !PLAIN_VALUE.matcher(value).matches())) {
                throw new UnsafeRegistryUrlException(name, "The registry URL's H2 option '" + name + "' needs a plain"
                        + " value (letters, digits, '_', '.', '-'" + (secret ? ", no '\\'" : "") + "), written "
                        + name + "=<value>.");
            }
        }
    }

    private static UnsafeRegistryUrlException refusedH2(String name) {
        String reason = H2_REFUSED.get(name.toUpperCase(Locale.ROOT));
        return new UnsafeRegistryUrlException(name, "The registry URL's H2 option '" + name + "' is refused: " + reason
                + ". Remove it from dataenc.registry.url.");
    }

    private static void checkPostgresql(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return;
        }
        for (String param : url.substring(q + 1).split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String raw = eq < 0 ? param : param.substring(0, eq);
            String name;
            try {
                name = URLDecoder.decode(raw, StandardCharsets.UTF_8).trim();
            } catch (IllegalArgumentException e) {
                throw new UnsafeRegistryUrlException(raw, "The registry URL's PostgreSQL option '" + raw
                        + "' is not validly URL-encoded; fix its %-escapes.");
            }
            String reason = POSTGRESQL_REFUSED.get(name.toLowerCase(Locale.ROOT));
            if (reason != null) {
                throw new UnsafeRegistryUrlException(name, "The registry URL's PostgreSQL option '" + name
                        + "' is refused: " + reason + ". Remove it from dataenc.registry.url.");
            }
        }
    }

    /** {@code jdbc:<sub>:} (and a second level for H2), or a short prefix, for messages. */
    private static String scheme(String url) {
        String[] p = url.split(":", 4);
        if (p.length >= 3 && p[0].equalsIgnoreCase("jdbc") && p[1].equalsIgnoreCase("h2")) {
            return "jdbc:h2:" + (p[2].matches("[A-Za-z]+") && p.length > 3 ? p[2] + ":" : "");
        }
        if (p.length >= 2 && p[0].equalsIgnoreCase("jdbc") && p[1].matches("[A-Za-z0-9]+")) {
            return "jdbc:" + p[1] + ":";
        }
        return "(not a JDBC URL)";
    }
}
