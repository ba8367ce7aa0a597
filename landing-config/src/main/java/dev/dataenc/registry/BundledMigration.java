package dev.dataenc.registry;

/**
 * One schema migration bundled with dataenc, as Flyway records it in the registry's schema history
 * ({@code dataenc_schema_history}) once applied.
 *
 * @param version     Flyway's version, e.g. {@code "12"}
 * @param description Flyway's description, from the file name ({@code "blob scan counts"})
 * @param script      the file name in {@code dev/dataenc/registry/migration/}
 * @param checksum    Flyway's checksum of the file
 */
record BundledMigration(String version, String description, String script, int checksum) {

    /**
     * Whether a schema history row records this migration. (Compared field by field rather than through the
     * record's {@code equals}, whose first call in a process costs a bootstrap that a start need not pay.)
     */
    boolean is(String appliedVersion, String appliedDescription, String appliedScript, int appliedChecksum) {
        return version.equals(appliedVersion) && description.equals(appliedDescription) && script.equals(appliedScript)
                && checksum == appliedChecksum;
    }
}
