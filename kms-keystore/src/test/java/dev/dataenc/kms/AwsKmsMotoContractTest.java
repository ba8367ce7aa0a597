package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.keystore.KeystoreContractTest;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.kms.testing.MotoServer;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The keystore contract for {@code aws-kms} against moto, a KMS emulator written independently of this project:
 * the real SDK over HTTP, one key per keystore. Two contract cases depend on KMS behaviour moto does not have; they
 * are disabled here with the reason and run against {@link dev.dataenc.kms.testing.KmsTestServer} in
 * {@link AwsKmsKeystoreContractTest}. Without moto: fails under {@code CI=true}, skipped otherwise.
 */
@ExtendWith(AwsKmsMotoContractTest.MotoDifferences.class)
class AwsKmsMotoContractTest extends KeystoreContractTest {

    private static MotoServer moto;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.startOrSkip();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @Override
    protected Keystore newKeystore(String name) {
        MotoServer.Key key = moto.createKey();
        String alias = "alias/" + name + "-" + key.keyId();
        moto.createAlias(alias, key.keyId());
        return Keystores.create(KeystoreSettings.of(name, "aws-kms", moto.keystoreSettings(alias)));
    }

    @Override
    protected void disableMasterKey(Keystore keystore) {
        throw new UnsupportedOperationException("not run on moto (see MotoDifferences)");
    }

    @Override
    protected void enableMasterKey(Keystore keystore) {
        throw new UnsupportedOperationException("not run on moto (see MotoDifferences)");
    }

    @Override
    protected String expectedType() {
        return "aws-kms";
    }

    @Test
    void reEncryptFromListedFormerKey_onMoto_movesTheWrappingUnderTheNewKey() {
        MotoServer.Key a = moto.createKey();
        MotoServer.Key b = moto.createKey();
        AwsKmsKeystore source = (AwsKmsKeystore) Keystores.create(KeystoreSettings.of("kms-a", "aws-kms",
                moto.keystoreSettings(a.arn())));
        Map<String, String> s = moto.keystoreSettings(b.keyId());
        s.put("former-key-arns", a.arn());
        AwsKmsKeystore target = (AwsKmsKeystore) Keystores.create(KeystoreSettings.of("kms-b", "aws-kms", s));
        AwsKmsKeystore unlisted = (AwsKmsKeystore) Keystores.create(KeystoreSettings.of("kms-c", "aws-kms",
                moto.keystoreSettings(b.arn())));
        try (source; target; unlisted) {
            CdkId id = CdkId.random();
            try (GeneratedDataKey g = source.generateDataKey(id)) {
                Wrapping moved = target.rewrapFrom(id, g.wrapping()).orElseThrow();
                assertEquals(b.arn(), moved.masterKeyId(), "moto resolved the key id to key B's ARN");
                try (DataKey back = target.unwrap(id, moved)) {
                    assertTrue(back.sameKeyAs(g.key()));
                }
                assertFalse(unlisted.canUnwrap(g.wrapping()));
                assertThrows(UnacceptedKeyException.class, () -> unlisted.unwrap(id, g.wrapping()));
            }
        }
    }

    /** The contract cases moto cannot decide, each with the reason; they run against KmsTestServer. */
    static final class MotoDifferences implements ExecutionCondition {
        private static final Map<String, String> NOT_ON_MOTO = Map.of(
                "disabledMasterKey_failsWithStateAndRecoversWhenEnabled",
                "moto decrypts and generates data keys with a disabled key (and answers HTTP 500 to DisableKey by ARN)",
                "tamperedWrapping_fails",
                "moto answers AccessDeniedException when the key-id bytes of a ciphertext are altered, where KMS"
                        + " answers InvalidCiphertextException/IncorrectKeyException");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod().map(m -> NOT_ON_MOTO.get(m.getName()))
                    .map(why -> ConditionEvaluationResult.disabled("on KmsTestServer only: " + why))
                    .orElse(ConditionEvaluationResult.enabled("runs on moto"));
        }
    }
}
