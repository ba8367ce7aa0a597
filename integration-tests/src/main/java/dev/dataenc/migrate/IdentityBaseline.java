package dev.dataenc.migrate;

import dev.dataenc.control.ControlPlane;

/**
 * Benchmarks only (this module is not shipped): a {@link Migration} whose crypto is replaced by an identity
 * re-write ({@link Migration#identityRewrite()}, package-private in the engine), to measure the engine alone
 * beside the real migration. It lives in the engine's package because nothing outside it may reach the hook.
 */
public final class IdentityBaseline {

    private IdentityBaseline() {
    }

    /** The same engine over {@code plane}'s registry, writing every value it would re-encrypt back unchanged. */
    public static Migration migration(ControlPlane plane) {
        return new Migration(plane).identityRewrite();
    }
}
