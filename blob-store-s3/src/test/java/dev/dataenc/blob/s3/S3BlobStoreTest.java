package dev.dataenc.blob.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.migrate.BlobStore;
import dev.dataenc.migrate.BlobStoreRecordSource;
import dev.dataenc.migrate.RecordSourceException;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@link S3BlobStore} through the real SDK over HTTP against moto: listing across pages, versions by ETag,
 * conditional reads and writes (an application write made before the replace is kept), typed errors.
 */
class S3BlobStoreTest {

    private static S3Moto moto;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        moto = S3Moto.startOrSkip();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private S3BlobStore store(String bucket, String prefix, Runnable beforePut, Integer pageSize) {
        S3BlobStoreSettings s = S3BlobStoreSettings.of(moto.settings(bucket, prefix));
        return new S3BlobStore(s, S3BlobStore.open(s).client(), beforePut, pageSize);
    }

    private static byte[] read(BlobStore.Version v) throws Exception {
        try (InputStream in = v.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void listGetReplace_roundTrip_sortedAcrossPagesUnderThePrefix_metadataKept() throws Exception {
        String bucket = moto.createBucket();
        List<String> keys = List.of("a", "b/1", "b/2", "c.pdf", "z", "é-unicode", "\uD83D\uDE00-astral");
        for (String k : keys) {
            moto.put(bucket, "docs/" + k, bytes("ciphertext of " + k));
        }
        moto.put(bucket, "docs/folder/", new byte[0]); // a console "folder" marker
        moto.put(bucket, "other/x", bytes("outside the prefix"));
        moto.app().putObject(b -> b.bucket(bucket).key("docs/typed").contentType("application/pdf")
                .metadata(Map.of("owner", "app")), RequestBody.fromBytes(bytes("typed")));
        try (S3BlobStore store = store(bucket, "docs", () -> { }, 2)) {
            assertEquals("s3://" + bucket + "/docs/", store.name());
            List<String> expected = new java.util.ArrayList<>(keys);
            expected.add("typed");
            expected.sort(null);
            assertEquals(expected, store.keys(), "every page, String order, prefix stripped, marker skipped");

            BlobStore.Version v = store.get("typed").orElseThrow();
            assertEquals(5, v.length());
            assertArrayEquals(bytes("typed"), read(v));
            Path fresh = Files.write(dir.resolve("fresh"), bytes("re-encrypted, longer"));
            assertTrue(store.replace("typed", v, fresh));
            assertArrayEquals(bytes("re-encrypted, longer"), moto.get(bucket, "docs/typed"));
            HeadObjectResponse h = moto.app().headObject(b -> b.bucket(bucket).key("docs/typed"));
            assertEquals("application/pdf", h.contentType());
            assertEquals(Map.of("owner", "app"), h.metadata());
            assertEquals(20, store.get("typed").orElseThrow().length());
            assertTrue(store.get("missing").isEmpty());
            assertFalse(store.replace("typed", v, fresh), "the version read before is no longer there");
        }
    }

    @Test
    void replace_afterAConcurrentOverwrite_refusedAndTheApplicationsObjectKept() throws Exception {
        String bucket = moto.createBucket();
        moto.put(bucket, "k", bytes("old ciphertext"));
        try (S3BlobStore store = store(bucket, "", () -> { }, null)) {
            BlobStore.Version v = store.get("k").orElseThrow();
            moto.put(bucket, "k", bytes("the application's new object"));
            assertThrows(NoSuchFileException.class, () -> read(v), "GetObject If-Match: the version read is gone");
            assertFalse(store.replace("k", v, Files.write(dir.resolve("new"), bytes("migrated"))));
            assertArrayEquals(bytes("the application's new object"), moto.get(bucket, "k"));

            moto.app().deleteObject(b -> b.bucket(bucket).key("k"));
            assertFalse(store.replace("k", v, dir.resolve("new")), "a deleted object is not recreated");
            assertTrue(moto.app().listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty());
        }
    }

    @Test
    void applicationWritesAfterTheDigestCheckJustBeforeThePut_ifMatchRefusesTheReplace() throws Exception {
        String bucket = moto.createBucket();
        byte[] old = bytes("old ciphertext");
        moto.put(bucket, "k", old);
        AtomicInteger puts = new AtomicInteger();
        // the window a digest compare cannot close: the application writes between our check and our PutObject
        Runnable app = () -> {
            if (puts.incrementAndGet() == 1) {
                moto.put(bucket, "k", bytes("written in the window"));
            }
        };
        try (BlobStoreRecordSource source = new BlobStoreRecordSource(store(bucket, "", app, null), "Doc.body")) {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(old);
            assertFalse(source.writeBinary("k", 0, sha, Files.write(dir.resolve("new"), bytes("migrated"))));
            assertEquals(1, puts.get());
            assertArrayEquals(bytes("written in the window"), moto.get(bucket, "k"), "the application's write is kept");
        }
    }

    @Test
    void objectRewrittenBetweenHeadAndGet_recordSourceReadsTheNewObjectInsteadOfTakingItForDeleted() throws Exception {
        String bucket = moto.createBucket();
        moto.put(bucket, "k", bytes("old ciphertext"));
        S3BlobStore s3 = store(bucket, "", () -> { }, null);
        AtomicInteger heads = new AtomicInteger();
        BlobStore racing = new BlobStore() { // the application rewrites k right after the first HeadObject
            @Override
            public String name() {
                return s3.name();
            }

            @Override
            public List<String> keys() {
                return s3.keys();
            }

            @Override
            public java.util.Optional<Version> get(String key) {
                java.util.Optional<Version> v = s3.get(key);
                if (heads.incrementAndGet() == 1) {
                    moto.put(bucket, key, bytes("the application's new object"));
                }
                return v;
            }

            @Override
            public boolean replace(String key, Version expected, Path content) throws java.io.IOException {
                return s3.replace(key, expected, content);
            }
        };
        try (s3; BlobStoreRecordSource source = new BlobStoreRecordSource(racing, "Doc.body")) {
            byte[][] read = new byte[1][];
            assertTrue(source.readBinary("k", 0, (in, length) -> read[0] = in.readAllBytes()),
                    "the object is there: not gone");
            assertEquals(2, heads.get(), "looked up again after the conditional GetObject failed");
            assertArrayEquals(bytes("the application's new object"), read[0]);
        }
    }

    @Test
    void missingBucket_typedErrorNamingItAndWhatToCheck() {
        try (S3BlobStore store = moto.store("no-such-bucket-here", "")) {
            S3BucketNotFoundException e = assertThrows(S3BucketNotFoundException.class, store::keys);
            assertTrue(e.getMessage().contains("'no-such-bucket-here' does not exist"), e.getMessage());
            assertTrue(e.getMessage().contains("--s3-bucket"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertInstanceOf(RecordSourceException.class, e);
        }
    }

    @Test
    void unreachableEndpoint_typedErrorNamingTheEndpoint() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> s = moto.settings("b-unreachable", "");
        s.put(S3BlobStoreSettings.ENDPOINT, "http://127.0.0.1:" + port);
        try (S3BlobStore store = S3BlobStore.open(S3BlobStoreSettings.of(s))) {
            S3BlobStoreException e = assertThrows(S3BlobStoreException.class, store::keys);
            assertTrue(e.getMessage().startsWith("cannot reach S3 for ListObjectsV2"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }
}
