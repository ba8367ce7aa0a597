package dev.dataenc.control.guard;

import dev.dataenc.control.keyswitch.SwitchRequest;
import dev.dataenc.control.transition.CipherTransition;

import java.util.Set;

/**
 * A keystore whose cipher a finished {@link CipherTransition} refused can never become active again:
 * data was re-encrypted away from it on purpose (it may be weak or compromised).
 */
public final class RefusedCipherGuard implements SwitchGuard {

    static final String NAME = "refused cipher";

    private final Set<String> refused;

    /** A guard refusing the given keystores. */
    public RefusedCipherGuard(Set<String> refused) {
        this.refused = Set.copyOf(refused);
    }

    @Override
    public GuardResult check(SwitchRequest request) {
        if (refused.contains(request.target())) {
            return GuardResult.refuse(NAME, "keystore '" + request.target() + "' was retired by a cipher transition: its"
                    + " cipher is refused from then on. Configure a new keystore and switch to that instead.");
        }
        return GuardResult.pass(NAME, "'" + request.target() + "' is not a refused cipher");
    }
}
