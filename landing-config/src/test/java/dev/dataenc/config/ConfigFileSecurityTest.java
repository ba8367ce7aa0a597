package dev.dataenc.config;

import dev.dataenc.testing.TinyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Who may write the configuration file, and how dataenc writes it (real files, real permissions). */
class ConfigFileSecurityTest {

    @TempDir
    Path dir;

    private static final String CONTENT = String.join("\n",
            "# dataenc configuration",
            "dataenc.cipher-type = platform",
            "dataenc.keystore.active = primary",
            "dataenc.keystores.primary.type = local",
            "dataenc.keystores.primary.path = primary.p12",
            "dataenc.keystores.site.type = custom",
            "dataenc.keystores.site.class = com.example.Cipher",
            "") ;

    private Path write(Path in, String mode) throws IOException {
        Path f = in.resolve("dataenc.properties");
        Files.writeString(f, CONTENT, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static List<Path> list(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void load_groupWritableFile_isRefusedNamingModeAndChmod() throws IOException {
        Path f = write(dir, "rw-rw-r--");

        DataEncConfigException e = assertThrows(DataEncConfigException.class,
                () -> ConfigLoader.load(f, Map.<String, String>of()::get));

        assertTrue(e.getMessage().contains(f.toRealPath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("writable by its group"), e.getMessage());
        assertTrue(e.getMessage().contains("0664 rw-rw-r--"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod go-w " + f.toRealPath()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void load_worldWritableFile_isRefused() throws IOException {
        Path f = write(dir, "rw-r--rw-");

        DataEncConfigException e = assertThrows(DataEncConfigException.class,
                () -> ConfigLoader.load(f, Map.<String, String>of()::get));

        assertTrue(e.getMessage().contains("writable by others (mode 0646"), e.getMessage());
    }

    @Test
    void load_ownerOnlyWritableFile_isAccepted() throws IOException {
        Path f = write(dir, "rw-r-----");

        assertEquals("primary", ConfigLoader.load(f, Map.<String, String>of()::get).activeKeystore());
    }

    @Test
    void load_fileInWorldWritableDirectoryWithoutStickyBit_isRefused() throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        Path f = write(open, "rw-------");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        DataEncConfigException e = assertThrows(DataEncConfigException.class,
                () -> ConfigLoader.load(f, Map.<String, String>of()::get));

        assertTrue(e.getMessage().contains("its directory " + open.toRealPath()), e.getMessage());
        assertTrue(e.getMessage().contains("without the sticky bit"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod go-w " + open.toRealPath()), e.getMessage());
    }

    @Test
    void load_fileInWorldWritableDirectoryWithStickyBit_isAccepted() throws IOException {
        Path open = Files.createDirectory(dir.resolve("sticky"));
        Path f = write(open, "rw-------");
        Files.setAttribute(open, "unix:mode", 01777);

        assertEquals("primary", ConfigLoader.load(f, Map.<String, String>of()::get).activeKeystore());
    }

    @Test
    void load_symlinkInWorldWritableDirectory_isRefused() throws IOException {
        Path safe = Files.createDirectory(dir.resolve("safe"));
        Path real = write(safe, "rw-------");
        Path open = Files.createDirectory(dir.resolve("open"));
        Path link = Files.createSymbolicLink(open.resolve("dataenc.properties"), real);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        DataEncConfigException e = assertThrows(DataEncConfigException.class,
                () -> ConfigLoader.load(link, Map.<String, String>of()::get));

        assertTrue(e.getMessage().contains("its directory " + open), e.getMessage());
    }

    @Test
    void writeActiveKeystore_groupWritableFile_isRefusedAndFileUnchanged() throws IOException {
        Path f = write(dir, "rw-rw----");

        assertThrows(DataEncConfigException.class, () -> ConfigFile.writeActiveKeystore(f, "site", CipherType.CUSTOM));

        assertEquals(CONTENT, Files.readString(f));
    }

    @Test
    void writeActiveKeystore_throughSymlink_replacesTheRealFileAndKeepsTheLink() throws IOException {
        Path real = write(Files.createDirectory(dir.resolve("etc")), "rw-r-----");
        Path link = Files.createSymbolicLink(dir.resolve("dataenc.properties"), real);

        ConfigFile.writeActiveKeystore(link, "site", CipherType.CUSTOM);

        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(real, Files.readSymbolicLink(link));
        assertTrue(Files.readString(real).contains("dataenc.keystore.active = site"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals(List.of(real), list(real.getParent()), "no temporary file left beside the real file");
        assertEquals(List.of(link, real.getParent()), list(dir), "no temporary file left beside the link");
    }

    @Test
    void restore_throughSymlink_putsBackTheBytesAndKeepsLinkAndMode() throws IOException {
        Path real = write(Files.createDirectory(dir.resolve("etc")), "rw-r-----");
        Path link = Files.createSymbolicLink(dir.resolve("dataenc.properties"), real);
        byte[] original = Files.readAllBytes(link);
        ConfigFile.writeActiveKeystore(link, "site", CipherType.CUSTOM);

        ConfigFile.restore(link, original);

        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(original, Files.readAllBytes(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals(List.of(real), list(real.getParent()));
    }

    @Test
    void writeActiveKeystore_keepsOwnerAndGroup() throws IOException {
        Path f = write(dir, "rw-r-----");
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(f, "unix:uid")), "changing a file's owner needs root");
        Files.setAttribute(f, "unix:uid", 4321);
        Files.setAttribute(f, "unix:gid", 4322);

        ConfigFile.writeActiveKeystore(f, "site", CipherType.CUSTOM);

        assertEquals(4321, Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(4322, Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertTrue(Files.readString(f).contains("dataenc.keystore.active = site"));
    }

    @Test
    void writeAtomically_writeFailsHalfWay_oneLineErrorNoTempFileFileUnchanged() throws IOException {
        Path f = write(dir, "rw-------");

        DataEncConfigException e = assertThrows(DataEncConfigException.class, () -> ConfigFile.writeAtomically(f,
                "dataenc.keystore.active = site\n".repeat(100).getBytes(StandardCharsets.UTF_8), (ch, buf) -> {
                    ch.write(ByteBuffer.wrap(buf.array(), 0, 10));
                    throw new IOException("No space left on device");
                }));

        assertEquals("Cannot write the data-encryption configuration " + f + ": No space left on device; the file was"
                + " not changed. Fix that (free space, permissions of " + dir + ") and retry.", e.getMessage());
        assertEquals(CONTENT, Files.readString(f));
        assertEquals(List.of(f), list(dir), "no temporary file left behind");
    }

    /** A real full file system: a 64 KiB tmpfs (needs root; skipped where it cannot be mounted). */
    @Test
    void writeActiveKeystore_onFullFileSystem_oneLineErrorNoTempFileFileUnchanged() throws Exception {
        try (TinyFileSystem tiny = TinyFileSystem.mount(dir.resolve("tiny"), "64k")) {
            Path f = write(tiny.root(), "rw-------");
            tiny.fill();

            DataEncConfigException e = assertThrows(DataEncConfigException.class,
                    () -> ConfigFile.writeActiveKeystore(f, "site", CipherType.CUSTOM));

            assertTrue(e.getMessage().startsWith("Cannot write the data-encryption configuration " + f
                    + ": No space left on device; the file was not changed."), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertEquals(CONTENT, Files.readString(f));
            assertEquals(List.of(f, tiny.filler()), list(tiny.root()), "no temporary file left behind");
        }
    }
}
