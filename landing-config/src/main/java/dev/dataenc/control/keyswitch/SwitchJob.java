package dev.dataenc.control.keyswitch;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.CipherType;

import java.time.Instant;
import java.util.Objects;

/**
 * A persisted keystore switch (table {@code dataenc_switch_job}).
 *
 * @param id             job id
 * @param source         the keystore that was active when the job started
 * @param target         the keystore being switched to
 * @param targetCipher   the cipher type of the target
 * @param phase          how far it got
 * @param newCdkId       the id of the CDK generated under the target, once chosen (else {@code null})
 * @param cdksTotal      CDKs that needed a wrapping under the target when re-wrapping began
 * @param cdksRewrapped  CDKs re-wrapped so far
 * @param owner          the process working on it (see {@link SwitchJobStore#claim}), or {@code null}
 * @param leaseUntil     until when the owner holds it, or {@code null}
 * @param startedBy      who started it
 * @param startedAt      when it started
 * @param updatedAt      last change
 * @param rowVersion     compare-and-set version
 */
public record SwitchJob(String id, String source, String target, CipherType targetCipher, SwitchPhase phase,
                        CdkId newCdkId, int cdksTotal, int cdksRewrapped, String owner, Instant leaseUntil,
                        String startedBy, Instant startedAt, Instant updatedAt, long rowVersion) {

    public SwitchJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetCipher, "targetCipher");
        Objects.requireNonNull(phase, "phase");
    }

    /** One line for status output. */
    public String summary() {
        return "switch " + id.substring(0, 8) + " '" + source + "' -> '" + target + "': " + phase
                + (phase.ended() ? "" : ", re-wrapped " + cdksRewrapped + "/" + cdksTotal)
                + (owner == null || phase.ended() ? "" : ", worked on by " + owner);
    }
}
