package dev.dataenc.cli;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigFile;
import dev.dataenc.config.ConfigFileLock;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchOutcome;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.keystore.Wrapping;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A keystore switch as {@code dataenc switch <keystore>} and the web console run it: the target must be configured, a
 * change of cipher type must be confirmed naming the target's type, and the configuration file names the target before
 * the switch job starts ({@link ConfigFirstSwitch}). The guards run inside {@link ControlPlane#switchKeystore}; a
 * refusal changes nothing. The whole action holds the file's {@link ConfigFileLock}: a second switch (CLI or console)
 * while one runs is refused at once instead of interleaving its writes of the file with this one's.
 */
public final class SwitchAction {

    /**
     * What a switch did.
     *
     * @param outcome    the control plane's outcome
     * @param written    whether the configuration file was changed to name the target
     * @param targetType the target keystore's cipher type
     */
    public record Result(SwitchOutcome outcome, boolean written, CipherType targetType) {
    }

    private SwitchAction() {
    }

    /**
     * The target's settings.
     *
     * @throws DataEncException naming the configured keystores if {@code target} is not one of them
     */
    public static KeystoreSettings requireConfigured(DataEncConfig cfg, Path file, String target) {
        KeystoreSettings settings = cfg.keystores().get(target);
        if (settings == null) {
            throw new DataEncException("keystore '" + target + "' is not configured in " + file + " (configured: "
                    + String.join(", ", cfg.keystores().keySet()) + "); add dataenc.keystores." + target
                    + ".type and its settings first (docs/CONFIGURATION.md)");
        }
        return settings;
    }

    /** The cipher type of configured keystore {@code target}. */
    public static CipherType targetType(DataEncConfig cfg, Path file, String target) {
        return CipherType.ofKeystoreType(requireConfigured(cfg, file, target).type());
    }

    /**
     * Runs the switch to {@code target} on {@code plane} (opened to change things), writing {@code file} first.
     *
     * @param confirmed the cipher type the admin confirmed, needed when the switch changes it
     * @throws DataEncException if refused (nothing changed) or if it failed (the message says how to resume)
     */
    public static Result run(ControlPlane plane, Path file, DataEncConfig cfg, String target,
                             Optional<CipherType> confirmed) throws IOException {
        try (ConfigFileLock ignored = ConfigFileLock.tryAcquire(file)
                .orElseThrow(() -> new SwitchRefusedException("switch to '" + target + "' refused: "
                        + ConfigFileLock.busy(file)))) {
            return runLocked(plane, file, cfg, target, confirmed);
        }
    }

    private static Result runLocked(ControlPlane plane, Path file, DataEncConfig cfg, String target,
                                    Optional<CipherType> confirmed) throws IOException {
        CipherType targetType = targetType(cfg, file, target);
        CipherType current = plane.jobs().state().orElseThrow().cipherType();
        if (confirmed.isPresent() && confirmed.get() != targetType) {
            throw new DataEncException("--cipher-type " + confirmed.get() + " does not match keystore '" + target
                    + "' of type '" + cfg.keystores().get(target).type() + "', whose cipher type is " + targetType);
        }
        if (current != targetType && confirmed.isEmpty()) {
            throw new DataEncException("switching to '" + target + "' changes the cipher type " + current + " -> "
                    + targetType + "; pass --cipher-type " + targetType + " to confirm (try --dry-run first)");
        }
        boolean written = !target.equals(cfg.activeKeystore()) || cfg.cipherType() != targetType;
        SwitchOutcome outcome = ConfigFirstSwitch.run(plane, file, written, target, targetType,
                () -> plane.switchKeystore(target));
        // The file was written before the job; something other than a dataenc admin action (which all hold the file's
        // ConfigFileLock) may have written it since, e.g. an editor or a configuration-management run. Once the registry's active keystore is the
        // target, the file is made to say so again, so that it does not end disagreeing with the registry.
        if (target.equals(plane.jobs().state().orElseThrow().activeKeystore()) && !names(file, target, targetType)) {
            ConfigFile.writeActiveKeystore(file, target, targetType);
            written = true;
        }
        return new Result(outcome, written, targetType);
    }

    /** Whether {@code file} names {@code target} as the active keystore with {@code type} (false if it cannot be read). */
    private static boolean names(Path file, String target, CipherType type) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        return target.equals(p.getProperty(ConfigLoader.KEYSTORE_ACTIVE, "").strip())
                && CipherType.parse(p.getProperty(ConfigLoader.CIPHER_TYPE, "").strip()).orElse(null) == type;
    }

    /** What the switch did, one line each (as {@code dataenc switch} prints it). */
    public static List<String> outcomeLines(ControlPlane plane, Result result, Path file, String target) {
        SwitchOutcome outcome = result.outcome();
        List<String> out = new ArrayList<>();
        String from = outcome.job() == null ? target : outcome.job().source();
        out.add("switch '" + from + "' -> '" + target + "': " + outcome.how());
        if (outcome.job() == null && outcome.rewrapped() > 0) {
            out.add("  repaired: " + outcome.rewrapped() + " CDK(s) in use had no wrapping under '" + target
                    + "' and got a verified one");
        }
        if (outcome.job() != null) {
            out.add("  CDKs re-wrapped: " + outcome.rewrapped() + " by this run; " + outcome.job().cdksRewrapped() + "/"
                    + outcome.job().cdksTotal() + " CDKs in use have a wrapping under '" + target + "'");
        }
        Optional<Cdk> active = plane.registry().findActive();
        active.ifPresent(c -> out.add("  ACTIVE CDK: " + c.id() + " wrapped by " + c.wrappings().stream()
                .map(Wrapping::keystoreName).distinct().map(n -> "'" + n + "'").collect(Collectors.joining(", "))));
        out.add("  configuration: " + file + (result.written() ? " now names" : " already named") + " '" + target
                + "' (cipher type " + result.targetType() + ")");
        if (outcome.job() != null && !outcome.job().source().equals(target)) {
            out.add("  old wrappings are kept; after checking (dataenc verify) remove them with: dataenc remove-wrappings "
                    + outcome.job().source());
        }
        return out;
    }
}
