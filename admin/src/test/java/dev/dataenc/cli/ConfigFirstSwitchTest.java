package dev.dataenc.cli;

import dev.dataenc.testing.KeystoreFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.error.DataEncException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file is put back after a failed switch the way it was: link, mode, bytes (real H2, real keystores). */
class ConfigFirstSwitchTest {

    @TempDir
    Path dir;

    @Test
    void failedSwitch_throughSymlink_restoresRealFileKeepsLinkAndMode() throws IOException {
        Path etc = Files.createDirectory(dir.resolve("etc"));
        Path real = etc.resolve("dataenc.properties");
        StringBuilder sb = new StringBuilder("dataenc.cipher-type=platform\ndataenc.keystore.active=a\n");
        for (String ks : new String[] {"a", "b"}) {
            sb.append("dataenc.keystores.").append(ks).append(".type=local\n")
                    .append("dataenc.keystores.").append(ks).append(".path=").append(dir.resolve(ks + ".p12")).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".master-key=mk-").append(ks).append('\n')
                    .append("dataenc.keystores.").append(ks).append(".password=config-first-switch-test\n");
        }
        sb.append("dataenc.registry.url=jdbc:h2:file:").append(dir.resolve("registry")).append('\n');
        Files.writeString(real, sb.toString(), StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(real);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("dataenc.properties"), real);
        StringWriter out = new StringWriter();
        assertEquals(0, DataencCli.run(new PrintWriter(out), new PrintWriter(out), "rotate-cdk", "--config",
                link.toString()), out.toString());
        byte[] original = Files.readAllBytes(real);
        DataEncException failure = new DataEncException("the switch failed");

        try (ControlPlane plane = AdminPlane.open(ConfigLoader.load(link))) {
            DataEncException thrown = assertThrows(DataEncException.class, () -> ConfigFirstSwitch.run(plane, link, true,
                    "b", CipherType.PLATFORM, () -> {
                        assertTrue(new String(readUnchecked(real), StandardCharsets.UTF_8)
                                .contains("dataenc.keystore.active=b"), "the file names the target during the switch");
                        throw failure;
                    }));
            assertSame(failure, thrown);
        }

        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertArrayEquals(original, Files.readAllBytes(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        try (var s = Files.list(etc)) {
            assertEquals(List.of(real), s.toList(), "no temporary file left behind");
        }
    }

    private static byte[] readUnchecked(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
