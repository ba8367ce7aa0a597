package dev.dataenc.azure;

import dev.dataenc.keystore.MasterKeyState;

/**
 * What is wrong with an Azure key (or the way to it), mapped to a {@link MasterKeyState} and to the Azure remedy.
 * Each hint names the vault and key, so it can be run as it stands.
 */
enum KeyCondition {
    /** Usable. */
    ENABLED(MasterKeyState.ENABLED),
    /** {@code enabled=false} on the key version. */
    DISABLED(MasterKeyState.DISABLED),
    /** {@code expiresOn} is past: Key Vault refuses new wraps (it still unwraps). */
    EXPIRED(MasterKeyState.DISABLED),
    /** {@code notBefore} is in the future: Key Vault refuses new wraps (it still unwraps). */
    NOT_YET_VALID(MasterKeyState.DISABLED),
    /** Soft-deleted: found among the vault's deleted keys, recoverable until its purge date. */
    SOFT_DELETED(MasterKeyState.PENDING_DELETION),
    /** Not in the vault and not among its deleted keys (purged, never created, or a wrong name or version). */
    NOT_FOUND(MasterKeyState.NOT_FOUND),
    /** 403 without a key reason, or 401: the identity lacks a role or access policy, or its token is refused. */
    FORBIDDEN(MasterKeyState.UNREACHABLE),
    /** No credential in the default chain worked. */
    NO_CREDENTIAL(MasterKeyState.UNREACHABLE),
    /** 429 still after the retries (each waited as long as Retry-After said). */
    THROTTLED(MasterKeyState.UNAVAILABLE),
    /** Another 4xx: the vault refused the request itself (for example an algorithm the key type does not take). */
    REJECTED(MasterKeyState.UNAVAILABLE),
    /** 5xx from the service. */
    SERVICE_ERROR(MasterKeyState.UNAVAILABLE),
    /** No HTTP answer at all (DNS, TLS, connection, timeout). */
    UNREACHABLE(MasterKeyState.UNREACHABLE);

    private final MasterKeyState state;

    KeyCondition(MasterKeyState state) {
        this.state = state;
    }

    /** The keystore-independent state. */
    MasterKeyState state() {
        return state;
    }

    /** The Azure remedy, in one sentence, for key {@code key} in vault {@code vault} (the vault's short name). */
    String hint(String vault, String key) {
        String where = " --vault-name " + vault + " --name " + key;
        return switch (this) {
            case ENABLED -> "";
            case DISABLED -> "the key is disabled in Key Vault; enable it: az keyvault key set-attributes" + where
                    + " --enabled true (for a Managed HSM use --hsm-name)";
            case EXPIRED -> "the key's expiry date has passed, so Key Vault refuses new wraps (it still unwraps); set a"
                    + " later one: az keyvault key set-attributes" + where + " --expires <date>, or rotate to a new"
                    + " version";
            case NOT_YET_VALID -> "the key's activation date (not before) is in the future, so Key Vault refuses new"
                    + " wraps; wait for it or move it: az keyvault key set-attributes" + where + " --not-before <date>";
            case SOFT_DELETED -> "the key was deleted and is recoverable until it is purged; recover it:"
                    + " az keyvault key recover" + where;
            case NOT_FOUND -> "the vault has no such key or version, and no deleted one this identity can see; it was"
                    + " purged (restore a backup: az keyvault key restore --vault-name " + vault + " --file <backup>)"
                    + " or the key-name/key-version setting is wrong";
            case FORBIDDEN -> "Key Vault refused this identity; grant it the role \"Key Vault Crypto User\" on the key"
                    + " or vault (RBAC), or an access policy with keys get, wrapKey and unwrapKey, and check the vault's"
                    + " firewall";
            case NO_CREDENTIAL -> "no Azure credential was found; run with a managed identity, or set AZURE_TENANT_ID,"
                    + " AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or workload identity variables)";
            case THROTTLED -> "Key Vault throttled the requests (429) through every retry; retry later and lower the"
                    + " request rate (cache size, fewer CDK creations), or raise the vault's limits";
            case REJECTED -> "Key Vault refused the request itself; check that the key's type and operations allow"
                    + " wrapKey/unwrapKey with RSA-OAEP-256 (RSA keys) or A256KW (oct-HSM keys)";
            case SERVICE_ERROR -> "Key Vault answered with a server error; retry later and check Azure service health";
            case UNREACHABLE -> "Key Vault could not be reached; check the vault-url, DNS, proxy, firewall and private"
                    + " endpoint";
        };
    }
}
