package dev.dataenc.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.azure.testing.KeyVaultTestServer;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Wrapping;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An oct-HSM key (Managed HSM) wraps with A256KW; the CDK id is bound the same way as under RSA-OAEP-256. */
class AzureKeyVaultManagedHsmTest {

    private final KeyVaultTestServer server = AzureKeyVaultFixture.server();

    @Test
    void octHsmKey_wrapsWithA256kw_andBindsTheCdkId() {
        String key = "hsm-" + UUID.randomUUID().toString().substring(0, 8);
        server.createOctHsmKey(key);
        try (AzureKeyVaultKeystore ks = AzureKeyVaultFixture.open("ks", key)) {
            assertTrue(ks.describe().detail().contains("A256KW"), ks.describe().detail());
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = ks.generateDataKey(id); DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
                Wrapping w = g.wrapping();
                assertEquals(AzureWrappedKey.Alg.A256KW.code, w.wrappedKey()[1]);
                // AES-KW of CDK (32) | binding (16) = 56 bytes after the header and key id
                int kidLength = ((w.wrappedKey()[2] & 0xff) << 8) | (w.wrappedKey()[3] & 0xff);
                assertEquals(4 + kidLength + 56, w.wrappedKey().length);
                assertThrows(WrappedKeyException.class, () -> ks.unwrap(CdkId.random(), w));
            }
        }
    }
}
