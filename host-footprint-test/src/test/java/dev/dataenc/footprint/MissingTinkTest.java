package dev.dataenc.footprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.envelope.DataKeySource;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.MissingLibraryException;
import dev.dataenc.keystore.DataKey;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * This module's class path has no Tink, as a host that did not add it: random-IV encryption works, and only a
 * deterministic (searchable) value fails, naming the artifact to add.
 */
class MissingTinkTest {

    private final CdkId id = CdkId.random();
    private final DataKeySource keys = new DataKeySource() {
        @Override
        public DataKey activeKey() {
            return DataKey.generate(id);
        }

        @Override
        public DataKey key(CdkId cdk) {
            return DataKey.generate(cdk);
        }
    };

    @Test
    void tinkIsAbsentHere() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.crypto.tink.subtle.AesSiv"));
    }

    @Test
    void deterministicValue_withoutTink_namesTheArtifact_randomValuesStillWork() {
        DeterministicCipher deterministic = new DeterministicCipher(keys, List::of);   // built at start by every host
        MissingLibraryException e = assertThrows(MissingLibraryException.class,
                () -> deterministic.encryptString("ada@example.com", "Customer.email"));
        assertTrue(e.getMessage().contains("com.google.crypto.tink:tink"), e.getMessage());

        DataKey fixed = DataKey.generate(id);
        PropertyCipher random = new PropertyCipher(new DataKeySource() {
            @Override
            public DataKey activeKey() {
                return fixed;
            }

            @Override
            public DataKey key(CdkId cdk) {
                return fixed;
            }
        });
        byte[] plain = "ada@example.com".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(plain, random.decrypt(random.encrypt(plain, "Customer.email"), "Customer.email"));
    }
}
