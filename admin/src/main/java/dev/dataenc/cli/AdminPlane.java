package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.cluster.RegistryPresence;
import dev.dataenc.control.keyswitch.SwitchProgress;

/** Opens the control plane the way every admin command does: as {@code dataenc-cli}, changing nothing on open. */
final class AdminPlane {

    /** The actor name admin commands record in the audit trail. */
    static final String TOOL = "dataenc-cli";

    private AdminPlane() {
    }

    static ControlPlane open(DataEncConfig config) {
        return open(config, SwitchProgress.NONE);
    }

    static ControlPlane open(DataEncConfig config, SwitchProgress progress) {
        return ControlPlane.open(config, ControlPlane.Options.admin(TOOL).withProgress(progress));
    }

    /**
     * Opens the control plane for a command that only looks (status, verify, audit, lists, dry runs): a registry that
     * does not exist or was never initialised is refused before anything is created.
     *
     * @throws dev.dataenc.control.cluster.RegistryNotInitializedException if so; nothing was created
     */
    static ControlPlane openToLook(DataEncConfig config) {
        return openToLook(config, SwitchProgress.NONE);
    }

    static ControlPlane openToLook(DataEncConfig config, SwitchProgress progress) {
        RegistryPresence.requireInitialized(config.registry());
        return open(config, progress);
    }

    /** {@link #openToLook} when {@code onlyLooking}, else {@link #open}. */
    static ControlPlane open(DataEncConfig config, boolean onlyLooking) {
        return onlyLooking ? openToLook(config) : open(config);
    }
}
