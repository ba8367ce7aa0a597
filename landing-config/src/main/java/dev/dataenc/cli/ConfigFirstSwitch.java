package dev.dataenc.cli;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigFile;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs a keystore switch with the configuration file naming the target <em>before</em> the switch
 * job starts, so that if this process dies half way, any restart (of the command or of an
 * application reading the file) resumes toward the target instead of switching back. A switch the
 * guards refuse is refused before the file is touched; any other failure puts the file back.
 */
final class ConfigFirstSwitch {

    private ConfigFirstSwitch() {
    }

    /**
     * @param write  whether the file must change (it names another keystore or cipher type)
     * @param action the switch itself
     */
    static <T> T run(ControlPlane plane, Path file, boolean write, String target, CipherType targetType, Supplier<T> action)
            throws IOException {
        boolean refusedAnyway = plane.jobs().running().isEmpty()
                && !plane.jobs().state().orElseThrow().activeKeystore().equals(target)
                && !plane.planSwitch(target).allowed();
        byte[] original = null;
        if (write && !refusedAnyway) {
            original = Files.readAllBytes(file);
            ConfigFile.writeActiveKeystore(file, target, targetType);
        }
        try {
            return action.get();
        } catch (RuntimeException e) {
            if (original != null) {
                try {
                    restore(file, original);
                } catch (DataEncException r) {
                    throw new DataEncException(e.getMessage() + " The configuration file " + file + " still names '"
                            + target + "': putting it back failed: " + r.getMessage(), e);
                }
            }
            throw e;
        }
    }

    /** Through a symbolic link, atomically, keeping owner, group and mode (a failure leaves the switched file). */
    private static void restore(Path file, byte[] original) {
        ConfigFile.restore(file, original);
    }
}
