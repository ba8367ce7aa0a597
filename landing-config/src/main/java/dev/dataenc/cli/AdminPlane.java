package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
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
}
