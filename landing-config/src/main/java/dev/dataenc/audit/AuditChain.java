package dev.dataenc.audit;

import dev.dataenc.cdk.CdkId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The audit trail's hash chain. Each entry's chain hash is the hex SHA-256 of
 * {@code prev_hash ‖ canonical content}, where {@code prev_hash} is the chain hash of the entry
 * before it ({@link #GENESIS} for the first chained entry) and the canonical content is, in this
 * order, the UTF-8 of {@code dataenc-audit-v1}, the time (ISO-8601 instant, microseconds), actor,
 * action, CDK id, keystore and detail, each as a 4-byte big-endian length then the bytes (length -1
 * for a missing value). Editing, deleting or reordering entries breaks the chain from that entry on.
 *
 * <p>The hash is not keyed: someone who can write the audit table can recompute every later hash.
 * Compare the head hash that {@code dataenc audit --verify} prints (and that each appended entry logs)
 * with one kept elsewhere to detect that.
 */
public final class AuditChain {

    /** The hash the first chained entry follows: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private static final byte[] VERSION = "dataenc-audit-v1".getBytes(StandardCharsets.UTF_8);

    private AuditChain() {
    }

    /** The chain hash of an entry following {@code prevHash}. */
    public static String hash(String prevHash, Instant at, String actor, AuditAction action, CdkId cdkId, String keystore,
                              String detail) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        field(sha, prevHash);
        sha.update(VERSION);
        field(sha, at.toString());
        field(sha, actor);
        field(sha, action.name());
        field(sha, cdkId == null ? null : cdkId.toString());
        field(sha, keystore);
        field(sha, detail);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void field(MessageDigest sha, String value) {
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes == null ? -1 : bytes.length).array());
        if (bytes != null) {
            sha.update(bytes);
        }
    }
}
