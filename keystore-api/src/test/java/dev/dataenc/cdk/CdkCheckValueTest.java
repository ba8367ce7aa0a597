package dev.dataenc.cdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.keystore.DataKey;
import dev.dataenc.testing.FakeKeystore;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CdkCheckValueTest {

    private static final CdkId DOC_ID = CdkId.parse("123e4567-e89b-12d3-a456-426614174000");

    /** The example in docs/FORMAT.md ("Key check value"); computed independently with Python's hmac module. */
    @Test
    void documentedExample_matchesKnownAnswer() {
        byte[] keyBytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            keyBytes[i] = (byte) i;
        }
        try (DataKey key = DataKey.copyOf(DOC_ID, keyBytes)) {
            assertEquals("3f789867487bf33e24e30761917d5227aee7d2feffaf01971a8db1137ff59d0b",
                    HexFormat.of().formatHex(CdkCheckValue.of(key).value()));
        }
    }

    @Test
    void sameBytesUnderAnotherId_orAnotherKey_giveAnotherValue() {
        try (DataKey a = DataKey.generate(DOC_ID);
             DataKey sameBytesOtherId = DataKey.copyOf(CdkId.random(), a.getEncoded());
             DataKey other = DataKey.generate(DOC_ID)) {
            CdkCheckValue v = CdkCheckValue.of(a);
            assertEquals(v, CdkCheckValue.of(a));
            assertTrue(v.matches(a));
            assertFalse(v.matches(sameBytesOtherId));
            assertFalse(v.matches(other));
            assertNotEquals(v, CdkCheckValue.of(other));
        }
    }

    @Test
    void value_isCopiedAndLengthChecked_toStringShowsOnlyAPrefix() {
        byte[] raw = new byte[32];
        raw[0] = (byte) 0xAB;
        CdkCheckValue v = new CdkCheckValue(raw);
        raw[0] = 0;
        assertEquals((byte) 0xAB, v.value()[0]);
        v.value()[0] = 1;
        assertEquals((byte) 0xAB, v.value()[0]);
        assertThrows(IllegalArgumentException.class, () -> new CdkCheckValue(new byte[16]));
        assertEquals("CdkCheckValue[ab000000...]", v.toString());
    }

    @Test
    void generatedCdk_isStoredWithTheCheckValueOfItsKey() {
        InMemoryCdkRegistry registry = new InMemoryCdkRegistry();
        FakeKeystore ks = new FakeKeystore("fake-a");
        Cdk cdk = new CdkGenerator(registry).generateActive(ks);
        Cdk stored = registry.find(cdk.id()).orElseThrow();
        assertTrue(stored.checkValueIfKnown().isPresent(), "no check value stored");
        try (DataKey key = ks.unwrap(cdk.id(), stored.wrappings().get(0))) {
            assertTrue(stored.checkValue().matches(key));
        }
        assertArrayEquals(stored.checkValue().value(), stored.withStatus(CdkStatus.RETIRED).checkValue().value());
        assertEquals(stored.checkValue(), stored.demoted(java.time.Instant.now()).checkValue());
    }
}
