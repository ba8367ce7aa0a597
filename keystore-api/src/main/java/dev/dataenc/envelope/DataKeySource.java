package dev.dataenc.envelope;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;

/**
 * Where the data plane gets plaintext CDKs. The keys returned are owned by the source (for
 * example a cache): callers use them immediately and never destroy or keep them. A key may be
 * destroyed by the source at any time after it was returned (cache eviction); a caller that
 * finds {@link DataKey#isDestroyed()} after using it must ask again.
 */
public interface DataKeySource {

    /**
     * The ACTIVE CDK's key, for new encryption.
     *
     * @throws dev.dataenc.error.NoActiveCdkException if there is none
     * @throws dev.dataenc.error.CdkUnavailableException if no configured keystore can unwrap it (a
     *         {@link dev.dataenc.error.ActiveCdkNotWrappedException} if the active keystore does not wrap it)
     * @throws dev.dataenc.error.CdkCheckFailedException if its key cannot be verified against its check value
     */
    DataKey activeKey();

    /**
     * The key of a given CDK, for decryption.
     *
     * @throws dev.dataenc.error.UnknownCdkException if the registry does not know it
     * @throws dev.dataenc.error.CdkUnavailableException if no configured keystore can unwrap it
     * @throws dev.dataenc.error.CdkCheckFailedException if its key cannot be verified against its check value
     */
    DataKey key(CdkId id);
}
