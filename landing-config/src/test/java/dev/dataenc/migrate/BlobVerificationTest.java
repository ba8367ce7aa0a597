package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.BlobFixture.Original;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BLOB's new ciphertext is verified after it is written to its temporary file and before it can be written back:
 * a file replaced in between by another valid ciphertext (same CDK, same context, other plaintext), or cut short,
 * is refused with "verification failed", and the temporary file is removed.
 */
class BlobVerificationTest {

    @TempDir
    Path dir;

    private static final int SIZE = 200_000; // several 64 KiB segments

    private record Setup(ControlPlane plane, Databases dbs, Original original, CdkId active) {
    }

    private Setup setup() throws Exception {
        Databases dbs = MigrationFixture.h2(dir);
        BlobFixture.createDoc(dbs, "doc");
        ControlPlane plane = MigrationFixture.open(dir, dbs, "test");
        byte[] plain = new byte[SIZE];
        new Random(5).nextBytes(plain);
        Original original = new Original(plain, true);
        BlobFixture.put(dbs, "doc", 0, BlobFixture.encrypt(plane, original), true);
        plane.rotateCdk("test");
        return new Setup(plane, dbs, original, plane.registry().findActive().orElseThrow().id());
    }

    private static BinaryReencryption.Outcome prepare(Setup s, JdbcRecordSource source, Consumer<Path> beforeVerify) {
        BinaryReencryption binary = new BinaryReencryption(s.plane().propertyCipher(), s.plane().blobCipher(), source,
                false, beforeVerify);
        return binary.prepare("0", 0, BlobFixture.CONTEXT, null, Set.of(s.active()));
    }

    @Test
    void untouchedFile_verifies_andHoldsTheOriginalUnderTheActiveCdk() throws Exception {
        Setup s = setup();
        try (ControlPlane plane = s.plane(); JdbcRecordSource source = BlobFixture.source(s.dbs(), "doc")) {
            BinaryReencryption.Outcome o = prepare(s, source, file -> { });
            assertNull(o.skip());
            try (BinaryWrite w = o.write()) {
                byte[] fresh = Files.readAllBytes(w.file());
                assertTrue(s.active().equals(BlobFixture.cdkOf(fresh)));
                assertArrayEquals(s.original().plain(), BlobFixture.decrypt(plane, fresh, true));
            }
        }
    }

    @Test
    void fileReplacedByAnotherValidCiphertext_refused_andTheFileRemoved() throws Exception {
        Setup s = setup();
        try (ControlPlane plane = s.plane(); JdbcRecordSource source = BlobFixture.source(s.dbs(), "doc")) {
            byte[] other = s.original().plain().clone();
            other[SIZE / 2] ^= 1; // one bit in the middle of a middle segment
            byte[] substitute = BlobFixture.encrypt(plane, new Original(other, true));
            AtomicReference<Path> seen = new AtomicReference<>();
            MigrationException e = assertThrows(MigrationException.class, () -> prepare(s, source, file -> {
                seen.set(file);
                write(file, substitute);
            }));
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).startsWith("verification failed"), e.getMessage());
            assertNotNull(seen.get());
            assertFalse(Files.exists(seen.get()), "temporary file removed");
        }
    }

    @Test
    void fileCutShort_refused() throws Exception {
        Setup s = setup();
        try (ControlPlane plane = s.plane(); JdbcRecordSource source = BlobFixture.source(s.dbs(), "doc")) {
            MigrationException e = assertThrows(MigrationException.class, () -> prepare(s, source, file -> {
                byte[] b = read(file);
                write(file, Arrays.copyOf(b, b.length - 1000));
            }));
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).startsWith("verification failed"), e.getMessage());
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
