package dev.dataenc.cli;

import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncConfigException;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * The {@code --config <file>} option every admin command shares (a picocli mixin). Without it the
 * file named by {@code $DATAENC_CONFIG} is used, else {@code ./dataenc.properties}.
 */
public final class ConfigOption {

    /** Environment variable naming the configuration file when {@code --config} is not given. */
    public static final String ENV = "DATAENC_CONFIG";
    /** The file used when neither {@code --config} nor {@code $DATAENC_CONFIG} is given. */
    public static final String DEFAULT_FILE = "dataenc.properties";

    @Option(names = "--config", paramLabel = "<file>",
            description = "The data-encryption configuration (default: $" + ENV + ", else ./" + DEFAULT_FILE + ").")
    private Path file;

    /** The configuration file to use (absolute). */
    public Path path() {
        if (file != null) {
            return file.toAbsolutePath();
        }
        String env = System.getenv(ENV);
        return Path.of(env == null || env.isBlank() ? DEFAULT_FILE : env).toAbsolutePath();
    }

    /**
     * Loads and validates the configuration file.
     *
     * @throws DataEncConfigException naming the file when it does not exist, or every problem in it
     */
    public DataEncConfig load() {
        Path p = path();
        if (!Files.exists(p) && Files.isSymbolicLink(p)) {
            throw new DataEncConfigException(null, "the data-encryption configuration " + p + " is a symbolic link that"
                    + " leads nowhere (its target is missing, or the links form a loop); point it at the file or pass"
                    + " --config <file>");
        }
        if (!Files.exists(p)) {
            throw new DataEncConfigException(null, "no data-encryption configuration at " + p + ": pass --config <file>"
                    + " or set $" + ENV + "; to create one, copy the example in docs/CONFIGURATION.md"
                    + " (or run 'dataenc demo', which writes a working one to dataenc-work/" + DEFAULT_FILE + ")");
        }
        return ConfigLoader.load(p);
    }
}
