package dev.dataenc.keystore;

/**
 * State of a keystore's master key (CMK), modelled on the AWS KMS key states so that every
 * keystore type reports the same words. Only {@link #ENABLED} keys wrap and unwrap.
 */
public enum MasterKeyState {
    /** Usable for wrap and unwrap. */
    ENABLED("no action needed"),
    /** Switched off by an administrator; its wrapped CDKs cannot be unwrapped until it is enabled again. */
    DISABLED("enable the master key again (for AWS KMS: EnableKey), or switch to another keystore that holds a wrapping of every CDK"),
    /** Scheduled for deletion; unusable now and destroyed when the waiting period ends. */
    PENDING_DELETION("cancel the key deletion and then enable the key (for AWS KMS: CancelKeyDeletion, then EnableKey) before the waiting period ends, or every CDK wrapped only by it is lost"),
    /** Waiting for imported key material. */
    PENDING_IMPORT("import the key material for this master key, or configure another keystore"),
    /** The key is in an external (custom) key store that is disconnected or failed. */
    EXTERNAL_STORE_DISCONNECTED("reconnect the external key store (for AWS KMS: ConnectCustomKeyStore) and retry"),
    /** The keystore reports the key as unavailable (for example its backing store is down). */
    UNAVAILABLE("retry later; if it persists, check the key's backing store or configure another keystore"),
    /** The keystore does not know the configured master key id. */
    NOT_FOUND("check the configured master key id, alias or ARN and the region/file it is looked up in"),
    /** The keystore could not be reached at all (network, endpoint, file). */
    UNREACHABLE("check connectivity, endpoint, credentials and permissions of the keystore, then retry");

    private final String remedy;

    MasterKeyState(String remedy) {
        this.remedy = remedy;
    }

    /** What an administrator should do about this state, in one sentence. */
    public String remedy() {
        return remedy;
    }

    /** True when the master key can wrap and unwrap. */
    public boolean isUsable() {
        return this == ENABLED;
    }
}
