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
}
