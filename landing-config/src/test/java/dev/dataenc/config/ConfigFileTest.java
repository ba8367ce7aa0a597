package dev.dataenc.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {

    @TempDir
    Path dir;

    private static final List<String> ORIGINAL = List.of(
            "# dataenc configuration",
            "# header comment",
            "",
            "other.app.setting = x, y, z",
            "",
            "# which keystore is active",
            "dataenc.cipher-type = platform",
            "dataenc.keystore.active = primary",
            "",
            "# the primary keystore",
            "dataenc.keystores.primary.type = local",
            "dataenc.keystores.primary.path = primary.p12",
            "# the site cipher",
            "dataenc.keystores.site.type = custom",
            "dataenc.keystores.site.class = com.example.Cipher",
            "dataenc.keystores.site.labels = a,b,c",
            "dataenc.cache.max-age = 5m",
            "",
            "# footer");

    private Path write() throws IOException {
        Path f = dir.resolve("dataenc.properties");
        Files.write(f, ORIGINAL, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void writeActiveKeystore_changesOnlyTheTwoKeysAndKeepsLayout() throws IOException {
        Path f = write();

        ConfigFile.writeActiveKeystore(f, "site", CipherType.CUSTOM);

        List<String> expected = ORIGINAL.stream()
                .map(l -> l.startsWith("dataenc.cipher-type") ? "dataenc.cipher-type = custom" : l)
                .map(l -> l.startsWith("dataenc.keystore.active") ? "dataenc.keystore.active = site" : l)
                .toList();
        assertEquals(expected, Files.readAllLines(f, StandardCharsets.UTF_8));
        DataEncConfig c = ConfigLoader.load(f, Map.<String, String>of()::get);
        assertEquals("site", c.activeKeystore());
        assertEquals("a,b,c", c.keystores().get("site").values().get("labels"));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void writeActiveKeystore_keepsFilePermissions() throws IOException {
        Path f = write();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));

        ConfigFile.writeActiveKeystore(f, "site", CipherType.CUSTOM);

        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void writeActiveKeystore_addsMissingKeys() throws IOException {
        Path f = dir.resolve("dataenc.properties");
        Files.write(f, List.of("# only keystores", "dataenc.keystores.primary.type = local",
                "dataenc.keystores.primary.path = p.p12"), StandardCharsets.UTF_8);

        ConfigFile.writeActiveKeystore(f, "primary", CipherType.PLATFORM);

        DataEncConfig c = ConfigLoader.load(f, Map.<String, String>of()::get);
        assertEquals("primary", c.activeKeystore());
        assertEquals(CipherType.PLATFORM, c.cipherType());
        assertTrue(Files.readAllLines(f).get(0).equals("# only keystores"));
    }

    @Test
    void writeActiveKeystore_unconfiguredKeystore_isRefusedAndFileUnchanged() throws IOException {
        Path f = write();

        DataEncConfigException e = assertThrows(DataEncConfigException.class,
                () -> ConfigFile.writeActiveKeystore(f, "backup", CipherType.PLATFORM));

        assertEquals(ConfigLoader.KEYSTORE_ACTIVE, e.key());
        assertTrue(e.getMessage().contains("dataenc.keystores.backup.type"), e.getMessage());
        assertEquals(ORIGINAL, Files.readAllLines(f));
    }

    @Test
    void writeActiveKeystore_wrongCipherType_isRefusedAndFileUnchanged() throws IOException {
        Path f = write();

        DataEncConfigException e = assertThrows(DataEncConfigException.class,
                () -> ConfigFile.writeActiveKeystore(f, "site", CipherType.PLATFORM));

        assertEquals(ConfigLoader.CIPHER_TYPE, e.key());
        assertTrue(e.getMessage().contains("needs cipher type 'custom'"), e.getMessage());
        assertEquals(ORIGINAL, Files.readAllLines(f));
    }
}
