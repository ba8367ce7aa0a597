package dev.dataenc.report;

import dev.dataenc.control.keyswitch.SwitchJob;

/**
 * A keystore switch job.
 *
 * @param id               job id
 * @param source           the keystore active when it started
 * @param target           the keystore switched to
 * @param targetCipherType the target's cipher type ({@code platform}, {@code custom}, {@code keystore})
 * @param phase            how far it got ({@code COMPLETED} when done)
 * @param newCdkId         the CDK generated under the target, or null before it is chosen
 * @param cdksTotal        CDKs that needed a wrapping under the target
 * @param cdksRewrapped    CDKs re-wrapped so far
 * @param owner            the process working on it, or null
 * @param startedBy        who started it
 * @param startedAt        when it started
 * @param updatedAt        its last change
 */
public record SwitchJobInfo(String id, String source, String target, String targetCipherType, String phase,
                            String newCdkId, int cdksTotal, int cdksRewrapped, String owner, String startedBy,
                            String startedAt, String updatedAt) {

    /** The JSON view of {@code job}, or null for null. */
    public static SwitchJobInfo of(SwitchJob job) {
        if (job == null) {
            return null;
        }
        return new SwitchJobInfo(job.id(), job.source(), job.target(), job.targetCipher().configValue(), job.phase().name(),
                Times.id(job.newCdkId()), job.cdksTotal(), job.cdksRewrapped(), job.owner(), job.startedBy(),
                Times.of(job.startedAt()), Times.of(job.updatedAt()));
    }
}
