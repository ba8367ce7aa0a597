package dev.dataenc.blob.s3;

import dev.dataenc.migrate.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A {@link BlobStore} over the objects of an S3 (or S3-compatible) bucket under a key prefix, on the AWS SDK v2
 * with the {@code url-connection-client}. A {@link Version} is the object's ETag and length (from
 * {@code HeadObject}); {@link Version#open()} is a {@code GetObject} with {@code If-Match} on that ETag, so a
 * replaced object is never read as the one that was compared; {@link #replace} is a {@code PutObject} with
 * {@code If-Match} on that ETag (S3 conditional write): S3 stores the new object only if the key still holds that
 * version, atomically, so an application write made at any time before it is kept. Uploads stream from the file
 * ({@code RequestBody.fromFile}, fixed-length streaming), downloads stream from the response: no object is ever
 * whole in memory. The replace keeps the content type, user metadata, storage class and SSE-KMS key of the object;
 * object tags and ACLs are not carried over. A single {@code PutObject} takes up to 5 GiB.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /** The largest object a single (conditional) {@code PutObject} accepts. */
    static final long MAX_PUT = 5L * 1024 * 1024 * 1024;

    private final S3BlobStoreSettings settings;
    private final S3Client client;
    private final Runnable beforePut;
    private final Integer pageSize;

    /** A store with its own SDK client (credentials from the SDK default chain); close it to release the client. */
    public static S3BlobStore open(S3BlobStoreSettings settings) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .forcePathStyle(settings.pathStyle());
        settings.region().map(Region::of).ifPresent(b::region);
        settings.endpoint().ifPresent(b::endpointOverride);
        try {
            return new S3BlobStore(settings, b.build(), () -> { }, null);
        } catch (SdkException e) {
            throw S3Errors.map(e, "create the S3 client", settings.location(), settings);
        }
    }

    /**
     * As {@link #open}, with the client given, running {@code beforePut} just before each PutObject (tests race
     * there), listing {@code pageSize} keys per page (null: S3's default, 1000).
     */
    S3BlobStore(S3BlobStoreSettings settings, S3Client client, Runnable beforePut, Integer pageSize) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        this.beforePut = Objects.requireNonNull(beforePut, "beforePut");
        this.pageSize = pageSize;
    }

    /** {@code s3://bucket/prefix}. */
    @Override
    public String name() {
        return settings.location();
    }

    private String objectKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an empty key names no object");
        }
        return settings.prefix() + key;
    }

    private String where(String key) {
        return "s3://" + settings.bucket() + "/" + objectKey(key);
    }

    /** Every key under the prefix (without it), listed page by page; "folder" markers (ending in /) are skipped. */
    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(settings.bucket())
                    .prefix(settings.prefix().isEmpty() ? null : settings.prefix()).maxKeys(pageSize)).contents()) {
                String k = o.key().substring(settings.prefix().length());
                if (!k.isEmpty() && !k.endsWith("/")) {
                    keys.add(k);
                }
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "ListObjectsV2", name(), settings);
        }
        keys.sort(null); // S3 lists in UTF-8 byte order; the SPI wants String order
        return keys;
    }

    /** One object as read by HeadObject: what the conditional requests compare, and what a replace keeps. */
    private record S3Version(S3BlobStore store, String key, String etag, long length, String contentType,
                             Map<String, String> metadata, String storageClass, ServerSideEncryption sse,
                             String kmsKeyId) implements Version {
        @Override
        public InputStream open() throws IOException {
            return store.open(this);
        }

        @Override
        public String toString() {
            return "S3Version[" + key + ", " + etag + ", " + length + " bytes]";
        }
    }

    @Override
    public Optional<Version> get(String key) {
        try {
            HeadObjectResponse h = client.headObject(r -> r.bucket(settings.bucket()).key(objectKey(key)));
            return Optional.of(new S3Version(this, key, h.eTag(), h.contentLength(), h.contentType(),
                    h.hasMetadata() ? Map.copyOf(h.metadata()) : Map.of(), h.storageClassAsString(),
                    h.serverSideEncryption(), h.ssekmsKeyId()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Errors.map(e, "HeadObject", where(key), settings);
        } catch (SdkException e) {
            throw S3Errors.map(e, "HeadObject", where(key), settings);
        }
    }

    private InputStream open(S3Version v) throws IOException {
        try {
            return client.getObject(r -> r.bucket(settings.bucket()).key(objectKey(v.key())).ifMatch(v.etag()));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new S3ObjectChangedException(where(v.key()));
            }
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(where(v.key()));
            }
            throw S3Errors.map(e, "GetObject", where(v.key()), settings);
        } catch (SdkException e) {
            throw S3Errors.map(e, "GetObject", where(v.key()), settings);
        }
    }

    /**
     * {@code PutObject} of {@code content} with {@code If-Match: <expected ETag>}: S3 refuses it (412, or 404 when
     * the object was deleted, or 409 when another conditional write races it) unless the key still holds exactly the
     * version that was read; then nothing changes and this returns false.
     */
    @Override
    public boolean replace(String key, Version expected, Path content) throws IOException {
        if (!(expected instanceof S3Version v) || v.store() != this || !v.key().equals(key)) {
            throw new IllegalArgumentException("the expected version of " + key + " must come from get(" + key
                    + ") of this store");
        }
        long size = Files.size(content);
        if (size > MAX_PUT) {
            throw new IOException("the re-encrypted object is " + size + " bytes, more than the 5 GiB a single"
                    + " conditional PutObject takes; it is left as it was");
        }
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(settings.bucket()).key(objectKey(key))
                .ifMatch(v.etag()).contentLength(size).contentType(v.contentType()).metadata(v.metadata());
        if (v.storageClass() != null) {
            put.storageClass(v.storageClass());
        }
        if (v.sse() != null && v.sse() != ServerSideEncryption.AES256 && v.sse() != ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
            put.serverSideEncryption(v.sse());
            if (v.kmsKeyId() != null) {
                put.ssekmsKeyId(v.kmsKeyId());
            }
        }
        beforePut.run();
        try {
            client.putObject(put.build(), RequestBody.fromFile(content));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404 || e.statusCode() == 409) {
                return false; // changed, deleted, or a concurrent conditional write: the application's object stays
            }
            throw S3Errors.map(e, "PutObject", where(key), settings);
        } catch (SdkException e) {
            throw S3Errors.map(e, "PutObject", where(key), settings);
        }
    }

    /** The SDK client (tests build a second store on it). */
    S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + name() + settings.endpoint().map(u -> " at " + u).orElse("") + "]";
    }
}
