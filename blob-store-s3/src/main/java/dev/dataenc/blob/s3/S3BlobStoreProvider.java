package dev.dataenc.blob.s3;

import dev.dataenc.migrate.BlobStore;
import dev.dataenc.migrate.BlobStoreProvider;

import java.util.Map;

/**
 * {@link BlobStoreProvider} of type {@value #TYPE}: an {@link S3BlobStore} from {@link S3BlobStoreSettings}
 * ({@code bucket}, {@code prefix}, {@code region}, {@code endpoint}, {@code path-style}).
 */
public final class S3BlobStoreProvider implements BlobStoreProvider {

    /** The type name. */
    public static final String TYPE = "s3";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BlobStore open(Map<String, String> settings) {
        return S3BlobStore.open(S3BlobStoreSettings.of(settings));
    }
}
