package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.DataKeySource;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.error.TextEncodingException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text values are re-encrypted from their binary form (decoded once, decrypted to bytes, encrypted and verified as
 * bytes, encoded once): multi-byte text comes out exactly, each kind stays its kind, bytes that are not UTF-8 still
 * stop the run without a write, and a new ciphertext that does not verify is never written.
 */
class TextReencryptionTest {

    /** Two-, three- and four-byte UTF-8 sequences (a supplementary character: a surrogate pair in Java). */
    private static final String[] VALUES = {"Zoë Ångström", "東京都千代田区", "🙂 \uD83D\uDC4D ok", "", "plain ascii"};

    @TempDir
    Path dir;

    @Test
    void multiByteValues_bothKinds_migrateToTheSameTextUnderActive() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            DeterministicCipher det = plane.deterministicCipher();
            PropertyCipher random = plane.propertyCipher();
            CdkId old = plane.registry().findActive().orElseThrow().id();
            insert(dbs, VALUES.length, i -> det.encryptString(VALUES[i], "customer.email"),
                    i -> random.encryptString(VALUES[i], "Customer.phone"));
            plane.rotateCdk("test");
            CdkId active = plane.registry().findActive().orElseThrow().id();

            MigrationResult r = new Migration(plane).run(MigrationRequest.of(source).withWriteChunk(2));

