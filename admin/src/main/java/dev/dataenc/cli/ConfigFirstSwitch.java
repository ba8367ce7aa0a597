package dev.dataenc.cli;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigFile;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchUnfinishedException;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs a keystore switch with the configuration file naming the target <em>before</em> the switch
 * job starts, so that if this process dies half way, any restart (of the command or of an
 * application reading the file) resumes toward the target instead of switching back. A switch the
 * guards refuse is refused before the file is touched. A failure before the switch job exists puts the
 * file back; once the job exists the file keeps naming the target whatever fails (putting it back would
 * make the next start finish the switch and then switch back), and the error says how to resume.
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
        } catch (SwitchUnfinishedException e) {
            throw original == null ? e : new DataEncException(e.getMessage() + " " + file + " keeps naming '" + target
                    + "'.", e);
        } catch (RuntimeException e) {
            if (original != null) {
                String started = jobToward(plane, target);
                if (started != null) {
                    throw new DataEncException(e.getMessage() + "; the switch to '" + target + "' " + started + ", so "
                            + file + " keeps naming '" + target + "': resume it with 'dataenc switch " + target + "'", e);
                }
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

    /**
     * How far a switch to {@code target} got if it may exist ("has started", or "may have started" when the
     * registry cannot be read), or null if it certainly does not.
     */
    private static String jobToward(ControlPlane plane, String target) {
        try {
            return plane.jobs().running().filter(j -> j.target().equals(target)).map(j -> "has started").orElse(null);
        } catch (RuntimeException unknown) {
            return "may have started (the registry cannot be read)"; // keeping the file is safe; restoring under a job is not
        }
    }

    /** Through a symbolic link, atomically, keeping owner, group and mode (a failure leaves the switched file). */
    private static void restore(Path file, byte[] original) {
        ConfigFile.restore(file, original);
    }
}
