package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.KmsTestServer;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/** Alias resolution, re-wrapping with Encrypt and ReEncrypt, encryption context binding, KMS call counts. */
class AwsKmsWrappingTest {

    private KmsFixture f;
    private KmsTestServer.Key a;
    private KmsTestServer.Key b;

    @BeforeEach
    void setUp() {
        f = new KmsFixture();
        a = f.kms.createKey();
        b = f.kms.createKey();
        f.kms.createAlias("alias/dataenc", a.keyId());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void aliasKeyId_wrappingRecordsResolvedKeyArn() {
        AwsKmsKeystore ks = f.open("kms", "alias/dataenc");
        try (GeneratedDataKey g = ks.generateDataKey(CdkId.random())) {
            assertEquals(a.arn(), g.wrapping().masterKeyId());
            assertEquals("", g.wrapping().masterKeyVersion());
        }
        String aliasArn = "arn:aws:kms:" + KmsTestServer.REGION + ":" + KmsTestServer.ACCOUNT + ":alias/dataenc";
        try (GeneratedDataKey g = f.open("kms-arn", aliasArn).generateDataKey(CdkId.random())) {
            assertEquals(a.arn(), g.wrapping().masterKeyId());
        }
    }

    @Test
    void aliasMovedToKeyB_runningKeystoreStaysOnKeyA_reopenedFollowsAliasAndUnwrapsAOnlyWhenListed() {
        AwsKmsKeystore ks = f.open("kms", "alias/dataenc");
        CdkId old = CdkId.random();
        Wrapping underA;
        try (GeneratedDataKey g = ks.generateDataKey(old)) {
            underA = g.wrapping();
        }
        f.kms.updateAlias("alias/dataenc", b.keyId());

        try (GeneratedDataKey g = ks.generateDataKey(CdkId.random())) {
            assertEquals(a.arn(), g.wrapping().masterKeyId(), "resolved once: the running keystore keeps key A");
        }
        assertEquals(a.arn(), ks.describe().masterKeyId());

        AwsKmsKeystore reopened = f.open("kms", "alias/dataenc");
        try (GeneratedDataKey g = reopened.generateDataKey(CdkId.random())) {
            assertEquals(b.arn(), g.wrapping().masterKeyId(), "reopened, it follows the alias");
        }
        assertFalse(reopened.canUnwrap(underA), "key A is no longer the configured key and is not listed");
        f.kms.resetCounts();
        UnacceptedKeyException e = assertThrows(UnacceptedKeyException.class, () -> reopened.unwrap(old, underA));
        assertTrue(e.getMessage().contains(b.arn()) && e.getMessage().contains("former-key-arns"), e.getMessage());
        assertEquals(0, f.kms.totalCalls(), "refused before any KMS call");

        AwsKmsKeystore listing = f.open("kms", "alias/dataenc", s -> s.put("former-key-arns", a.arn()));
        assertTrue(listing.canUnwrap(underA));
        try (DataKey back = listing.unwrap(old, underA)) {
            assertEquals(old, back.cdkId());
        }
    }

    @Test
    void keyFromOtherKeystore_wrapsWithEncryptAndUnwraps() {
        AwsKmsKeystore ks = f.open("kms", a.arn());
        CdkId id = CdkId.random();
        try (DataKey key = DataKey.generate(id)) {
            f.kms.resetCounts();
            Wrapping w = ks.wrap(key);
            assertEquals(Map.of("Encrypt", 1), f.kms.callCounts());
            assertEquals(a.arn(), w.masterKeyId());
            try (DataKey back = ks.unwrap(id, w)) {
                assertTrue(back.sameKeyAs(key));
            }
        }
    }

    @Test
    void reEncryptToAnotherKmsKey_plaintextNeverLeavesKms() {
        AwsKmsKeystore source = f.open("kms-a", a.arn());
        AwsKmsKeystore unlisted = f.open("kms-b", b.arn());
        AwsKmsKeystore target = f.open("kms-b", b.arn(), s -> s.put("former-key-arns", a.arn()));
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = source.generateDataKey(id)) {
            assertFalse(unlisted.canUnwrap(g.wrapping()), "another keystore's key is not unwrapped directly");
            f.kms.resetCounts();
            assertEquals(Optional.empty(), unlisted.rewrapFrom(id, g.wrapping()), "nor re-encrypted from unless listed");
            assertEquals(0, f.kms.totalCalls());
            Optional<Wrapping> moved = target.rewrapFrom(id, g.wrapping());
            assertEquals(Map.of("ReEncrypt", 1), f.kms.callCounts(), "one ReEncrypt, no Decrypt/Encrypt");
            assertTrue(moved.isPresent());
            assertEquals("kms-b", moved.get().keystoreName());
            assertEquals(b.arn(), moved.get().masterKeyId());
            try (DataKey back = target.unwrap(id, moved.get())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
    }

    @Test
    void reEncryptFromDisabledSourceKey_blamesSourceKeystore() {
        AwsKmsKeystore source = f.open("kms-a", a.arn());
        AwsKmsKeystore target = f.open("kms-b", b.arn(), s -> s.put("former-key-arns", a.arn()));
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = source.generateDataKey(id)) {
            f.kms.disableKey(a.keyId());
            KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> target.rewrap(id, g.wrapping()));
            assertEquals(MasterKeyState.DISABLED, e.state());
            assertEquals("kms-a", e.keystoreName(), e.getMessage());
        }
    }

