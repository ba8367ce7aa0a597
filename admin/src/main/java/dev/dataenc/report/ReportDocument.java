package dev.dataenc.report;

/**
 * A top-level JSON document of one admin command. Every document starts with
 * {@code schemaVersion} and {@code command}.
 */
public interface ReportDocument {

    /** The schema version of every document in this package. */
    int SCHEMA_VERSION = 1;

    /** The schema version this document follows ({@value #SCHEMA_VERSION}). */
    int schemaVersion();

    /** The command that produced it, e.g. {@code "status"} or {@code "cdk list"}. */
    String command();
}
