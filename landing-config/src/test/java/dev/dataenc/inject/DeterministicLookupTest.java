package dev.dataenc.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.testing.KeystoreFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host application stores e-mail addresses with the deterministic cipher of a {@link DataEncService} (H2
 * registry, {@code local} keystores) in its own H2 table and finds them with {@code where email in (...)} over
 * the lookup candidates: after a CDK rotation and after a keystore switch, rows written under older CDKs are found.
 */
class DeterministicLookupTest {

    private static final String CONTEXT = "Customer.email";

    @TempDir
    Path dir;

    @Test
    void lookupByDeterministicField_findsRowsUnderOldCdks_afterRotationAndKeystoreSwitch() throws Exception {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, config());
        KeystoreFiles.provideAll(file);
        try (DataEncService service = DataEncService.start(file);
             Connection app = DriverManager.getConnection("jdbc:h2:mem:app-" + System.nanoTime(), "sa", "")) {
            app.createStatement().execute("CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(200))");
            DeterministicCipher emails = service.deterministicCipher();
            ControlPlane plane = service.controlPlane();

            insert(app, 1, emails.encryptString("ada@example.com", CONTEXT));
            CdkId first = DeterministicCipher.cdkIdOf(emails.encryptString("ada@example.com", CONTEXT));
            assertEquals(List.of(1), find(app, emails, "ada@example.com"));

            plane.rotateCdk("test");
            insert(app, 2, emails.encryptString("bob@example.com", CONTEXT));
            assertNotEquals(first, DeterministicCipher.cdkIdOf(emails.encryptString("ada@example.com", CONTEXT)),
                    "new values are under the new CDK");
            assertEquals(List.of(1), find(app, emails, "ada@example.com"), "found under the old CDK after rotation");
            assertEquals(List.of(2), find(app, emails, "bob@example.com"));

            plane.switchKeystore("b");
            CdkId underB = plane.registry().findActive().orElseThrow().id();
            assertEquals(underB, DeterministicCipher.cdkIdOf(emails.encryptString("carol@example.com", CONTEXT)));
            insert(app, 3, emails.encryptString("carol@example.com", CONTEXT));
            assertEquals(3, emails.lookupStrings("ada@example.com", CONTEXT).size(), "one candidate per CDK in use");
            assertEquals(List.of(1), find(app, emails, "ada@example.com"), "found after the keystore switch");
            assertEquals(List.of(2), find(app, emails, "bob@example.com"));
            assertEquals(List.of(3), find(app, emails, "carol@example.com"));
            assertEquals(List.of(), find(app, emails, "dave@example.com"));
            assertEquals("ada@example.com", emails.decryptString(email(app, 1), CONTEXT));
        }
    }

    private static void insert(Connection app, int id, String email) throws SQLException {
        try (PreparedStatement s = app.prepareStatement("INSERT INTO customer (id, email) VALUES (?, ?)")) {
            s.setInt(1, id);
            s.setString(2, email);
            s.executeUpdate();
        }
    }

    /** {@code select id from customer where email in (candidates)}. */
    private static List<Integer> find(Connection app, DeterministicCipher emails, String email) throws SQLException {
        List<String> candidates = emails.lookupStrings(email, CONTEXT);
        String marks = String.join(", ", candidates.stream().map(c -> "?").toList());
        List<Integer> ids = new ArrayList<>();
        try (PreparedStatement s = app.prepareStatement("SELECT id FROM customer WHERE email IN (" + marks + ") ORDER BY id")) {
            for (int i = 0; i < candidates.size(); i++) {
                s.setString(i + 1, candidates.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
        }
        return ids;
    }

    private static String email(Connection app, int id) throws SQLException {
        try (PreparedStatement s = app.prepareStatement("SELECT email FROM customer WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String config() {
        StringBuilder sb = new StringBuilder("dataenc.cipher-type = platform\n")
                .append("dataenc.keystore.active = a\n");
        for (String k : List.of("a", "b")) {
            sb.append("dataenc.keystores.").append(k).append(".type = local\n")
                    .append("dataenc.keystores.").append(k).append(".path = ").append(k).append(".p12\n")
                    .append("dataenc.keystores.").append(k).append(".password = test-password-").append(k).append('\n')
                    .append("dataenc.keystores.").append(k).append(".master-key = mk-").append(k).append('\n');
        }
        return sb.toString();
    }
}
