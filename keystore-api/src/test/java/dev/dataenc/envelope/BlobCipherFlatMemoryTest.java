package dev.dataenc.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypts and decrypts 1 GiB in a child JVM limited to a 64 MiB heap: memory stays flat
 * whatever the BLOB size.
 */
class BlobCipherFlatMemoryTest {

    private static final long ONE_GIB = 1L << 30;

    @TempDir
    Path tmp;

    @Test
    void oneGibBlob_roundTripsInSixtyFourMibHeap() throws Exception {
        Path blob = tmp.resolve("blob.bin");
        Path log = tmp.resolve("child.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                BlobFlatMemoryMain.class.getName(), blob.toString(), Long.toString(ONE_GIB));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                fail("child JVM did not finish within 180 s; output so far:\n" + read(log));
            }
            String out = read(log);
            assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
            Matcher m = Pattern.compile("source=([0-9a-f]{64}) decrypted=([0-9a-f]{64}) bytes=(\\d+) ciphertextBytes=(\\d+)").matcher(out);
            assertTrue(m.find(), "unexpected child output:\n" + out);
            assertEquals(m.group(1), m.group(2), "decrypted plaintext differs from the source");
            assertEquals(ONE_GIB, Long.parseLong(m.group(3)));
            long segments = ONE_GIB / BlobFormat.DEFAULT_SEGMENT_SIZE;
            assertEquals(BlobFormat.HEADER_LENGTH + ONE_GIB + segments * BlobFormat.TAG_LENGTH, Long.parseLong(m.group(4)));
            System.out.println("[BlobCipherFlatMemoryTest] " + out.trim());
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(blob);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
