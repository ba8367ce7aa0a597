package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output file of the CLI (decrypt's plaintext) and a JVM stopped before it is complete: a real child, a real SIGTERM. */
class PrivateOutputExitTest {

    @TempDir
    Path dir;

    @Test
    void stoppedBeforeTheCommit_leavesNeitherPartialContentNorTheReservation() throws Exception {
        Path target = dir.resolve("plain.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PrivateOutputExitChild.class.getName(), target.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("written", out.readLine());
            assertTrue(Files.exists(target), "the reservation exists while it writes");
            assertEquals(1, partials().size(), "and the partial file: " + partials());
            assertEquals(64 * 1024, Files.size(partials().get(0)));

            child.destroy(); // SIGTERM, as Ctrl-C or a service manager stops a command
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        // before: both stayed; the partial plaintext on disk, and the empty reservation made the next
        // 'decrypt --out plain.txt' refuse with "output file ... exists"
        assertEquals(List.of(), partials());
        assertTrue(Files.notExists(target), "no reservation is left");
    }

    private List<Path> partials() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }
}
