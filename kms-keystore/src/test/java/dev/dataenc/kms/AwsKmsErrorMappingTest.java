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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KMS answers that the simulated keys cannot reach by themselves, scripted on the test server as real KMS sends
 * them (HTTP 400, {@code x-amzn-ErrorType}): a key pending deletion answering {@code DisabledException}, an external
 * key store proxy's {@code KMSInvalidStateException} for an Enabled key, {@code CustomKeyStoreInvalidStateException},
 * {@code LimitExceededException} and rejected credentials.
 */
class AwsKmsErrorMappingTest {

    private static final String XKS_BAD_INPUT = "The external key store proxy rejected the request because the specified"
            + " ciphertext or additional authenticated data is corrupted, missing, or otherwise invalid.";
    private static final String XKS_TIMEOUT = "The external key store proxy did not respond to the request within the"
            + " timeout allotted. Retry the request.";
    private static final String XKS_KEY_DISABLED = "The external key store proxy rejected the request because the"
            + " external key is not enabled in the external key manager.";

    private KmsFixture f;
    private AwsKmsKeystore ks;
    private KmsTestServer.Key key;
    private CdkId id;
    private Wrapping wrapping;

    @BeforeEach
    void setUp() {
        f = new KmsFixture();
        key = f.kms.createKey();
        ks = f.open("kms", key.arn(), s -> s.put("failure-cache-ttl", "0"));
        id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            wrapping = g.wrapping();
        }
        f.kms.resetCounts();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void pendingDeletionKeyAnsweringDisabledException_isPendingDeletion_neverTheEnableKeyRemedy() {
        f.kms.scheduleKeyDeletion(key.keyId(), 7);
        f.kms.answer("Decrypt", "DisabledException", key.arn() + " is disabled.", 1);
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, wrapping));
        assertEquals(MasterKeyState.PENDING_DELETION, e.state(), e.getMessage());
        assertTrue(e.getMessage().contains("CancelKeyDeletion"), e.getMessage());
        assertFalse(e.getMessage().contains(MasterKeyState.DISABLED.remedy()), e.getMessage());
        assertEquals(1, f.kms.callCount("DescribeKey"), "the state comes from DescribeKey: " + f.kms.callCounts());
    }

    @Test
    void enabledKeyInvalidStateAboutCiphertext_isWrappedKeyErrorWithKmsMessage() {
        f.kms.answer("Decrypt", "KMSInvalidStateException", XKS_BAD_INPUT, 5);
        WrappedKeyException e = assertThrows(WrappedKeyException.class, () -> ks.unwrap(id, wrapping));
        assertTrue(e.getMessage().contains(XKS_BAD_INPUT), e.getMessage());
        assertEquals(1, f.kms.callCount("Decrypt"), "a bad ciphertext is not retried: " + f.kms.callCounts());
    }

    @Test
    void enabledKeyTransientInvalidState_isRetriedAndSucceeds() {
        f.kms.answer("Decrypt", "KMSInvalidStateException", XKS_TIMEOUT, 1);
        try (DataKey back = ks.unwrap(id, wrapping)) {
            assertEquals(id, back.cdkId());
        }
        assertEquals(2, f.kms.callCount("Decrypt"), f.kms.callCounts().toString());
    }

    @Test
    void enabledKeyOtherInvalidState_isUnavailableKeepingKmsMessage() {
        f.kms.answer("Decrypt", "KMSInvalidStateException", XKS_KEY_DISABLED, 5);
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, wrapping));
        assertEquals(MasterKeyState.UNAVAILABLE, e.state());
        assertTrue(e.getMessage().contains(XKS_KEY_DISABLED) && e.getMessage().contains("Enabled"), e.getMessage());
        assertEquals(1, f.kms.callCount("Decrypt"), "not transient, not retried: " + f.kms.callCounts());
    }

    @Test
    void customKeyStoreInvalidState_isDisconnectedOnlyWhenTheStoreIs() {
        f.kms.answer("Decrypt", "CustomKeyStoreInvalidStateException", "the custom key store is not connected", 1);
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, wrapping));
        assertEquals(MasterKeyState.UNAVAILABLE, e.state(), "a key in no custom key store: " + e.getMessage());
        assertTrue(e.getMessage().contains("CustomKeyStoreInvalidStateException"), e.getMessage());

        String store = f.kms.createExternalKeyStore("xks");
        KmsTestServer.Key xks = f.kms.createKeyInCustomKeyStore(store);
        AwsKmsKeystore x = f.open("xks", xks.arn(), s -> s.put("failure-cache-ttl", "0"));
        f.kms.disconnectCustomKeyStore(store);
        f.kms.answer("GenerateDataKey", "CustomKeyStoreInvalidStateException", "the custom key store is not connected", 1);
        KeystoreUnavailableException d = assertThrows(KeystoreUnavailableException.class, () -> x.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.EXTERNAL_STORE_DISCONNECTED, d.state(), d.getMessage());
    }

    @Test
    void limitExceeded_isRetriedLikeThrottling_thenUnavailableNotUnreachable() {
        f.kms.answer("GenerateDataKey", "LimitExceededException", "request quota exceeded", 1);
        try (GeneratedDataKey g = ks.generateDataKey(CdkId.random())) {
            assertEquals(key.arn(), g.wrapping().masterKeyId());
        }
        assertEquals(2, f.kms.callCount("GenerateDataKey"), f.kms.callCounts().toString());

        f.kms.answer("GenerateDataKey", "LimitExceededException", "request quota exceeded", 100);
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.UNAVAILABLE, e.state(), e.getMessage());
        assertTrue(e.getMessage().contains("quota") && e.getMessage().contains("LimitExceededException"), e.getMessage());
        assertFalse(e.getMessage().contains("could not reach"), e.getMessage());
    }

    @Test
    void rejectedCredentials_sayCredentials() {
        f.kms.answer("Decrypt", "UnrecognizedClientException", "The security token included in the request is invalid.", 5);
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, () -> ks.unwrap(id, wrapping));
        assertTrue(e.getMessage().contains("credentials") && e.getMessage().contains("security token"), e.getMessage());
        assertFalse(e.getMessage().contains("could not reach"), e.getMessage());
    }
}
