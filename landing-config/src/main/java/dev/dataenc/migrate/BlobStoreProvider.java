package dev.dataenc.migrate;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes {@link BlobStore}s of one type from settings; found with {@link ServiceLoader}, so that a store whose client
 * library is large (the S3 one, module {@code blob-store-s3}) is on the class path only where it is used.
 */
public interface BlobStoreProvider {

    /** The store type, e.g. {@code s3}. */
    String type();

    /**
     * A store with these settings (names as the implementation documents them); a store that holds resources is
     * also {@link AutoCloseable} ({@link BlobStoreRecordSource#close()} closes it).
     *
     * @throws RecordSourceException for missing or invalid settings, naming the setting
     */
    BlobStore open(Map<String, String> settings);

    /**
     * The provider of {@code type} on the class path.
     *
     * @throws RecordSourceException if there is none, naming the module to add
     */
    static BlobStoreProvider of(String type) {
        for (BlobStoreProvider p : ServiceLoader.load(BlobStoreProvider.class, BlobStoreProvider.class.getClassLoader())) {
            if (p.type().equals(type)) {
                return p;
            }
        }
        throw new RecordSourceException("no blob store of type '" + type + "' on the class path: add the module"
                + " dev.dataenc:blob-store-" + type + " (with its dependencies) to the class path and run again");
    }
}
