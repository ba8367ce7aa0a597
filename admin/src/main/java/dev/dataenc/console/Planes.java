package dev.dataenc.console;

import dev.dataenc.cli.AdminPlane;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.console.auth.Principal;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchProgress;

import java.nio.file.Path;

/**
 * Opens the control plane for one console request, the way the CLI opens it for one command
 * ({@link AdminPlane}): the configuration file is read again each time (a switch rewrites it), pages that only look open
 * it to look (nothing is created or changed), and whatever is done is recorded with the signed-in admin as the actor.
 */
public final class Planes {

    private final Path configFile;

    public Planes(Path configFile) {
        this.configFile = configFile;
    }

    /** The configuration file administered. */
    public Path file() {
        return configFile;
    }

    /** The configuration as the file says now. */
    public DataEncConfig config() {
        return ConfigLoader.load(configFile);
    }

    /** The control plane for a page or call that only looks. */
    public ControlPlane look(Principal who) {
        return AdminPlane.openAs(config(), who.actor(), SwitchProgress.NONE, true);
    }

    /** The control plane for an action by {@code who}. */
    public ControlPlane act(Principal who, DataEncConfig config, SwitchProgress progress) {
        return AdminPlane.openAs(config, who.actor(), progress, false);
    }
}
