package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A host table {@code doc(id INT PRIMARY KEY, body BLOB|bytea)} of BLOB ciphertexts (three of 1 MiB, the rest
 * small) and binary property ciphertexts, encrypted under several CDKs in turn, with one NULL and one value that
 * is no dataenc ciphertext.
 */
final class BlobFixture {

    static final String CONTEXT = "Doc.body";
    static final int ROWS = 15;
    static final int NULL_ROW = ROWS;
    static final int FOREIGN_ROW = ROWS + 1;
    static final byte[] FOREIGN = "not a ciphertext: a legacy PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private BlobFixture() {
    }

    /** A value as the application wrote it: the plaintext, and whether it went through BlobCipher. */
    record Original(byte[] plain, boolean blob) {
    }

    static void createDoc(Databases dbs, String table) throws SQLException {
        try (Connection c = dbs.host(); Statement s = c.createStatement()) {
            boolean pg = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, body " + (pg ? "bytea" : "BLOB") + ")");
        }
    }

    /** Row i: every 5th a 1 MiB BLOB, other even rows a small BLOB, odd rows a binary property ciphertext. */
    static Original original(int i, Random random) {
        boolean blob = i % 2 == 0 || i % 5 == 0;
        byte[] plain = new byte[i % 5 == 0 ? 1024 * 1024 + i : blob ? 3000 + 97 * i : 20 + i];
        random.nextBytes(plain);
        return new Original(plain, blob);
    }

    static byte[] encrypt(ControlPlane plane, Original o) throws IOException {
        if (!o.blob()) {
            return plane.propertyCipher().encrypt(o.plain(), CONTEXT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(o.plain().length + 4096);
        plane.blobCipher().encrypt(new ByteArrayInputStream(o.plain()), out, CONTEXT);
        return out.toByteArray();
    }

    static byte[] decrypt(ControlPlane plane, byte[] ciphertext, boolean blob) throws IOException {
        if (!blob) {
            return plane.propertyCipher().decrypt(ciphertext, CONTEXT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(ciphertext.length);
        plane.blobCipher().decrypt(new ByteArrayInputStream(ciphertext), out, CONTEXT);
        return out.toByteArray();
    }

    /**
     * Fills {@code table} with {@link #ROWS} values under {@code cdks} CDKs in turn (rotating in between), a NULL and a
     * foreign value, then rotates once more so that all of them are old.
     */
    static Map<Integer, Original> fill(ControlPlane plane, Databases dbs, String table, int cdks, long seed)
            throws Exception {
        Random random = new Random(seed);
        Map<Integer, Original> originals = new LinkedHashMap<>();
        int perCdk = (ROWS + cdks - 1) / cdks;
        for (int i = 0; i < ROWS; i++) {
            if (i > 0 && i % perCdk == 0) {
                plane.rotateCdk("test");
            }
            Original o = original(i, random);
            originals.put(i, o);
            put(dbs, table, i, encrypt(plane, o), true);
        }
        put(dbs, table, NULL_ROW, null, true);
        put(dbs, table, FOREIGN_ROW, FOREIGN, true);
        plane.rotateCdk("test");
        plane.flushUsage();
        return originals;
    }

    static void put(Databases dbs, String table, int id, byte[] value, boolean insert) throws SQLException {
        try (Connection c = dbs.host(); PreparedStatement s = c.prepareStatement(insert
                ? "INSERT INTO " + table + " (body, id) VALUES (?, ?)" : "UPDATE " + table + " SET body = ? WHERE id = ?")) {
            s.setBytes(1, value);
            s.setInt(2, id);
            s.executeUpdate();
        }
    }

    static Map<Integer, byte[]> stored(Databases dbs, String table) throws SQLException {
        Map<Integer, byte[]> rows = new LinkedHashMap<>();
        try (Connection c = dbs.host(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, body FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getBytes(2));
            }
        }
        return rows;
    }

    static CdkId cdkOf(byte[] ciphertext) {
        return CiphertextInfo.ofBinary(Arrays.copyOf(ciphertext, Math.min(ciphertext.length,
                CiphertextInfo.PROBE_LENGTH)), ciphertext.length).cdkId();
    }

    static JdbcRecordSource source(Databases dbs, String table) {
        return dbs.source().table(table).key("id").column("body:" + CONTEXT).build();
    }

    /** Every original decrypts from the table, under {@code target}; the NULL and the foreign value are untouched. */
    static void assertMigrated(ControlPlane plane, Databases dbs, String table, Map<Integer, Original> originals,
                               CdkId target, Map<Integer, byte[]> overridden) throws Exception {
        Map<Integer, byte[]> rows = stored(dbs, table);
        for (Map.Entry<Integer, Original> e : originals.entrySet()) {
            byte[] stored = rows.get(e.getKey());
            byte[] expected = overridden.getOrDefault(e.getKey(), e.getValue().plain());
            org.junit.jupiter.api.Assertions.assertEquals(target, cdkOf(stored), "row " + e.getKey());
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, decrypt(plane, stored, e.getValue().blob()),
                    "row " + e.getKey());
        }
        org.junit.jupiter.api.Assertions.assertNull(rows.get(NULL_ROW));
        org.junit.jupiter.api.Assertions.assertArrayEquals(FOREIGN, rows.get(FOREIGN_ROW));
    }
}
