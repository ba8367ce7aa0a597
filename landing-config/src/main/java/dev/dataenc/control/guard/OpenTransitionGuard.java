package dev.dataenc.control.guard;

import dev.dataenc.control.keyswitch.SwitchRequest;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransition;

import java.util.Optional;

/**
 * While a {@link CipherTransition} has made the new keystore active (phases NEW_ENCRYPTS and MIGRATED), the
 * keystore being retired cannot become active again: new data would go back under the cipher the data is being
 * moved away from, while the transition still says the new one encrypts. Finish the transition first.
 */
public final class OpenTransitionGuard implements SwitchGuard {

    static final String NAME = "open cipher transition";

    private final Optional<CipherTransition> open;

    /** A guard for the open transition, if any. */
    public OpenTransitionGuard(Optional<CipherTransition> open) {
        this.open = open;
    }

    @Override
    public GuardResult check(SwitchRequest request) {
        if (open.isPresent() && open.get().oldKeystore().equals(request.target())
                && open.get().phase().compareTo(CipherPhase.NEW_ENCRYPTS) >= 0) {
            return GuardResult.refuse(NAME, "keystore '" + request.target() + "' is being retired by "
                    + open.get().summary() + "; it cannot encrypt again. Finish the transition"
                    + " ('dataenc cipher-transition advance') or keep '" + open.get().newKeystore() + "' active.");
        }
        return GuardResult.pass(NAME, "no open cipher transition retires '" + request.target() + "'");
    }
}
