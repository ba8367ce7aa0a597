package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.testing.KmsTestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each KMS key state gives its typed error, state and remedy; describe() reports it. */
class AwsKmsKeyStateTest {

    private KmsFixture f;
    private KmsTestServer.Key key;
    private AwsKmsKeystore ks;
    private CdkId id;
    private Wrapping wrapping;

    @BeforeEach
    void setUp() {
        f = new KmsFixture();
        key = f.kms.createKey();
        ks = f.open("kms", key.arn());
        id = CdkId.random();
        try (GeneratedDataKey g = ks.generateDataKey(id)) {
            wrapping = g.wrapping();
        }
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void disabledKey_unwrapFailsWithDisabledAndRemedy() {
        f.kms.disableKey(key.keyId());
        assertUnavailable(MasterKeyState.DISABLED, () -> ks.unwrap(id, wrapping));
        assertUnavailable(MasterKeyState.DISABLED, () -> ks.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.DISABLED, ks.describe().state());
    }

    @Test
    void pendingDeletionKey_failsWithPendingDeletionAndCancelRemedy() {
        f.kms.scheduleKeyDeletion(key.keyId(), 7);
        KeystoreUnavailableException e = assertUnavailable(MasterKeyState.PENDING_DELETION, () -> ks.unwrap(id, wrapping));
        assertTrue(e.getMessage().contains("CancelKeyDeletion"), e.getMessage());
        MasterKeyDescription d = ks.describe();
        assertEquals(MasterKeyState.PENDING_DELETION, d.state());
        assertTrue(d.detail().contains("DeletionDate="), d.detail());
    }

    @Test
    void pendingImportKey_failsWithPendingImport() {
        KmsTestServer.Key pending = f.kms.createPendingImportKey();
        AwsKmsKeystore p = f.open("pending", pending.keyId());
        assertUnavailable(MasterKeyState.PENDING_IMPORT, () -> p.generateDataKey(CdkId.random()));
        assertEquals(MasterKeyState.PENDING_IMPORT, p.describe().state());
    }

    @Test
    void unknownKey_failsWithNotFound() {
        AwsKmsKeystore missing = f.open("missing", "alias/does-not-exist");
        assertUnavailable(MasterKeyState.NOT_FOUND, () -> missing.generateDataKey(CdkId.random()));
        MasterKeyDescription d = missing.describe();
        assertEquals(MasterKeyState.NOT_FOUND, d.state());
        assertEquals("alias/does-not-exist", d.masterKeyId());
    }

    @Test
    void disconnectedExternalKeyStore_failsWithReconnectRemedyAndRecovers() {
        String store = f.kms.createExternalKeyStore("xks-test");
        KmsTestServer.Key xksKey = f.kms.createKeyInCustomKeyStore(store);
        AwsKmsKeystore x = f.open("xks", xksKey.arn());
        CdkId xid = CdkId.random();
        Wrapping w;
        try (GeneratedDataKey g = x.generateDataKey(xid)) {
            w = g.wrapping();
        }
        f.kms.disconnectCustomKeyStore(store);

        KeystoreUnavailableException e = assertUnavailable(MasterKeyState.EXTERNAL_STORE_DISCONNECTED, () -> x.unwrap(xid, w));
        assertTrue(e.getMessage().contains("ConnectCustomKeyStore"), e.getMessage());
        MasterKeyDescription d = x.describe();
        assertEquals(MasterKeyState.EXTERNAL_STORE_DISCONNECTED, d.state());
        assertTrue(d.detail().contains("ConnectionState=DISCONNECTED"), d.detail());

        f.kms.connectCustomKeyStore(store);
        assertEquals(MasterKeyState.ENABLED, x.describe().state());
        try (DataKey back = x.unwrap(xid, w)) {
            assertEquals(xid, back.cdkId());
        }
    }

    @Test
    void failedExternalKeyStore_describeShowsConnectionError() {
        String store = f.kms.createExternalKeyStore("xks-failing");
        AwsKmsKeystore x = f.open("xks", f.kms.createKeyInCustomKeyStore(store).keyId());
        f.kms.failCustomKeyStore(store, "XKS_PROXY_TIMED_OUT");
        MasterKeyDescription d = x.describe();
        assertEquals(MasterKeyState.EXTERNAL_STORE_DISCONNECTED, d.state());
        assertTrue(d.detail().contains("ConnectionState=FAILED") && d.detail().contains("XKS_PROXY_TIMED_OUT"), d.detail());
        assertUnavailable(MasterKeyState.EXTERNAL_STORE_DISCONNECTED, () -> x.generateDataKey(CdkId.random()));
    }

    @Test
    void unreachableEndpoint_failsWithUnreachable() {
        int deadPort;
        try (KmsTestServer gone = KmsTestServer.start()) {
            deadPort = gone.endpoint().getPort();
        }
        AwsKmsKeystore dead = f.open("dead", key.arn(), s -> {
            s.put("endpoint", "http://127.0.0.1:" + deadPort);
            s.put("max-attempts", "2");
        });
        KeystoreUnavailableException e = assertUnavailable(MasterKeyState.UNREACHABLE, () -> dead.unwrap(id, relabel(wrapping, "dead")));
        assertTrue(e.getMessage().contains("could not reach http://127.0.0.1:" + deadPort), e.getMessage());
        assertEquals(MasterKeyState.UNREACHABLE, dead.describe().state());
    }

    @Test
    void describe_reportsResolvedArnAndEnabled() {
        AwsKmsKeystore byAlias = f.open("alias", aliasFor(key));
        MasterKeyDescription d = byAlias.describe();
        assertEquals(key.arn(), d.masterKeyId());
        assertEquals(MasterKeyState.ENABLED, d.state());
        assertEquals("", d.masterKeyVersion());
    }

    private String aliasFor(KmsTestServer.Key k) {
        f.kms.createAlias("alias/state-test", k.keyId());
        return "alias/state-test";
    }

    private static Wrapping relabel(Wrapping w, String keystoreName) {
        return new Wrapping(keystoreName, w.masterKeyId(), w.masterKeyVersion(), w.wrappedKey());
    }

    private static KeystoreUnavailableException assertUnavailable(MasterKeyState state, Runnable call) {
        KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class, call::run);
        assertEquals(state, e.state(), e.getMessage());
        assertTrue(e.getMessage().contains(state.remedy()), e.getMessage());
        return e;
    }
}
