package dev.dataenc.blob.s3;

import dev.dataenc.kms.testing.MotoServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * moto as an S3 server for tests (started and stopped by {@link MotoServer}, kms-keystore's helper), with an SDK
 * client playing the application: creates buckets, writes and reads objects behind the migration's back. Shipped in
 * blob-store-s3's test-jar for integration-tests. The stores under test take their credentials from the SDK default
 * chain: the surefire configuration sets {@code aws.accessKeyId}/{@code aws.secretAccessKey} (any value suits moto);
 * child JVMs need the same system properties ({@link #credentialProperties()}).
 */
public final class S3Moto implements AutoCloseable {

    /** The region of the test buckets. */
    public static final String REGION = MotoServer.REGION;

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final MotoServer moto;
    private final S3Client app;

    private S3Moto(MotoServer moto) {
        this.moto = moto;
        this.app = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOTO", "moto-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Starts moto (fails under {@code CI=true} without it, else skips the test). */
    public static S3Moto startOrSkip() {
        return new S3Moto(MotoServer.startOrSkip());
    }

    /** The application's client. */
    public S3Client app() {
        return app;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return moto.endpoint().toString();
    }

    /** Creates a new, empty bucket and returns its name. */
    public String createBucket() {
        String name = "dataenc-test-" + BUCKETS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
        app.createBucket(b -> b.bucket(name));
        return name;
    }

    /** Store settings for {@code bucket} under {@code prefix} on this moto. */
    public Map<String, String> settings(String bucket, String prefix) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(S3BlobStoreSettings.BUCKET, bucket);
        s.put(S3BlobStoreSettings.PREFIX, prefix);
        s.put(S3BlobStoreSettings.REGION, REGION);
        s.put(S3BlobStoreSettings.ENDPOINT, endpoint());
        return s;
    }

    /** A store over {@code bucket}/{@code prefix} on this moto (credentials from the default chain). */
    public S3BlobStore store(String bucket, String prefix) {
        return S3BlobStore.open(S3BlobStoreSettings.of(settings(bucket, prefix)));
    }

    /** The application writes an object. */
    public void put(String bucket, String key, byte[] content) {
        app.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /** The object's bytes now. */
    public byte[] get(String bucket, String key) {
        return app.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** {@code -Daws.accessKeyId=... -Daws.secretAccessKey=...} for a child JVM's default credentials chain. */
    public static String[] credentialProperties() {
        return new String[] {"-Daws.accessKeyId=AKIDMOTO", "-Daws.secretAccessKey=moto-secret"};
    }

    @Override
    public void close() {
        app.close();
        moto.close();
    }
}
