package dev.dataenc.kms.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreInvalidStateException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;

/** The test server's KMS protocol, driven directly by the real SDK client. */
class KmsTestServerProtocolTest {

    private static final Map<String, String> CTX = Map.of("purpose", "test");

    private KmsTestServer server;
    private KmsClient kms;

    @BeforeEach
    void setUp() {
        server = KmsTestServer.start();
        kms = server.newClient();
    }

    @AfterEach
    void tearDown() {
        kms.close();
        server.close();
    }

    private KeyMetadata createKey() {
        return kms.createKey(r -> r.description("protocol test")).keyMetadata();
    }

    private GenerateDataKeyResponse generate(String keyId) {
        return kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(CTX));
    }

    @Test
    void createKey_isEnabledSymmetricKeyWithArn() {
        KeyMetadata m = createKey();
        assertEquals(KeyState.ENABLED, m.keyState());
        assertEquals("arn:aws:kms:us-east-1:111122223333:key/" + m.keyId(), m.arn());
        assertEquals(OriginType.AWS_KMS, m.origin());
        assertTrue(m.enabled());
        assertNotNull(m.creationDate());
    }

    @Test
    void decryptWithoutKeyId_findsKeyFromCiphertext() {
        KeyMetadata m = createKey();
        GenerateDataKeyResponse g = generate(m.keyId());
        assertEquals(32, g.plaintext().asByteArray().length);
        DecryptResponse d = kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).encryptionContext(CTX));
        assertEquals(m.arn(), d.keyId());
        assertEquals(g.plaintext(), d.plaintext());
    }

    @Test
    void decryptWithAnotherKeysId_failsIncorrectKey() {
        KeyMetadata a = createKey();
        KeyMetadata b = createKey();
        GenerateDataKeyResponse g = generate(a.arn());
        assertThrows(IncorrectKeyException.class, () -> kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob())
                .encryptionContext(CTX).keyId(b.keyId())));
    }

    @Test
    void decryptWithOtherEncryptionContext_failsInvalidCiphertext() {
        GenerateDataKeyResponse g = generate(createKey().keyId());
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob())
                .encryptionContext(Map.of("purpose", "other"))));
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob())));
    }

    @Test
    void generateDataKeyWithoutPlaintext_returnsOnlyCiphertext() {
        KeyMetadata m = createKey();
        var r = kms.generateDataKeyWithoutPlaintext(b -> b.keyId(m.keyId()).numberOfBytes(16).encryptionContext(CTX));
        DecryptResponse d = kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob()).encryptionContext(CTX));
        assertEquals(16, d.plaintext().asByteArray().length);
    }

    @Test
    void generateDataKeyWithSpecAndLength_failsValidation() {
        KeyMetadata m = createKey();
        assertValidationError(() -> kms.generateDataKey(r -> r.keyId(m.keyId()).keySpec(DataKeySpec.AES_256).numberOfBytes(32)));
    }

    @Test
    void scheduleKeyDeletionWindowOfSixDays_failsValidation() {
        KeyMetadata m = createKey();
        KmsException e = assertValidationError(() -> kms.scheduleKeyDeletion(r -> r.keyId(m.keyId()).pendingWindowInDays(6)));
        assertTrue(e.awsErrorDetails().errorMessage().contains("pendingWindowInDays"));
        assertValidationError(() -> kms.scheduleKeyDeletion(r -> r.keyId(m.keyId()).pendingWindowInDays(31)));
        assertEquals(KeyState.ENABLED, kms.describeKey(r -> r.keyId(m.keyId())).keyMetadata().keyState());
    }

    @Test
    void scheduledDeletion_blocksUseAndCancelLeavesKeyDisabled() {
        KeyMetadata m = createKey();
        GenerateDataKeyResponse g = generate(m.keyId());
        ScheduleKeyDeletionResponse s = kms.scheduleKeyDeletion(r -> r.keyId(m.arn()).pendingWindowInDays(7));
        assertEquals(KeyState.PENDING_DELETION, s.keyState());
        assertEquals(7, s.pendingWindowInDays());
        assertNotNull(s.deletionDate());
        assertThrows(KmsInvalidStateException.class, () -> kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).encryptionContext(CTX)));
        assertThrows(KmsInvalidStateException.class, () -> kms.enableKey(r -> r.keyId(m.keyId())));

        kms.cancelKeyDeletion(r -> r.keyId(m.keyId()));
        KeyMetadata after = kms.describeKey(r -> r.keyId(m.keyId())).keyMetadata();
        assertEquals(KeyState.DISABLED, after.keyState());
        assertEquals(null, after.deletionDate());
        assertThrows(DisabledException.class, () -> kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).encryptionContext(CTX)));
        kms.enableKey(r -> r.keyId(m.keyId()));
        assertEquals(g.plaintext(), kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).encryptionContext(CTX)).plaintext());
    }

    @Test
    void aliases_resolveByNameAndArnAndFollowUpdates() {
        KeyMetadata a = createKey();
        KeyMetadata b = createKey();
        kms.createAlias(r -> r.aliasName("alias/app").targetKeyId(a.keyId()));
        assertEquals(a.arn(), kms.describeKey(r -> r.keyId("alias/app")).keyMetadata().arn());
        assertEquals(a.arn(), kms.describeKey(r -> r.keyId("arn:aws:kms:us-east-1:111122223333:alias/app")).keyMetadata().arn());
        kms.updateAlias(r -> r.aliasName("alias/app").targetKeyId(b.keyId()));
        assertEquals(b.arn(), generate("alias/app").keyId());
        assertEquals(1, kms.listAliases(r -> r.keyId(b.keyId())).aliases().size());
        kms.deleteAlias(r -> r.aliasName("alias/app"));
        assertThrows(NotFoundException.class, () -> kms.describeKey(r -> r.keyId("alias/app")));
        assertThrows(NotFoundException.class, () -> kms.describeKey(r -> r.keyId("arn:aws:kms:eu-west-1:111122223333:key/" + a.keyId())));
    }

    @Test
    void reEncrypt_movesCiphertextToAnotherKey() {
        KeyMetadata a = createKey();
        KeyMetadata b = createKey();
        GenerateDataKeyResponse g = generate(a.keyId());
        var re = kms.reEncrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).sourceEncryptionContext(CTX).sourceKeyId(a.arn())
                .destinationKeyId(b.keyId()).destinationEncryptionContext(Map.of("purpose", "moved")));
        assertEquals(a.arn(), re.sourceKeyId());
        assertEquals(b.arn(), re.keyId());
        DecryptResponse d = kms.decrypt(r -> r.ciphertextBlob(re.ciphertextBlob()).encryptionContext(Map.of("purpose", "moved")));
        assertEquals(g.plaintext(), d.plaintext());
    }

    @Test
    void rotateOnDemand_oldCiphertextStillDecrypts() {
        KeyMetadata m = createKey();
        GenerateDataKeyResponse g = generate(m.keyId());
        kms.enableKeyRotation(r -> r.keyId(m.keyId()));
        kms.rotateKeyOnDemand(r -> r.keyId(m.keyId()));
        assertTrue(kms.getKeyRotationStatus(r -> r.keyId(m.keyId())).keyRotationEnabled());
        assertEquals(g.plaintext(), kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).encryptionContext(CTX)).plaintext());
        assertEquals(2, server.backingKeyVersions(m.keyId()));
    }

    @Test
    void disconnectedExternalKeyStore_keyUnavailableAndCreateKeyRefused() {
        String store = server.createExternalKeyStore("xks");
        KmsTestServer.Key key = server.createKeyInCustomKeyStore(store);
        GenerateDataKeyResponse g = generate(key.keyId());
        kms.disconnectCustomKeyStore(r -> r.customKeyStoreId(store));

        assertEquals("DISCONNECTED", kms.describeCustomKeyStores(r -> r.customKeyStoreId(store)).customKeyStores().get(0).connectionStateAsString());
        assertEquals(KeyState.UNAVAILABLE, kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState());
        assertThrows(KmsInvalidStateException.class, () -> kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).encryptionContext(CTX)));
        assertThrows(CustomKeyStoreInvalidStateException.class, () -> kms.createKey(r -> r.origin(OriginType.EXTERNAL_KEY_STORE)
                .customKeyStoreId(store).xksKeyId("xks-2")));

        kms.connectCustomKeyStore(r -> r.customKeyStoreId(store));
        assertEquals(g.plaintext(), kms.decrypt(r -> r.ciphertextBlob(g.ciphertextBlob()).encryptionContext(CTX)).plaintext());
    }

    @Test
    void errorResponse_hasAwsJsonShape() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(server.endpoint().resolve("/"))
                .header("X-Amz-Target", "TrentService.DescribeKey")
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString("{\"KeyId\":\"alias/none\"}")).build();
        HttpResponse<String> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, resp.statusCode());
        assertEquals("NotFoundException", resp.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(resp.body().contains("\"__type\":\"NotFoundException\""), resp.body());
        assertEquals(1, server.callCount("DescribeKey"));
        server.resetCounts();
        assertEquals(0, server.totalCalls());
    }

    @Test
    void throttleEverything_sdkSeesThrottlingException() {
        KeyMetadata m = createKey();
        server.throttle(1.0, "Encrypt");
        try (KmsClient noRetry = KmsClient.builder().endpointOverride(server.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b"))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .build()) {
            var e = assertThrows(KmsException.class,
                    () -> noRetry.encrypt(r -> r.keyId(m.keyId()).plaintext(SdkBytes.fromUtf8String("x"))));
            assertTrue(e.isThrottlingException(), e.toString());
        }
    }

    @Test
    void unknownOperation_isReportedByName() {
        var e = assertThrows(KmsException.class, () -> kms.generateRandom(r -> r.numberOfBytes(8)));
        assertTrue(e.awsErrorDetails().errorMessage().contains("GenerateRandom"), e.getMessage());
        assertEquals(URI.create("http://127.0.0.1:" + server.endpoint().getPort()), server.endpoint());
    }

    /** KMS's ValidationException is a common error the SDK does not model: a KmsException with that error code. */
    private static KmsException assertValidationError(Runnable call) {
        KmsException e = assertThrows(KmsException.class, call::run);
        assertEquals("ValidationException", e.awsErrorDetails().errorCode(), e.toString());
        return e;
    }
}
