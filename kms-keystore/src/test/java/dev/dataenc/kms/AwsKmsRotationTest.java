package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.KmsTestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KMS key rotation (on demand and automatic) is transparent: same key ARN, old wrappings still unwrap. */
class AwsKmsRotationTest {

    private KmsFixture f;
    private KmsTestServer.Key key;
    private AwsKmsKeystore ks;

    @BeforeEach
    void setUp() {
        f = new KmsFixture();
        key = f.kms.createKey();
        ks = f.open("kms", key.keyId());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void rotateOnDemand_oldWrappingsStillUnwrap() {
        CdkId before = CdkId.random();
        Wrapping old;
        try (GeneratedDataKey g = ks.generateDataKey(before)) {
            old = g.wrapping();
        }
        MasterKeyDescription d = ks.rotateMasterKey();
        assertEquals(MasterKeyState.ENABLED, d.state());
        assertEquals(key.arn(), d.masterKeyId(), "rotation keeps the key ARN");
        assertEquals(2, f.kms.backingKeyVersions(key.keyId()));

        CdkId after = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(after);
             DataKey oldBack = ks.unwrap(before, old);
             DataKey newBack = ks.unwrap(after, g.wrapping())) {
            assertEquals(before, oldBack.cdkId());
            assertTrue(newBack.sameKeyAs(g.key()));
            assertEquals(old.masterKeyId(), g.wrapping().masterKeyId());
        }
    }

    @Test
    void automaticRotation_isTransparent() {
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            f.kms.rotateAutomatically(key.keyId());
            f.kms.rotateAutomatically(key.keyId());
            try (DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
    }
}
