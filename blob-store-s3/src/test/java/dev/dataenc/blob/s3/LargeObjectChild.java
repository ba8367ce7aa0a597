package dev.dataenc.blob.s3;

import dev.dataenc.migrate.BlobStore;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * Child JVM for {@link S3BlobStoreLargeObjectTest}, started with a heap smaller than the object: reads the object
 * through {@link S3BlobStore} (printing its SHA-256) and replaces it with a file of the same size. Prints
 * {@code DONE <sha256 read>}; an object held whole in memory would end in {@link OutOfMemoryError}.
 *
 * <p>Arguments: endpoint, bucket, key, replacement file.
 */
public final class LargeObjectChild {

    public static void main(String[] args) throws Exception {
        S3BlobStoreSettings settings = S3BlobStoreSettings.of(Map.of(S3BlobStoreSettings.BUCKET, args[1],
                S3BlobStoreSettings.REGION, S3Moto.REGION, S3BlobStoreSettings.ENDPOINT, args[0]));
        try (S3BlobStore store = S3BlobStore.open(settings)) {
            BlobStore.Version v = store.get(args[2]).orElseThrow();
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = v.open()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
            if (!store.replace(args[2], v, Path.of(args[3]))) {
                System.out.println("REFUSED");
                System.exit(4);
            }
            System.out.println("DONE " + HexFormat.of().formatHex(d.digest()));
        }
    }

    private LargeObjectChild() {
    }
}
