package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Settings are validated up front, with messages that name the setting. */
class AwsKmsSettingsTest {

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("key-id", "alias/dataenc");
        m.put("region", "eu-west-1");
        return m;
    }

    private static AwsKmsSettings parse(Map<String, String> m) {
        return AwsKmsSettings.parse(KeystoreSettings.of("kms", "aws-kms", m));
    }

    private static void assertRejected(Map<String, String> m, String setting) {
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> parse(m));
        assertTrue(e.getMessage().contains("'" + setting + "'"), e.getMessage());
    }

    @Test
    void minimalSettings_useSdkDefaults() {
        AwsKmsSettings s = parse(base());
        assertEquals(3, s.maxAttempts());
        assertEquals(Duration.ofSeconds(30), s.apiTimeout());
        assertTrue(s.credentials().isEmpty());
        assertTrue(s.endpoint().isEmpty());
    }

    @Test
    void durations_acceptUnitsAndIso() {
        Map<String, String> m = base();
        m.put("api-timeout", "PT10S");
        m.put("api-call-attempt-timeout", "750ms");
        m.put("max-backoff", "2m");
        AwsKmsSettings s = parse(m);
        assertEquals(Duration.ofSeconds(10), s.apiTimeout());
        assertEquals(Duration.ofMillis(750), s.apiCallAttemptTimeout());
        assertEquals(Duration.ofMinutes(2), s.maxBackoff());
    }

    @Test
    void missingKeyId_isRejected() {
        Map<String, String> noKey = base();
        noKey.remove("key-id");
        assertRejected(noKey, "key-id");
    }

    @Test
    void badValues_areRejectedNamingTheSetting() {
        Map<String, String> m = base();
        m.put("api-timeout", "soon");
        assertRejected(m, "api-timeout");
        m = base();
        m.put("max-attempts", "0");
        assertRejected(m, "max-attempts");
        m = base();
        m.put("endpoint", "127.0.0.1:4566");
        assertRejected(m, "endpoint");
        m = base();
        m.put("region", "Europe");
        assertRejected(m, "region");
        m = base();
        m.put("endpoint", "http://example.com");
        assertRejected(m, "endpoint");
        m = base();
        m.put("key-id", "arn:aws:s3:::bucket");
        assertRejected(m, "key-id");
        m = base();
        m.put("key-id", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertRejected(m, "key-id");
    }

    @Test
    void halfStaticCredentials_areRejected() {
        Map<String, String> m = base();
        m.put("access-key-id", "AKIDEXAMPLE");
        assertRejected(m, "secret-access-key");
    }

    @Test
    void staticCredentials_secretNotShown() {
        Map<String, String> m = base();
        m.put("access-key-id", "AKIDEXAMPLE");
        m.put("secret-access-key", "wJalrXUtnFEMI");
        AwsKmsSettings s = parse(m);
        assertFalse(s.toString().contains("wJalrXUtnFEMI"), s.toString());
        assertTrue(s.toString().contains("AKIDEXAMPLE"));
    }

    @Test
    void httpEndpoint_nonLoopbackHost_isRefusedSayingHttps() {
        for (String url : List.of("http://example.com", "http://kms.eu-west-1.amazonaws.com", "http://10.0.0.1:4566",
                "http://127.0.0.1.example.com", "http://128.0.0.1", "http://[::2]:4566", "http://127.0.0.300",
                "http://0.0.0.0:4566")) {
            Map<String, String> m = base();
            m.put("endpoint", url);
            KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class, () -> parse(m), url);
            assertTrue(e.getMessage().contains("'endpoint'") && e.getMessage().contains("https://"), e.getMessage());
        }
    }

    @Test
    void httpEndpoint_loopbackHost_andAnyHttps_areAccepted() {
        for (String url : List.of("http://127.0.0.1:4566", "http://127.8.9.10", "http://localhost:4566",
                "http://LOCALHOST", "http://[::1]:4566", "https://example.com", "https://10.0.0.1:8443")) {
            Map<String, String> m = base();
            m.put("endpoint", url);
            assertEquals(url, parse(m).endpoint().orElseThrow().toString());
        }
    }

    @Test
    void regionShapes_newAndPartitionRegionsAreAccepted() {
        for (String region : List.of("eusc-de-east-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "us-isob-east-1",
                "mx-central-1")) {
            Map<String, String> m = base();
            m.put("region", region);
            assertEquals(region, parse(m).region());
        }
        for (String bad : List.of("Europe", "eu-west", "eu_west_1", "1-2-3", "eu-west-1; rm")) {
            Map<String, String> m = base();
            m.put("region", bad);
            assertRejected(m, "region");
        }
    }

    @Test
    void regionUnset_comesFromKeyArnElseSdkChainElseNamesTheSetting() {
        Map<String, String> m = base();
        m.remove("region");
        KeystoreSettings s = KeystoreSettings.of("kms", "aws-kms", m);
        assertEquals("eusc-de-east-1", AwsKmsSettings.parse(s, () -> Optional.of("eusc-de-east-1")).region());
        KeystoreConfigurationException e = assertThrows(KeystoreConfigurationException.class,
                () -> AwsKmsSettings.parse(s, Optional::empty));
        assertTrue(e.getMessage().contains("'region'") && e.getMessage().contains("AWS_REGION"), e.getMessage());

        m.put("key-id", "arn:aws:kms:ap-south-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertEquals("ap-south-2", AwsKmsSettings.parse(KeystoreSettings.of("kms", "aws-kms", m),
                () -> Optional.of("us-east-1")).region(), "a key ARN names its region");
    }

    @Test
    void formerKeyArns_parsedTrimmedDeduplicated_aliasesAndOtherRegionsRejected() {
        String k1 = "arn:aws:kms:eu-west-1:111122223333:key/1111abcd-12ab-34cd-56ef-1234567890ab";
        String k2 = "arn:aws:kms:eu-west-1:111122223333:key/2222abcd-12ab-34cd-56ef-1234567890ab";
        Map<String, String> m = base();
        m.put("former-key-arns", " " + k1 + ", " + k2 + "," + k1 + ", ");
        assertEquals(List.of(KeyArn.parse(k1).orElseThrow(), KeyArn.parse(k2).orElseThrow()), parse(m).formerKeyArns());
        for (String bad : List.of("arn:aws:kms:eu-west-1:111122223333:alias/old", "alias/old",
                "arn:aws:kms:us-east-1:111122223333:key/1111abcd-12ab-34cd-56ef-1234567890ab")) {
            Map<String, String> b = base();
            b.put("former-key-arns", bad);
            assertRejected(b, "former-key-arns");
        }
    }

    @Test
    void failureCacheTtl_defaultsToFiveSeconds_zeroTurnsItOff() {
        assertEquals(Duration.ofSeconds(5), parse(base()).failureCacheTtl());
        Map<String, String> m = base();
        m.put("failure-cache-ttl", "0");
        assertEquals(Duration.ZERO, parse(m).failureCacheTtl());
        m.put("failure-cache-ttl", "-1s");
        assertRejected(m, "failure-cache-ttl");
    }

    @Test
    void providerSettingNames_includeTheNewSettings() {
        assertTrue(new AwsKmsKeystoreProvider().settingNames().containsAll(List.of("former-key-arns", "failure-cache-ttl")));
    }
}