            assertEquals(new ValueCounts(VALUES.length, 2L * VALUES.length, 0, 0, 0, 0, 0, 0), r.job().counts());
            Map<Integer, String[]> after = MigrationFixture.stored(dbs);
            for (int i = 0; i < VALUES.length; i++) {
                String email = after.get(i)[0];
                String phone = after.get(i)[1];
                assertEquals(active, DeterministicCipher.cdkIdOf(email));
                assertEquals(det.encryptString(VALUES[i], "customer.email"), email,
                        "the deterministic ciphertext the application now writes for the same text");
                assertEquals(VALUES[i], det.decryptString(email, "customer.email"));
                assertEquals(active, PropertyCipher.cdkIdOf(phone));
                assertEquals(VALUES[i], random.decryptString(phone, "Customer.phone"));
            }
            assertEquals(0, r.references().orElseThrow().referencesTo(old));
        }
    }

    @Test
    void rebindingMultiByteValues_bothKinds_reboundExactly() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test")) {
            DeterministicCipher det = plane.deterministicCipher();
            PropertyCipher random = plane.propertyCipher();
            // even rows under a wrong context (re-bound), odd rows under the right one (re-encrypted as usual)
            insert(dbs, VALUES.length, i -> det.encryptString(VALUES[i], i % 2 == 0 ? "wrong" : "customer.email"),
                    i -> random.encryptString(VALUES[i], i % 2 == 0 ? "wrong" : "Customer.phone"));
            plane.rotateCdk("test");
            CdkId active = plane.registry().findActive().orElseThrow().id();

            for (String column : new String[] {"email:customer.email", "phone:Customer.phone"}) {
                try (JdbcRecordSource source = dbs.source().table("customer").key("id").column(column).build()) {
                    MigrationResult r = new Migration(plane).run(MigrationRequest.of(source).withFromContext("wrong"));
                    assertEquals(new ValueCounts(VALUES.length, VALUES.length, 0, 0, 0, 0, 0, 0), r.job().counts(),
                            column);
                }
            }

            Map<Integer, String[]> after = MigrationFixture.stored(dbs);
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(det.encryptString(VALUES[i], "customer.email"), after.get(i)[0], "row " + i);
                assertEquals(VALUES[i], random.decryptString(after.get(i)[1], "Customer.phone"), "row " + i);
                assertEquals(active, PropertyCipher.cdkIdOf(after.get(i)[1]));
            }
        }
    }

    @Test
    void valueDecryptingToInvalidUtf8_runFailsAndLeavesItAsItWas() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            PropertyCipher random = plane.propertyCipher();
            byte[] notUtf8 = {'a', (byte) 0xC3, '(', (byte) 0xFF};
            int bad = 8; // after the values sampled by the context check (5 per CDK)
            String badText = PropertyCipher.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(random.encrypt(notUtf8, "customer.email"));
            insert(dbs, 10, i -> i == bad ? badText : random.encryptString("user" + i + "@example.com", "customer.email"),
                    i -> random.encryptString("+41 " + i, "Customer.phone"));
            plane.rotateCdk("test");

            assertThrows(TextEncodingException.class,
                    () -> new Migration(plane).run(MigrationRequest.of(source).withWriteChunk(100)));

            String stored = MigrationFixture.stored(dbs).get(bad)[0];
            assertEquals(badText, stored, "not rewritten");
            assertArrayEquals(notUtf8, random.decrypt(Base64.getUrlDecoder().decode(
                    stored.substring(PropertyCipher.TEXT_PREFIX.length())), "customer.email"));
        }
    }

    @Test
    void newCiphertextDoesNotVerify_eitherKind_refusedAndNothingWritten() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        MigrationFixture.createCustomer(dbs);
        CdkId oldId = CdkId.random();
        CdkId newId = CdkId.random();
        DataKey oldKey = DataKey.generate(oldId);
        DataKey newKey = DataKey.generate(newId);
        DataKey wrongNewKey = DataKey.generate(newId); // a key cache that hands out another key for the ACTIVE CDK
        DataKeySource before = new Keys(oldKey, oldKey, oldKey);
        DataKeySource broken = new Keys(newKey, oldKey, wrongNewKey);
        PropertyCipher oldRandom = new PropertyCipher(before);
        DeterministicCipher oldDet = new DeterministicCipher(before, () -> List.of(oldId));
        insert(dbs, 3, i -> oldDet.encryptString("user" + i + "@example.com", "customer.email"),
                i -> oldRandom.encryptString("+41 " + i, "Customer.phone"));
        Map<Integer, String[]> original = MigrationFixture.stored(dbs);
        TextCiphers ciphers = new TextCiphers(new PropertyCipher(broken),
                new DeterministicCipher(broken, () -> List.of(newId, oldId)));
        for (String column : new String[] {"email:customer.email", "phone:Customer.phone"}) {
            try (JdbcRecordSource source = dbs.source().table("customer").key("id").column(column).build()) {
                RecordProcessor processor = new RecordProcessor(ciphers, new BlobCipher(broken), source,
                        MigrationMode.REENCRYPT, 10, Set.of(newId), CrashPoint.NONE, null, false);

                MigrationException e = assertThrows(MigrationException.class,
                        () -> processor.process(KeyRange.ALL, records -> { }));

                assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).startsWith("verification failed for"
                        + " record 0, column " + column.substring(0, column.indexOf(':'))), e.getMessage());
                assertFalse(e.getMessage().contains("user0"), "no plaintext in the message");
            }
            for (Map.Entry<Integer, String[]> row : MigrationFixture.stored(dbs).entrySet()) {
                assertArrayEquals(original.get(row.getKey()), row.getValue(), "nothing was written");
            }
        }
    }

    private static void insert(Databases dbs, int rows, java.util.function.IntFunction<String> email,
                               java.util.function.IntFunction<String> phone) throws Exception {
        try (Connection c = dbs.host();
             PreparedStatement s = c.prepareStatement("INSERT INTO customer (id, email, phone) VALUES (?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                s.setInt(1, i);
                s.setString(2, email.apply(i));
                s.setString(3, phone.apply(i));
                s.executeUpdate();
            }
        }
    }

    /** Keys by CDK: {@code active} for encryption, {@code old} and {@code forActiveId} when asked by id. */
    private record Keys(DataKey active, DataKey old, DataKey forActiveId) implements DataKeySource {
        @Override
        public DataKey activeKey() {
            return active;
        }

        @Override
        public DataKey key(CdkId id) {
            return id.equals(old.cdkId()) ? old : forActiveId;
        }
    }
}
