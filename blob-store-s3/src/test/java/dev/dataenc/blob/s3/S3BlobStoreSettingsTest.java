package dev.dataenc.blob.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class S3BlobStoreSettingsTest {

    private static Map<String, String> base() {
        Map<String, String> s = new HashMap<>();
        s.put("bucket", "app-docs");
        return s;
    }

    @Test
    void bucketOnly_wholeBucketVirtualHostedDefaultRegionChain() {
        S3BlobStoreSettings s = S3BlobStoreSettings.of(base());
        assertEquals(new S3BlobStoreSettings("app-docs", "", Optional.empty(), Optional.empty(), false), s);
        assertEquals("s3://app-docs/", s.location());
    }

    @Test
    void prefixEndpointRegion_prefixEndsWithSlash_pathStyleWithAnEndpoint() {
        Map<String, String> m = base();
        m.put("prefix", "/attachments/2024");
        m.put("endpoint", "http://localhost:9000");
        m.put("region", "eu-west-1");
        S3BlobStoreSettings s = S3BlobStoreSettings.of(m);
        assertEquals("attachments/2024/", s.prefix());
        assertEquals(Optional.of(URI.create("http://localhost:9000")), s.endpoint());
        assertTrue(s.pathStyle());
        m.put("path-style", "false");
        assertFalse(S3BlobStoreSettings.of(m).pathStyle());
    }

    @Test
    void httpToANonLoopbackHost_refusedNamingHttps() {
        Map<String, String> m = base();
        m.put("endpoint", "http://s3.example.com");
        S3BlobStoreException e = assertThrows(S3BlobStoreException.class, () -> S3BlobStoreSettings.of(m));
        assertTrue(e.getMessage().contains("use https://s3.example.com"), e.getMessage());
        m.put("endpoint", "http://127.0.0.1.example.com:80");
        assertThrows(S3BlobStoreException.class, () -> S3BlobStoreSettings.of(m));
        m.put("endpoint", "http://[::1]:9000");
        assertTrue(S3BlobStoreSettings.of(m).endpoint().isPresent());
    }

    @Test
    void badValues_refusedNamingTheSetting() {
        assertThrows(S3BlobStoreException.class, () -> S3BlobStoreSettings.of(Map.of()));
        Map<String, String> m = base();
        m.put("bucket", "s3://app-docs/x");
        assertTrue(assertThrows(S3BlobStoreException.class, () -> S3BlobStoreSettings.of(m)).getMessage()
                .contains("--s3-prefix"));
        Map<String, String> r = base();
        r.put("region", "Europe");
        assertTrue(assertThrows(S3BlobStoreException.class, () -> S3BlobStoreSettings.of(r)).getMessage()
                .contains("--s3-region"));
        Map<String, String> u = base();
        u.put("acl", "private");
        assertTrue(assertThrows(S3BlobStoreException.class, () -> S3BlobStoreSettings.of(u)).getMessage()
                .contains("unknown S3 blob store setting 'acl'"));
    }
}
