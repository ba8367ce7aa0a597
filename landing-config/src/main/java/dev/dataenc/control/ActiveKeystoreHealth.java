package dev.dataenc.control;

import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether new data can be encrypted: the active keystore is open and its master key is usable
 * ({@link MasterKeyState#isUsable()}). Asks the keystore ({@link Keystore#describe()}; a local keystore re-reads
 * its file when it changed, e.g. after {@code dataenc keystore disable}), so it is meant for health checks, not
 * for every request.
 *
 * @param up             true when the active keystore's master key is usable
 * @param activeKeystore the active keystore's name
 * @param state          its master key's state ({@link MasterKeyState#UNREACHABLE} when the keystore is not open)
 * @param remedy         what to do when it is not up (empty when up)
 */
public record ActiveKeystoreHealth(boolean up, String activeKeystore, MasterKeyState state, String remedy) {

    public ActiveKeystoreHealth {
        Objects.requireNonNull(activeKeystore, "activeKeystore");
        Objects.requireNonNull(state, "state");
        remedy = remedy == null ? "" : remedy;
    }

    /**
     * Checks the active keystore of a control plane.
     *
     * @param plane an open control plane
     * @return its active keystore's health; never throws for a keystore failure
     */
    public static ActiveKeystoreHealth of(ControlPlane plane) {
        String active = plane.config().activeKeystore();
        Optional<Keystore> ks = plane.keystores().get(active);
        if (ks.isEmpty()) {
            return new ActiveKeystoreHealth(false, active, MasterKeyState.UNREACHABLE,
                    "the active keystore could not be opened: " + MasterKeyState.UNREACHABLE.remedy());
        }
        MasterKeyDescription d;
        try {
            d = ks.get().describe();
        } catch (RuntimeException e) {
            return new ActiveKeystoreHealth(false, active, MasterKeyState.UNREACHABLE, MasterKeyState.UNREACHABLE.remedy());
        }
        boolean up = d.state().isUsable();
        return new ActiveKeystoreHealth(up, active, d.state(), up ? "" : d.state().remedy());
    }
}