    @Test
    void reWrapFromNonKmsWrapping_isEmpty() {
        AwsKmsKeystore target = f.open("kms-b", b.arn());
        Wrapping local = new Wrapping("local", "dataenc-master/0123456789abcdef", "1", new byte[40]);
        assertEquals(Optional.empty(), target.rewrapFrom(CdkId.random(), local));
        Wrapping otherRegion = new Wrapping("eu", "arn:aws:kms:eu-west-1:" + KmsTestServer.ACCOUNT + ":key/" + a.keyId(), "", new byte[40]);
        assertEquals(Optional.empty(), target.rewrapFrom(CdkId.random(), otherRegion));
        assertEquals(0, f.kms.totalCalls());
    }

    @Test
    void encryptionContextOfAnotherCdk_failsAsWrappedKeyError() {
        AwsKmsKeystore ks = f.open("kms", a.arn());
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            WrappedKeyException e = assertThrows(WrappedKeyException.class, () -> ks.unwrap(CdkId.random(), g.wrapping()));
            assertTrue(e.getMessage().contains("dataenc:cdk-id"), e.getMessage());
        }
    }

    @Test
    void generatedWrapping_carriesCdkIdEncryptionContext() {
        AwsKmsKeystore ks = f.open("kms", a.arn());
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id); KmsClient client = f.kms.newClient()) {
            byte[] plain = client.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(g.wrapping().wrappedKey()))
                    .encryptionContext(Map.of("dataenc:cdk-id", id.toString()))).plaintext().asByteArray();
            assertTrue(java.security.MessageDigest.isEqual(g.key().getEncoded(), plain));
        }
    }

    @Test
    void generateAndUnwrap_makeOneKmsCallEach_plusOneDescribeKeyPerInstanceForAnAlias() {
        AwsKmsKeystore byArn = f.open("kms", a.arn());
        CdkId id = CdkId.random();
        f.kms.resetCounts();
        try (GeneratedDataKey g = byArn.generateDataKey(id); DataKey back = byArn.unwrap(id, g.wrapping())) {
            assertTrue(back.sameKeyAs(g.key()));
            assertEquals(Map.of("GenerateDataKey", 1, "Decrypt", 1), f.kms.callCounts(), "a key ARN needs no resolving");
        }
        AwsKmsKeystore byAlias = f.open("kms", "alias/dataenc");
        f.kms.resetCounts();
        for (int i = 0; i < 3; i++) {
            CdkId next = CdkId.random();
            try (GeneratedDataKey g = byAlias.generateDataKey(next); DataKey back = byAlias.unwrap(next, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
        assertEquals(Map.of("DescribeKey", 1, "GenerateDataKey", 3, "Decrypt", 3), f.kms.callCounts(),
                "the alias is resolved once per keystore instance");
    }

    @Test
    void wrappingUnderCurrentKey_isAcceptedWhateverKeystoreName() {
        AwsKmsKeystore first = f.open("first", a.arn());
        AwsKmsKeystore renamed = f.open("renamed", a.arn());
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = first.generateDataKey(id)) {
            assertTrue(renamed.canUnwrap(g.wrapping()));
            try (DataKey back = renamed.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
        }
    }

    @Test
    void toStringOfKeystore_hidesSecretKey() {
        AwsKmsKeystore ks = f.open("kms", a.arn());
        assertFalse(ks.toString().contains("test-secret"), ks.toString());
        assertFalse(ks.settings().toString().contains("test-secret"), ks.settings().toString());
    }
}
