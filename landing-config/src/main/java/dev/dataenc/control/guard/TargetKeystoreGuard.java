package dev.dataenc.control.guard;

import dev.dataenc.control.KeystoreSet;
import dev.dataenc.control.keyswitch.SwitchRequest;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.util.Optional;

/**
 * The target keystore must be configured and open, its master key ENABLED, and a wrap/unwrap
 * round trip of a throw-away key must work. Otherwise a switch would make a new ACTIVE CDK that
 * cannot be used, or re-wrap CDKs under a key that cannot unwrap them.
 */
public final class TargetKeystoreGuard implements SwitchGuard {

    static final String NAME = "target keystore";

    @Override
    public GuardResult check(SwitchRequest request) {
        String target = request.target();
        KeystoreSet keystores = request.keystores();
        if (!keystores.isConfigured(target)) {
            return GuardResult.refuse(NAME, "keystore '" + target + "' is not configured (configured: "
                    + keystores.settings().keySet() + "). Add it under dataenc.keystores." + target + " first.");
        }
        Optional<Keystore> opened = keystores.get(target);
        if (opened.isEmpty()) {
            return GuardResult.refuse(NAME, "keystore '" + target + "' cannot be opened: "
                    + keystores.failure(target).map(DataEncException::getMessage).orElse("unknown reason"));
        }
        MasterKeyDescription d = keystores.describe(target);
        if (d.state() != MasterKeyState.ENABLED) {
            return GuardResult.refuse(NAME, d.summary() + ". " + d.state().remedy());
        }
        Keystore ks = opened.get();
        CdkId probeId = CdkId.random();
        try (DataKey probe = DataKey.generate(probeId)) {
            Wrapping w = ks.wrap(probe);
            try (DataKey back = ks.unwrap(probeId, w)) {
                if (!back.sameKeyAs(probe)) {
                    return GuardResult.refuse(NAME, "keystore '" + target + "' returned a different key in a wrap/unwrap"
                            + " round trip; it is broken and must not protect CDKs");
                }
            }
        } catch (RuntimeException e) {
            return GuardResult.refuse(NAME, "keystore '" + target + "' failed a wrap/unwrap round trip: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return GuardResult.pass(NAME, d.summary() + "; wrap/unwrap round trip works");
    }
}
