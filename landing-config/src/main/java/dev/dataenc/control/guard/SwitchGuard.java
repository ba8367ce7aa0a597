package dev.dataenc.control.guard;

import dev.dataenc.control.keyswitch.SwitchRequest;

/**
 * A check that must pass before a keystore switch may change anything. Guards only read: they
 * never change the registry, the configuration or a keystore.
 */
public interface SwitchGuard {

    /** Checks the request. Must not throw for a failed check: return a refusal that says why. */
    GuardResult check(SwitchRequest request);
}
