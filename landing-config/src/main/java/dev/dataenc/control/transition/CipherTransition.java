package dev.dataenc.control.transition;

import java.time.Instant;
import java.util.Objects;

/**
 * A persisted move away from an old cipher (keystore) whose data must be re-encrypted rather than
 * only re-wrapped, for example a site cipher being decommissioned or suspected weak (table
 * {@code dataenc_cipher_transition}). Phases in {@link CipherPhase}.
 *
 * @param id          transition id
 * @param oldKeystore the keystore being retired
 * @param newKeystore the keystore taking over
 * @param phase       how far it got
 * @param startedBy   who started it
 * @param startedAt   when
 * @param updatedAt   last change
 * @param rowVersion  compare-and-set version
 */
public record CipherTransition(String id, String oldKeystore, String newKeystore, CipherPhase phase, String startedBy,
                               Instant startedAt, Instant updatedAt, long rowVersion) {

    public CipherTransition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(oldKeystore, "oldKeystore");
        Objects.requireNonNull(newKeystore, "newKeystore");
        Objects.requireNonNull(phase, "phase");
    }

    /** One line for the CLI. */
    public String summary() {
        return "cipher transition " + id.substring(0, 8) + " '" + oldKeystore + "' -> '" + newKeystore + "': " + phase
                + " - " + phase.meaning();
    }
}
