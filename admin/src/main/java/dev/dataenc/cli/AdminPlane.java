package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.cluster.RegistryPresence;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.registry.RegistryDatabase;

/**
 * Opens the control plane the way every admin command does: as {@code dataenc-cli}, changing nothing on open. The web
 * console ({@code dataenc serve}) opens it the same way, acting as its signed-in admin ({@link #openAs}).
 */
public final class AdminPlane {

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

    /**
     * Opens the control plane for a command that works on what the registry holds ({@code encrypt}, {@code decrypt},
     * {@code destroy-cdk}, {@code switch --cancel}, {@code retire-cdks}, {@code remove-wrappings}, {@code migrate forget}): a registry that does not exist or was never initialised is refused as by {@link #openToLook},
     * creating nothing (opening it would create an empty registry only to fail on it).
     *
     * @throws dev.dataenc.control.cluster.RegistryNotInitializedException if so; nothing was created
     */
    static ControlPlane openInitialized(DataEncConfig config) {
        RegistryPresence.requireInitialized(config.registry());
        return open(config);
    }

    /**
     * Opens only the registry database, to look, for a command that needs no keystore ({@code audit}): no keystore is
     * opened, so one that cannot be opened is neither tried nor reported. A registry that does not exist or was never
     * initialised is refused as by {@link #openToLook}.
     *
     * @throws dev.dataenc.control.cluster.RegistryNotInitializedException if so; nothing was created
     */
    static RegistryDatabase openRegistryToLook(DataEncConfig config) {
        RegistryPresence.requireInitialized(config.registry());
        return RegistryDatabase.open(config.registry());
    }

    /**
     * As {@link #open(DataEncConfig, boolean)}, recording {@code actor} (e.g. {@code console:alice@127.0.0.1}) as who acts
     * in the audit trail and in switch jobs.
     *
     * @param onlyLooking whether nothing will be changed: a registry that was never initialised is then refused
     */
    public static ControlPlane openAs(DataEncConfig config, String actor, SwitchProgress progress, boolean onlyLooking) {
        if (onlyLooking) {
            RegistryPresence.requireInitialized(config.registry());
        }
        return ControlPlane.open(config, ControlPlane.Options.admin(TOOL).withProgress(progress).withActor(actor));
    }

    /** {@link #openToLook} when {@code onlyLooking}, else {@link #open}. */
    static ControlPlane open(DataEncConfig config, boolean onlyLooking) {
        return onlyLooking ? openToLook(config) : open(config);
    }
}
