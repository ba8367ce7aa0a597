package dev.dataenc.azure.testing;

import java.security.KeyPair;
import java.time.OffsetDateTime;
import javax.crypto.SecretKey;

/**
 * One version of a simulated Key Vault key, RSA (a key pair) or oct-HSM (an AES-256 key), and its (mutable)
 * attributes. Guarded by the server.
 */
final class SimulatedKeyVersion {

    final String version;
    final KeyPair pair;
    final SecretKey aes;
    final OffsetDateTime created;
    boolean enabled = true;
    OffsetDateTime notBefore;
    OffsetDateTime expiresOn;

    SimulatedKeyVersion(String version, KeyPair pair, SecretKey aes, OffsetDateTime created) {
        this.version = version;
        this.pair = pair;
        this.aes = aes;
        this.created = created;
    }
}
