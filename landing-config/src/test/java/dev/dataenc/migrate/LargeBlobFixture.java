package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Large BLOB ciphertexts in a host table {@code doc(id, body)}, written and read back as streams (the test JVM
 * never holds one whole either): the plaintext is {@link SeededBytes}, compared by its SHA-256.
 */
final class LargeBlobFixture {

    /** Bytes per read when the test reads a PostgreSQL value back (independently of the source under test). */
    private static final int READ_CHUNK = 4 * 1024 * 1024;

    private LargeBlobFixture() {
    }

    /** What was stored: the plaintext's digest and the ciphertext's CDK. */
    record Stored(byte[] plainSha256, CdkId cdk) {
    }

    /** A BLOB ciphertext waiting in a file, and what it holds. */
    record Encrypted(Path file, Stored stored) {
    }

    /** Encrypts {@code plainLength} seeded bytes under the ACTIVE CDK into a new file in {@code tmp}, as a stream. */
    static Encrypted encrypt(ControlPlane plane, long seed, long plainLength, Path tmp) throws Exception {
        Path file = Files.createTempFile(tmp, "large-blob-", ".ct");
        MessageDigest plain = BinaryReencryption.sha256();
        try (InputStream in = new DigestInputStream(new SeededBytes(seed, plainLength), plain);
             OutputStream out = Files.newOutputStream(file)) {
            plane.blobCipher().encrypt(in, out, BlobFixture.CONTEXT);
        }
        return new Encrypted(file, new Stored(plain.digest(), plane.registry().findActive().orElseThrow().id()));
    }

    /** Inserts ({@code insert}) or updates row {@code id} from the file as a stream, then deletes the file. */
    static Stored write(Databases dbs, String table, int id, Encrypted e, boolean insert) throws Exception {
        try (Connection c = dbs.host(); PreparedStatement s = c.prepareStatement(insert
                ? "INSERT INTO " + table + " (body, id) VALUES (?, ?)" : "UPDATE " + table + " SET body = ? WHERE id = ?");
             InputStream in = Files.newInputStream(e.file())) {
            s.setBinaryStream(1, in, Files.size(e.file()));
            s.setInt(2, id);
            s.executeUpdate();
        } finally {
            Files.deleteIfExists(e.file());
        }
        return e.stored();
    }

    /** {@link #encrypt} then {@link #write}. */
    static Stored put(ControlPlane plane, Databases dbs, String table, int id, long seed, long plainLength,
                      boolean insert, Path tmp) throws Exception {
        return write(dbs, table, id, encrypt(plane, seed, plainLength, tmp), insert);
    }

    /** Decrypts row {@code id} as a stream: the plaintext's digest and the CDK its header names. */
    static Stored read(ControlPlane plane, Databases dbs, String table, int id) throws Exception {
        try (Connection c = dbs.host()) {
            c.setAutoCommit(false);
            boolean pg = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            long length = length(c, table, id);
            try (InputStream in = pg ? chunks(c, table, id, length) : lob(c, table, id)) {
                java.io.BufferedInputStream bin = new java.io.BufferedInputStream(in, 1 << 16);
                bin.mark(1024);
                byte[] head = bin.readNBytes(dev.dataenc.envelope.CiphertextInfo.PROBE_LENGTH);
                bin.reset();
                CdkId cdk = dev.dataenc.envelope.CiphertextInfo.ofBinary(head, length).cdkId();
                MessageDigest plain = BinaryReencryption.sha256();
                try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), plain)) {
                    plane.blobCipher().decrypt(bin, sink, BlobFixture.CONTEXT);
                }
                return new Stored(plain.digest(), cdk);
            } finally {
                c.commit();
            }
        }
    }

    private static InputStream lob(Connection c, String table, int id) throws SQLException {
        PreparedStatement s = c.prepareStatement("SELECT body FROM " + table + " WHERE id = ?");
        s.setInt(1, id);
        ResultSet rs = s.executeQuery();
        rs.next();
        return rs.getBinaryStream(1);
    }

    /** A PostgreSQL value read {@value #READ_CHUNK} bytes at a time. */
    private static long length(Connection c, String table, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT octet_length(body) FROM " + table + " WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static InputStream chunks(Connection c, String table, int id, long length) throws SQLException {
        PreparedStatement s = c.prepareStatement("SELECT substring(body from ? for ?) FROM " + table + " WHERE id = ?");
        s.setInt(3, id);
        return new ChunkedBinaryStream(new byte[0], length, READ_CHUNK, (offset, count) -> {
            try {
                s.setInt(1, Math.toIntExact(offset + 1));
                s.setInt(2, count);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            } catch (SQLException e) {
                throw new IOException(e);
            }
        });
    }
}
