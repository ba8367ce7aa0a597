package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.KmsTestServer;

import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registry integrity: an aws-kms keystore unwraps and re-encrypts from only its configured key's resolved ARN and
 * the ARNs listed in {@code former-key-arns}, of the same partition and account, whatever the wrapping's recorded
 * keystore name. A registry writer who inserts a wrapping under a key of their own gets a typed refusal, and no
 * KMS call is made for it.
 */
class AwsKmsPinningTest {

    private static final String OTHER_ACCOUNT = "999988887777";

    private KmsFixture f;
    private KmsTestServer.Key a;
    private KmsTestServer.Key c;

    @BeforeEach
    void setUp() {
        f = new KmsFixture();
        a = f.kms.createKey();
        c = f.kms.createKey();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void wrappingNamingAnotherAccountsKey_isRefusedWithoutKmsCall() {
        AwsKmsKeystore ks = f.open("kms", a.arn());
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            String foreign = a.arn().replace(KmsTestServer.ACCOUNT, OTHER_ACCOUNT);
            Wrapping planted = new Wrapping("kms", foreign, "", g.wrapping().wrappedKey());
            assertFalse(ks.canUnwrap(planted));
            f.kms.resetCounts();
            UnacceptedKeyException e = assertThrows(UnacceptedKeyException.class, () -> ks.unwrap(id, planted));
            assertTrue(e.getMessage().contains(foreign) && e.getMessage().contains("accepts key " + a.arn()), e.getMessage());
            assertThrows(UnacceptedKeyException.class, () -> ks.rewrap(id, planted));
            assertEquals(Optional.empty(), ks.rewrapFrom(id, planted));
            assertEquals(0, f.kms.totalCalls(), f.kms.callCounts().toString());
        }
    }

    @Test
    void wrappingUnderAnotherKeyOfSameAccount_sameKeystoreName_isRefused() {
        // what a registry writer with kms:Encrypt on a key of their own would plant: a CDK they know, wrapped
        // correctly (right encryption context) under key C, labelled with the application's keystore name
        AwsKmsKeystore victim = f.open("kms", a.arn());
        AwsKmsKeystore writers = f.open("kms", c.arn());
        CdkId id = CdkId.random();
        try (DataKey known = DataKey.generate(id)) {
            Wrapping planted = writers.wrap(known);
            assertEquals("kms", planted.keystoreName());
            assertFalse(victim.canUnwrap(planted));
            UnacceptedKeyException e = assertThrows(UnacceptedKeyException.class, () -> victim.unwrap(id, planted));
            assertTrue(e.getMessage().contains(c.arn()) && e.getMessage().contains("'former-key-arns' (none)"), e.getMessage());
        }
    }

    @Test
    void listedFormerKey_unwrapsAndReEncryptsFrom_nonKeyArnsNever() {
        AwsKmsKeystore old = f.open("kms-c", c.arn());
        AwsKmsKeystore ks = f.open("kms", a.arn(), s -> s.put("former-key-arns", " " + c.arn() + " ,"));
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = old.generateDataKey(id)) {
            assertTrue(ks.canUnwrap(g.wrapping()));
            try (DataKey back = ks.unwrap(id, g.wrapping())) {
                assertTrue(back.sameKeyAs(g.key()));
            }
            Wrapping moved = ks.rewrapFrom(id, g.wrapping()).orElseThrow();
            assertEquals(a.arn(), moved.masterKeyId());
            Wrapping aliasNamed = new Wrapping("kms", "arn:aws:kms:" + KmsTestServer.REGION + ":" + KmsTestServer.ACCOUNT
                    + ":alias/x", "", g.wrapping().wrappedKey());
            assertFalse(ks.canUnwrap(aliasNamed), "an alias ARN can move: never accepted as a wrapping's key");
            assertFalse(ks.canUnwrap(new Wrapping("kms", "dataenc-master/x", "1", new byte[40])));
        }
    }

    @Test
    void formerKeyOfAnotherAccount_isAConfigurationError() {
        String foreign = c.arn().replace(KmsTestServer.ACCOUNT, OTHER_ACCOUNT);
        KeystoreConfigurationException byArn = assertThrows(KeystoreConfigurationException.class,
                () -> f.open("kms", a.arn(), s -> s.put("former-key-arns", foreign)));
        assertTrue(byArn.getMessage().contains("'former-key-arns'") && byArn.getMessage().contains(OTHER_ACCOUNT),
                byArn.getMessage());
        // key-id an alias: the account is known once KMS resolved it
        f.kms.createAlias("alias/app", a.keyId());
        AwsKmsKeystore byAlias = f.open("kms", "alias/app", s -> s.put("former-key-arns", foreign));
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class,
                () -> byAlias.generateDataKey(CdkId.random()));
        assertTrue(e.getMessage().contains(foreign), e.getMessage());
    }

    @Test
    void keyIdAlias_isResolvedOnceAndWrappingsNameTheResolvedKey() {
        f.kms.createAlias("alias/app", a.keyId());
        AwsKmsKeystore ks = f.open("kms", "alias/app");
        CdkId id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            f.kms.updateAlias("alias/app", c.keyId());
            Wrapping w = ks.wrap(g.key());
            assertEquals(a.arn(), w.masterKeyId(), "wraps under the key it accepts, not wherever the alias points now");
            assertTrue(ks.canUnwrap(w));
        }
        assertEquals(1, f.kms.callCount("DescribeKey"), f.kms.callCounts().toString());
    }
}
