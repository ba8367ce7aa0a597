package dev.dataenc.config;

/**
 * Told by a {@link ConfigWatcher} when the configuration file changed. Called on the watcher's
 * thread, one call at a time; an exception thrown here is logged and does not stop the watcher.
 */
public interface ConfigListener {

    /**
     * The file changed and is valid.
     *
     * @param config the new configuration
     */
    void configChanged(DataEncConfig config);

    /**
     * The file changed (or disappeared) and is invalid; the previous configuration stays in force.
     *
     * @param problem every problem found, with the file and the keys at fault
     */
    void configRejected(DataEncConfigException problem);
}
