package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.keystore.KeystoreSettings;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

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
    void missingKeyIdOrRegion_isRejected() {
        Map<String, String> noKey = base();
        noKey.remove("key-id");
        assertRejected(noKey, "key-id");
        Map<String, String> noRegion = base();
        noRegion.remove("region");
        assertRejected(noRegion, "region");
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
}
