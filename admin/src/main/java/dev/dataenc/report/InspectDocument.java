package dev.dataenc.report;

import dev.dataenc.envelope.CiphertextInfo;

/**
 * {@code dataenc inspect ... --json}: what a ciphertext's header and length say, and its CDK as the registry
 * knows it. Nothing was decrypted or changed.
 *
 * @param schemaVersion   {@value ReportDocument#SCHEMA_VERSION}
 * @param command         {@code "inspect"}
 * @param input           {@code "argument"}, {@code "stdin"} or {@code "file"}
 * @param file            the file inspected, or null
 * @param kind            {@code PROPERTY} or {@code BLOB}
 * @param encoding        {@code TEXT} ({@code dataenc:v1:...}) or {@code BINARY}
 * @param formatVersion   the format version (1)
 * @param suiteId         the algorithm suite id (1 property, 2 BLOB)
 * @param suite           the suite's name
 * @param cdkId           the CDK it was encrypted under
 * @param ciphertextBytes length of the binary form; -1 for a BLOB read from a stream (only its header was read)
 * @param plaintextBytes  length of the plaintext it holds; -1 when {@code ciphertextBytes} is
 * @param segmentSize     plaintext bytes per segment (BLOB), 0 for a property value
 * @param segmentCount    segments (BLOB), 0 for a property value; -1 when {@code ciphertextBytes} is
 * @param registry        whether the registry was consulted, and why not
 * @param cdk             that CDK in the registry (status, wrappings, usage), or null if the registry does not
 *                        know it or was not consulted
 */
public record InspectDocument(int schemaVersion, String command, String input, String file, String kind,
                              String encoding, int formatVersion, int suiteId, String suite, String cdkId,
                              long ciphertextBytes, long plaintextBytes, int segmentSize, long segmentCount,
                              RegistryLookup registry, CdkInfo cdk) implements ReportDocument {

    /**
     * Whether the registry was consulted.
     *
     * @param consulted true if it was opened and asked about the CDK
     * @param cdkKnown  true if it knows the CDK
     * @param error     why it could not be consulted, or null
     */
    public record RegistryLookup(boolean consulted, boolean cdkKnown, String error) {
    }

    /** The document for {@code info}, read from {@code input} ({@code file} or null). */
    public static InspectDocument of(String input, String file, CiphertextInfo info, RegistryLookup registry,
                                     CdkInfo cdk) {
        return new InspectDocument(SCHEMA_VERSION, "inspect", input, file, info.kind().name(), info.encoding().name(),
                info.formatVersion(), info.suiteId(), info.suiteName(), info.cdkId().toString(), info.ciphertextBytes(),
                info.plaintextBytes(), info.segmentSize(), info.segmentCount(), registry, cdk);
    }
}
