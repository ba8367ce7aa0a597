package dev.dataenc.control.keyswitch;

import dev.dataenc.control.KeystoreSet;
import dev.dataenc.control.lifecycle.CdkUsage;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.config.CipherType;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the guards look at before a keystore switch.
 *
 * @param source       the active keystore now
 * @param sourceCipher its cipher type
 * @param target       the keystore to switch to
 * @param targetCipher the target's cipher type
 * @param keystores    the configured keystores, opened (or with the reason they could not be)
 * @param cdks         every CDK in the registry
 * @param usage        what each CDK protects (CDKs without an entry: no recorded use)
 */
public record SwitchRequest(String source, CipherType sourceCipher, String target, CipherType targetCipher,
                            KeystoreSet keystores, List<Cdk> cdks, Map<CdkId, CdkUsage> usage) {

    public SwitchRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceCipher, "sourceCipher");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetCipher, "targetCipher");
        Objects.requireNonNull(keystores, "keystores");
        cdks = List.copyOf(cdks);
        usage = Map.copyOf(usage);
    }

    /** What a CDK protects. */
    public CdkUsage usageOf(CdkId id) {
        return usage.getOrDefault(id, CdkUsage.NONE);
    }
}
