package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.kms.testing.KmsTestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.internal.WebIdentityCredentialsUtils;

/**
 * The SDK's default credentials chain can use web identity (EKS IRSA) and SSO profiles: the {@code sts}, {@code sso}
 * and {@code ssooidc} modules are on the class path. A credentials failure says "credentials", not "could not reach".
 */
class AwsKmsCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void webIdentityTokens_stsModuleIsOnTheClassPath() {
        // throws "To use web identity tokens, the 'sts' service module must be on the class path" without it
        assertNotNull(WebIdentityCredentialsUtils.factory());
    }

    @Test
    void ssoProfileWithoutCachedToken_failsSayingCredentials_notMissingModule_notUnreachable() throws IOException {
        Path config = Files.writeString(dir.resolve("config"), """
                [profile dataenc-sso]
                sso_session = corp
                sso_account_id = 111122223333
                sso_role_name = Reader
                region = us-east-1

                [sso-session corp]
                sso_start_url = https://example.awsapps.com/start
                sso_region = us-east-1
                sso_registration_scopes = sso:account:access
                """);
        Path credentials = Files.writeString(dir.resolve("credentials"), "");
        Map<String, String> props = Map.of("aws.configFile", config.toString(), "aws.sharedCredentialsFile",
                credentials.toString(), "aws.profile", "dataenc-sso", "aws.disableEc2Metadata", "true");
        Map<String, String> saved = new HashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        try (KmsTestServer kms = KmsTestServer.start()) {
            KmsTestServer.Key key = kms.createKey();
            Map<String, String> s = kms.keystoreSettings(key.arn());
            s.remove("access-key-id");
            s.remove("secret-access-key");
            s.put("max-attempts", "1");
            try (AwsKmsKeystore ks = AwsKmsKeystore.open(dev.dataenc.keystore.KeystoreSettings.of("kms", "aws-kms", s))) {
                KeystoreUnavailableException e = assertThrows(KeystoreUnavailableException.class,
                        () -> ks.generateDataKey(CdkId.random()));
                assertEquals(MasterKeyState.UNREACHABLE, e.state());
                assertTrue(e.getMessage().contains("credentials"), e.getMessage());
                assertFalse(e.getMessage().contains("could not reach"), e.getMessage());
                assertFalse(e.getMessage().contains("must be on the class path"), e.getMessage());
                assertTrue(e.getMessage().contains("dataenc-sso"), "the SSO profile was tried: " + e.getMessage());
            }
            assertEquals(0, kms.totalCalls(), "nothing reached KMS without credentials");
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
