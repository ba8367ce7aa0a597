/**
 * The JSON model of the admin commands' reports ({@code dataenc <command> --json}), documented in
 * {@code docs/JSON.md}: one document record per command (its first field is {@code schemaVersion},
 * {@value dev.dataenc.report.ReportDocument#SCHEMA_VERSION}), built from shared part records
 * ({@link dev.dataenc.report.CdkInfo}, {@link dev.dataenc.report.KeystoreInfo}, ...), written by
 * {@link dev.dataenc.report.ReportJson}. The same records are meant for the web landing page.
 *
 * <p>Stability: fields are only ever added within a schema version; renaming, removing or changing
 * the type or meaning of a field raises {@code schemaVersion}. Times are ISO-8601 UTC strings,
 * CDK ids UUID strings, absent values {@code null} (the field is always present). Nothing here
 * holds key bytes, wrapped keys, passwords or data.
 */
package dev.dataenc.report;
