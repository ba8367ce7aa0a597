package dev.dataenc.control.guard;

import dev.dataenc.control.keyswitch.SwitchRequest;
import dev.dataenc.control.transition.CipherTransition;
import dev.dataenc.keystore.MasterKeyDescription;

import java.util.Map;
import java.util.Set;

/**
 * A keystore whose cipher a finished {@link CipherTransition} refused can never become active again:
 * data was re-encrypted away from it on purpose (it may be weak or compromised). Matched by name and by
 * master key identity (the master key id the keystore describes: a local key's fingerprint id, a KMS key
 * ARN, a custom cipher's key id), so a keystore renamed or re-configured over the same master key is
 * refused as well.
 */
public final class RefusedCipherGuard implements SwitchGuard {

    static final String NAME = "refused cipher";

    private final Set<String> refused;
    private final Map<String, String> refusedMasterKeys;

    /**
     * A guard refusing the given keystores and master keys.
     *
     * @param refused           keystore names that finished transitions refused
     * @param refusedMasterKeys refused master key ids, each with the keystore it belonged to
     */
    public RefusedCipherGuard(Set<String> refused, Map<String, String> refusedMasterKeys) {
        this.refused = Set.copyOf(refused);
        this.refusedMasterKeys = Map.copyOf(refusedMasterKeys);
    }

    @Override
    public GuardResult check(SwitchRequest request) {
        String target = request.target();
        if (refused.contains(target)) {
            return GuardResult.refuse(NAME, "keystore '" + target + "' was retired by a cipher transition: its"
                    + " cipher is refused from then on. Configure a new keystore and switch to that instead.");
        }
        if (request.keystores().get(target).isPresent()) {
            MasterKeyDescription d = request.keystores().describe(target);
            String was = d.masterKeyId() == null ? null : refusedMasterKeys.get(d.masterKeyId());
            if (was != null) {
                return GuardResult.refuse(NAME, "keystore '" + target + "' uses master key '" + d.masterKeyId()
                        + "', which a cipher transition refused when it retired keystore '" + was + "': the same"
                        + " master key under another name is refused too. Configure a keystore with a new master key.");
            }
        }
        return GuardResult.pass(NAME, "'" + target + "' is not a refused cipher and its master key is not refused");
    }
}
