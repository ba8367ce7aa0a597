package dev.dataenc.azure.testing;

import java.security.KeyPair;
import java.time.OffsetDateTime;

/** One version of a simulated Key Vault RSA key: its key pair and its (mutable) attributes. Guarded by the server. */
final class SimulatedKeyVersion {

    final String version;
    final KeyPair pair;
    final OffsetDateTime created;
    boolean enabled = true;
    OffsetDateTime notBefore;
    OffsetDateTime expiresOn;

    SimulatedKeyVersion(String version, KeyPair pair, OffsetDateTime created) {
        this.version = version;
        this.pair = pair;
        this.created = created;
    }
}
