package dev.dataenc.cdk;

import dev.dataenc.keystore.Wrapping;

import java.util.List;
import java.util.Optional;

/**
 * Where CDKs (their wrappings and status, never plaintext) are kept. Implementations must make
 * every method atomic and safe for concurrent use, across processes where they are shared.
 * Writers that could race use compare-and-set and lose with
 * {@link dev.dataenc.error.RegistryConflictException}.
 */
public interface CdkRegistry {

    /** The CDK with this id, if known. */
    Optional<Cdk> find(CdkId id);

    /** The ACTIVE CDK, if one exists. */
    Optional<Cdk> findActive();

    /** Every CDK, oldest first. */
    List<Cdk> list();

    /**
     * Stores {@code newCdk} (status must be ACTIVE) with its {@link Cdk#checkValue() check value} and, in the same atomic step, demotes the
     * current ACTIVE CDK to DECRYPT_ONLY, recording when ({@link Cdk#decryptOnlySince()}, the
     * registry's clock).
     *
     * @param expectedActive the id the caller believes is ACTIVE now, or {@code null} if none
     * @throws dev.dataenc.error.RegistryConflictException if the ACTIVE CDK is not {@code expectedActive}
     */
    void activate(Cdk newCdk, CdkId expectedActive);

    /**
     * Adds a wrapping beside the existing ones. Idempotent: if a wrapping of the same keystore,
     * master key and version exists, it is kept and nothing changes.
     *
     * @throws dev.dataenc.error.RegistryConflictException if the CDK is DESTROYED
     * @throws dev.dataenc.error.UnknownCdkException if the CDK does not exist
     */
    void addWrapping(CdkId id, Wrapping wrapping);

    /**
     * Removes one wrapping (same keystore, master key and version) from a CDK, in one atomic step
     * that refuses to remove the CDK's last wrapping. Removing a wrapping that is not there changes
     * nothing.
     *
     * @throws dev.dataenc.error.RegistryConflictException if it is the CDK's only wrapping
     * @throws dev.dataenc.error.UnknownCdkException if the CDK does not exist
     */
    void removeWrapping(CdkId id, Wrapping wrapping);

    /**
     * Changes a CDK's status from {@code expected} to {@code next} (compare-and-set). Leaving ACTIVE
     * records {@link Cdk#decryptOnlySince()} as {@link #activate} does. DESTROYED is reached only
     * through {@link #destroy}, and never left.
     *
     * @throws IllegalArgumentException if {@code expected} or {@code next} is DESTROYED
     * @throws dev.dataenc.error.RegistryConflictException if the status is not {@code expected}
     * @throws dev.dataenc.error.UnknownCdkException if the CDK does not exist
     */
    void updateStatus(CdkId id, CdkStatus expected, CdkStatus next);

    /**
     * Destroys a CDK whose destruction was scheduled: in one atomic step its status becomes DESTROYED
     * (compare-and-set from DESTRUCTION_SCHEDULED), its destruction time is recorded and every wrapping is
     * deleted, so the key can never be unwrapped again. Irreversible. A registry that records the end of
     * the waiting period also refuses a CDK whose waiting period has not ended.
     *
     * @return the DESTROYED CDK
     * @throws dev.dataenc.error.RegistryConflictException if the CDK is not DESTRUCTION_SCHEDULED, or its waiting
     *                                                     period has not ended (nothing changes)
     * @throws dev.dataenc.error.UnknownCdkException if the CDK does not exist
     */
    Cdk destroy(CdkId id);

    /**
     * Records the check value of a legacy CDK (one stored without it). Set once, never changed:
     * recording the value the CDK already has changes nothing; a different value is refused. Only
     * an administrator's deliberate action should call this (after verifying that every wrapping
     * unwraps to the same key), never the data plane on its own: whoever sets the value decides
     * which key the CDK is.
     *
     * @throws dev.dataenc.error.RegistryConflictException if the CDK already has a different check value
     * @throws dev.dataenc.error.UnknownCdkException if the CDK does not exist
     */
    void recordCheckValue(CdkId id, CdkCheckValue checkValue);
}
